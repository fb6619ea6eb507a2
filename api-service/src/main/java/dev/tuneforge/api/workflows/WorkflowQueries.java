package dev.tuneforge.api.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.workflows.StepStatus;
import dev.tuneforge.common.workflows.WorkflowStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Reads a workflow, its steps' jobs and its train checkpoints for the caller's tenant. */
@ApplicationScoped
public class WorkflowQueries {
    private final EntityManager em;
    private final EventCodec codec;

    WorkflowQueries(EntityManager em, EventCodec codec) {
        this.em = em;
        this.codec = codec;
    }

    @Transactional
    public WorkflowView get(Caller caller, UUID id) {
        List<?> found = em.createNativeQuery("SELECT template, status, failure_reason, policy::text, ranking::text,"
                        + " best_step, best_location, created_by, created_at, updated_at, schedule_id, scheduled_for"
                        + " FROM workflows"
                        + " WHERE id = ?1 AND tenant_id = ?2")
                .setParameter(1, id).setParameter(2, caller.tenantId()).getResultList();
        if (found.isEmpty()) {
            throw new WorkflowNotFoundException(id.toString());
        }
        Object[] w = (Object[]) found.get(0);
        List<WorkflowView.Step> steps = steps(id, WorkflowStatus.RUNNING.name().equals(w[1]));
        WorkflowView.Best best = w[5] == null ? null : new WorkflowView.Best(((Number) w[5]).intValue(), (String) w[6]);
        return new WorkflowView(id, (String) w[0], (String) w[1], (String) w[2], json(w[3]), steps, checkpoints(id),
                json(w[4]), best, (String) w[7], instant(w[8]), instant(w[9]), (UUID) w[10], instant(w[11]));
    }

    /** Newest first, after {@code after} (the last row of the previous page) when given. */
    @Transactional
    public List<WorkflowSummary> list(Caller caller, String status, Instant afterCreatedAt, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, template, status, failure_reason, best_step, best_location,"
                + " created_at, updated_at FROM workflows WHERE tenant_id = :tenant");
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (afterId != null) {
            sql.append(" AND (created_at, id) < (:at, :id)");
        }
        var query = em.createNativeQuery(sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit").toString())
                .setParameter("tenant", caller.tenantId()).setParameter("limit", limit);
        if (status != null) {
            query.setParameter("status", status);
        }
        if (afterId != null) {
            query.setParameter("at", afterCreatedAt).setParameter("id", afterId);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new WorkflowSummary((UUID) r[0], (String) r[1],
                (String) r[2], (String) r[3], r[4] == null ? null : ((Number) r[4]).intValue(), (String) r[5],
                instant(r[6]), instant(r[7]))).toList();
    }

    private List<WorkflowView.Step> steps(UUID workflowId, boolean running) {
        // In the order the (expanded) spec lists them.
        List<?> rows = em.createNativeQuery("SELECT s.step_id, s.kind, s.depends_on::text, s.for_each, s.status"
                + " FROM workflow_steps s JOIN workflows w ON w.id = s.workflow_id"
                + " CROSS JOIN LATERAL jsonb_array_elements(w.spec -> 'steps') WITH ORDINALITY AS e(step, ord)"
                + " WHERE s.workflow_id = ?1 AND e.step ->> 'id' = s.step_id ORDER BY e.ord")
                .setParameter(1, workflowId).getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> {
            List<WorkflowView.StepJob> jobs = jobs(workflowId, (String) r[0]);
            StepStatus status = StepStatus.of(jobs.stream().map(j -> JobStatus.valueOf(j.status())).toList(),
                    (String) r[4], running);
            List<String> dependsOn = codec.mapper().convertValue(json(r[2]),
                    codec.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
            return new WorkflowView.Step((String) r[0], (String) r[1], status.name(), dependsOn,
                    r[3] == null ? null : "checkpoints of " + r[3], jobs);
        }).toList();
    }

    private List<WorkflowView.StepJob> jobs(UUID workflowId, String step) {
        List<?> rows = em.createNativeQuery("SELECT id, status, (spec -> 'lora' ->> 'step')::int FROM jobs"
                        + " WHERE workflow_id = ?1 AND workflow_step = ?2 ORDER BY created_at, id")
                .setParameter(1, workflowId).setParameter(2, step).getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new WorkflowView.StepJob((UUID) r[0], (String) r[1],
                r[2] == null ? null : ((Number) r[2]).intValue())).toList();
    }

    /** The checkpoints of the workflow's train jobs: the metrics table the ranking is made from. */
    private List<WorkflowView.Checkpoint> checkpoints(UUID workflowId) {
        List<?> rows = em.createNativeQuery("SELECT c.step, c.location, c.metrics::text, c.report_location"
                        + " FROM checkpoints c JOIN jobs j ON j.id = c.job_id"
                        + " WHERE j.workflow_id = ?1 AND j.kind = 'train' ORDER BY c.step")
                .setParameter(1, workflowId).getResultList();
        return rows.stream().map(r -> (Object[]) r).map(r -> new WorkflowView.Checkpoint(((Number) r[0]).intValue(),
                (String) r[1], json(r[2]), (String) r[3])).toList();
    }

    private JsonNode json(Object text) {
        if (text == null) {
            return null;
        }
        try {
            return codec.mapper().readTree((String) text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column", e);
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return value instanceof java.sql.Timestamp ts ? ts.toInstant() : (Instant) value;
    }
}
