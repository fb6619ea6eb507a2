-- Readers page the audit log by seq (GET /api/v1/audit, a job's /events): "give me the rows after seq N".
-- A BIGSERIAL hands out seqs in order but transactions commit in any order, so a reader could see seq 12
-- committed while seq 11 is still in flight, move its cursor past 11, and never see that row. To rule it
-- out, a writer takes its seq while holding a shared advisory lock, until it commits (this trigger), and a
-- reader first takes the exclusive lock for a moment (job_events_committed_seq): then no seq is in flight,
-- and every seq up to the sequence's last value is committed or rolled back. A reader pages only up to that
-- horizon, in a later statement (a fresh snapshot). Writers never wait for each other (shared locks), and
-- wait for a reader only for that moment.

CREATE FUNCTION job_events_assign_seq() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('tuneforge.job_events.seq'));
    NEW.seq := nextval(pg_get_serial_sequence('job_events', 'seq'));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- The seq is drawn by the trigger, inside the lock; a column default would draw one outside it first.
ALTER TABLE job_events ALTER COLUMN seq DROP DEFAULT;

CREATE TRIGGER job_events_seq BEFORE INSERT ON job_events
    FOR EACH ROW EXECUTE FUNCTION job_events_assign_seq();

-- The highest seq no open transaction can still commit. Call it in its own statement, before the page query.
-- The exclusive lock is a session lock released at once, so writers wait only while the horizon is read,
-- however long the reader's own transaction lasts.
CREATE FUNCTION job_events_committed_seq() RETURNS BIGINT AS $$
DECLARE
    horizon BIGINT;
BEGIN
    PERFORM pg_advisory_lock(hashtext('tuneforge.job_events.seq'));
    horizon := COALESCE(pg_sequence_last_value(pg_get_serial_sequence('job_events', 'seq')::regclass), 0);
    PERFORM pg_advisory_unlock(hashtext('tuneforge.job_events.seq'));
    RETURN horizon;
END;
$$ LANGUAGE plpgsql;
