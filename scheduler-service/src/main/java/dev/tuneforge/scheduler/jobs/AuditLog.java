package dev.tuneforge.scheduler.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import javax.sql.DataSource;

/** Appends to {@code job_events}; the table refuses updates and deletes (trigger), so the trail only grows. */
@ApplicationScoped
public class AuditLog {
    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether {@code job}'s attempt already has an entry of {@code type}. */
    public boolean has(UUID job, int attempt, String type) {
        return !Sql.query(dataSource, "SELECT 1 FROM job_events WHERE job_id = ? AND attempt = ? AND type = ? LIMIT 1",
                row -> true, job, attempt, type).isEmpty();
    }

    public void append(AuditEntry entry) {
        Sql.update(dataSource, "INSERT INTO job_events (event_id, job_id, workflow_id, type, attempt, stale, source,"
                + " occurred_at, cause, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                entry.eventId(), entry.jobId(), entry.workflowId(), entry.type(), entry.attempt(), entry.stale(), entry.source(),
                JobStore.timestamp(entry.occurredAt()), entry.cause(), entry.payload().toString());
    }
}
