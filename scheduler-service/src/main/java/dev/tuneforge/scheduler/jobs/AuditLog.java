package dev.tuneforge.scheduler.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import javax.sql.DataSource;

/** Appends to {@code job_events}; the table refuses updates and deletes (trigger), so the trail only grows. */
@ApplicationScoped
public class AuditLog {
    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void append(AuditEntry entry) {
        Sql.update(dataSource, "INSERT INTO job_events (event_id, job_id, workflow_id, type, attempt, stale, source,"
                + " occurred_at, cause, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                entry.eventId(), entry.jobId(), entry.workflowId(), entry.type(), entry.attempt(), entry.stale(), entry.source(),
                JobStore.timestamp(entry.occurredAt()), entry.cause(), entry.payload().toString());
    }
}
