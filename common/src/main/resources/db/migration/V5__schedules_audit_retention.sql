-- Issue 7: cron schedules of workflows, workflow-level audit rows, promotion of the best checkpoint
-- and retention of old artifacts.

-- A schedule starts one workflow per cron tick. `workflow` is the request body of POST /api/v1/workflows,
-- validated when the schedule was created, so a tick never starts a workflow the API would refuse.
CREATE TABLE schedules (
    id              UUID PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    name            TEXT NOT NULL,
    cron            TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    -- FIRE_ONCE: ticks missed while no scheduler ran start one workflow at once; SKIP: they are dropped.
    misfire_policy  TEXT NOT NULL,
    workflow        JSONB NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    version         BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX schedules_list ON schedules (tenant_id, created_at DESC, id DESC);

-- A workflow a schedule started names the schedule and the tick. The unique index is the last line of
-- defence against a tick fired twice (two scheduler instances, a redelivered trigger): the second
-- insert fails instead of starting a duplicate workflow.
ALTER TABLE workflows ADD COLUMN schedule_id UUID REFERENCES schedules (id) ON DELETE SET NULL;
ALTER TABLE workflows ADD COLUMN scheduled_for TIMESTAMPTZ;
CREATE UNIQUE INDEX workflows_schedule_tick ON workflows (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL;

-- Audit rows of a workflow's own transitions (created, ranked, promoted, timed out, cancelled, ...):
-- they carry the workflow and, when a job's event or timer caused them, that job; a transition no job
-- caused (a schedule's tick, a workflow timeout) has no job.
ALTER TABLE job_events ADD COLUMN workflow_id UUID;
ALTER TABLE job_events ALTER COLUMN job_id DROP NOT NULL;
CREATE INDEX job_events_workflow ON job_events (workflow_id, seq) WHERE workflow_id IS NOT NULL;
CREATE INDEX job_events_type ON job_events (type, seq);
CREATE INDEX job_events_recorded ON job_events (recorded_at, seq);

-- Retention deletes the objects of old non-best checkpoints and their samples; the row stays (with its
-- metrics, for the ranking and the audit) and says when its objects went.
ALTER TABLE checkpoints ADD COLUMN purged_at TIMESTAMPTZ;
