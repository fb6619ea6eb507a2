package dev.tuneforge.scheduler.retention;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.jobs.Sql;
import dev.tuneforge.storage.S3ObjectStore.Stored;
import dev.tuneforge.storage.S3ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Deletes the objects of old checkpoints nobody needs any more, with the sample images rendered from them
 * (the train job's validation samples and the evaluate jobs' images). A checkpoint is kept while it is
 * younger than the configured age, while its job has not ended, while its workflow is still running (its
 * evaluations and ranking may still need it), and for good when it is a workflow's best. Its row stays,
 * metrics included, and says when its objects went ({@code purged_at}); the audit log gains an entry and
 * loses nothing. The manifest goes first, so a reader never takes a half-deleted folder for a checkpoint.
 */
@ApplicationScoped
public class CheckpointRetention {
    static final String PURGED = "dev.tuneforge.checkpoint.purged";

    /** Ended jobs' old checkpoints that are no workflow's best and whose workflow (if any) has ended. */
    private static final String CANDIDATES = "SELECT c.job_id, c.step, j.tenant_id, j.attempt, j.workflow_id FROM checkpoints c"
            + " JOIN jobs j ON j.id = c.job_id"
            + " WHERE c.purged_at IS NULL AND c.created_at < ? AND j.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
            + " AND NOT EXISTS (SELECT 1 FROM workflows w WHERE w.id = j.workflow_id"
            + "   AND (w.status = 'RUNNING' OR w.best_step = c.step))"
            + " ORDER BY c.created_at LIMIT ? FOR UPDATE OF c SKIP LOCKED";

    private final DataSource dataSource;
    private final S3ObjectStore store;
    private final AuditLog audit;
    private final SchedulerConfig config;
    private final ObjectMapper mapper;

    CheckpointRetention(DataSource dataSource, S3ObjectStore store, AuditLog audit, SchedulerConfig config, EventCodec codec) {
        this.dataSource = dataSource;
        this.store = store;
        this.audit = audit;
        this.config = config;
        this.mapper = codec.mapper();
    }

    private record Candidate(UUID job, int step, String tenant, int attempt, UUID workflow) {
    }

    /** Purges up to one batch of checkpoints older than the configured age; returns how many. */
    @Transactional
    public int sweep(Instant now) {
        Instant cutoff = now.minus(config.retention().maxAge());
        List<Candidate> candidates = Sql.query(dataSource, CANDIDATES, row -> new Candidate(row.getObject("job_id", UUID.class),
                row.getInt("step"), row.getString("tenant_id"), row.getInt("attempt"), row.getObject("workflow_id", UUID.class)), JobStore.timestamp(cutoff),
                config.retention().batchSize());
        candidates.forEach(c -> purge(c, now));
        return candidates.size();
    }

    private void purge(Candidate checkpoint, Instant now) {
        List<String> prefixes = new ArrayList<>();
        prefixes.add(ObjectKeys.checkpointPrefix(checkpoint.tenant(), checkpoint.job(), checkpoint.step()));
        prefixes.add(ObjectKeys.samplesPrefix(checkpoint.tenant(), checkpoint.job(), checkpoint.step()));
        evaluationsOf(checkpoint).forEach(e -> prefixes.add(ObjectKeys.samplesPrefix(checkpoint.tenant(), e, checkpoint.step())));
        int deleted = 0;
        for (String prefix : prefixes) {
            deleted += deleteManifestFirst(prefix);
        }
        Sql.update(dataSource, "UPDATE checkpoints SET purged_at = ? WHERE job_id = ? AND step = ?",
                JobStore.timestamp(now), checkpoint.job(), checkpoint.step());
        ObjectNode payload = mapper.createObjectNode().put("step", checkpoint.step()).put("deletedObjects", deleted)
                .put("maxAge", config.retention().maxAge().toString());
        audit.append(new AuditEntry(UUID.randomUUID(), checkpoint.job(), checkpoint.workflow(), PURGED, checkpoint.attempt(),
                false, config.source(), now, "timer:retention", payload));
    }

    /** The evaluate jobs that scored this checkpoint: their images were rendered from it. */
    private List<UUID> evaluationsOf(Candidate checkpoint) {
        return Sql.query(dataSource, "SELECT id FROM jobs WHERE kind = 'evaluate' AND spec->'lora'->>'jobId' = ?"
                + " AND (spec->'lora'->>'step')::int = ?", row -> row.getObject("id", UUID.class),
                checkpoint.job().toString(), checkpoint.step());
    }

    private int deleteManifestFirst(String prefix) {
        List<String> keys = store.list(store.bucket(), prefix).stream().map(Stored::key)
                .sorted((a, b) -> Boolean.compare(!isManifest(a), !isManifest(b))).toList();
        store.delete(keys);
        return keys.size();
    }

    private static boolean isManifest(String key) {
        return key.endsWith("/" + ObjectKeys.CHECKPOINT_MANIFEST);
    }
}
