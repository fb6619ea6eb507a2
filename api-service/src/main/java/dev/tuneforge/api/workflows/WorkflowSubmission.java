package dev.tuneforge.api.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.jobs.AuditTrail;
import dev.tuneforge.api.jobs.IdempotentCreation;
import dev.tuneforge.api.jobs.JobSubmission;
import dev.tuneforge.api.jobs.RequestFingerprint;
import dev.tuneforge.api.jobs.UnknownReferenceException;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.StepStatus;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.common.workflows.WorkflowSpecs;
import dev.tuneforge.common.workflows.WorkflowStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts a workflow: parses and validates it (common's WorkflowSpecs), then in ONE transaction
 * checks what its steps name, writes the workflow row (RUNNING, the expanded spec), one row per
 * step, and the job of every step that depends on nothing (with its command and audit row, through
 * JobSubmission) and the workflow's own audit entry. The scheduler drives the rest from the jobs' events.
 */
@ApplicationScoped
public class WorkflowSubmission {
    static final String SUBMITTED = "dev.tuneforge.workflow.submitted";
    /** Its unique constraint {@code workflows_idempotency}: two concurrent submissions with one key start one workflow. */
    private static final IdempotentCreation IDEMPOTENT = new IdempotentCreation("workflow", "workflows_idempotency");

    private final WorkflowSpecs specs;
    private final WorkflowReferences references;
    private final JobSubmission jobs;
    private final AuditTrail audit;
    private final EntityManager em;
    private final EventCodec codec;

    WorkflowSubmission(WorkflowSpecs specs, WorkflowReferences references, JobSubmission jobs, AuditTrail audit,
            EntityManager em, EventCodec codec) {
        this.specs = specs;
        this.references = references;
        this.jobs = jobs;
        this.audit = audit;
        this.em = em;
        this.codec = codec;
    }

    /** The payload of the submission's audit entry: where the workflow came from and what it runs. */
    record Submitted(String template, List<Step> steps) {
        record Step(String id, String kind) {
        }
    }

    /**
     * @throws dev.tuneforge.common.jobs.InvalidSpecException naming every invalid field
     * @throws UnknownReferenceException a step names a model or dataset the tenant does not have
     * @throws dev.tuneforge.api.jobs.IdempotencyConflictException the key was used for another request
     */
    public IdempotentCreation.Outcome<UUID> submit(Caller caller, JsonNode body, String idempotencyKey) {
        WorkflowSpec spec = specs.parse(body);
        if (idempotencyKey == null) {
            return new IdempotentCreation.Outcome<>(
                    QuarkusTransaction.requiringNew().call(() -> create(caller, spec, null, null)), true);
        }
        String fingerprint = RequestFingerprint.of("workflow", body);
        return IDEMPOTENT.once(idempotencyKey, fingerprint, () -> earlier(caller, idempotencyKey),
                () -> create(caller, spec, idempotencyKey, fingerprint));
    }

    private Optional<IdempotentCreation.Earlier<UUID>> earlier(Caller caller, String idempotencyKey) {
        List<?> rows = em.createNativeQuery("SELECT id, request_hash FROM workflows WHERE tenant_id = ?1"
                + " AND idempotency_key = ?2").setParameter(1, caller.tenantId()).setParameter(2, idempotencyKey)
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] columns = (Object[]) row;
            UUID id = (UUID) columns[0];
            return new IdempotentCreation.Earlier<>(id, id, (String) columns[1]);
        });
    }

    private UUID create(Caller caller, WorkflowSpec spec, String idempotencyKey, String fingerprint) {
        references.requireKnown(caller, spec);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.createNativeQuery("INSERT INTO workflows (id, tenant_id, template, spec, status, policy, created_by,"
                        + " created_at, updated_at, idempotency_key, request_hash)"
                        + " VALUES (?1, ?2, ?3, CAST(?4 AS jsonb), ?5, CAST(?6 AS jsonb), ?7, ?8, ?8, ?9, ?10)")
                .setParameter(1, id).setParameter(2, caller.tenantId()).setParameter(3, spec.template())
                .setParameter(4, json(spec)).setParameter(5, WorkflowStatus.RUNNING.name())
                .setParameter(6, json(spec.policy())).setParameter(7, caller.keyName()).setParameter(8, now)
                .setParameter(9, idempotencyKey).setParameter(10, fingerprint)
                .executeUpdate();
        for (StepSpec step : spec.steps()) {
            boolean root = step.dependsOn().isEmpty();
            em.createNativeQuery("INSERT INTO workflow_steps (workflow_id, step_id, kind, status, depends_on, for_each)"
                            + " VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6)")
                    .setParameter(1, id).setParameter(2, step.id()).setParameter(3, step.kind().wireName())
                    .setParameter(4, (root ? StepStatus.RUNNING : StepStatus.PENDING).name())
                    .setParameter(5, json(step.dependsOn())).setParameter(6, step.forEachStep())
                    .executeUpdate();
        }
        // The workflow row must exist before its jobs reference it.
        em.flush();
        audit.recordWorkflow(id, SUBMITTED, caller, new Submitted(spec.template(), spec.steps().stream()
                .map(s -> new Submitted.Step(s.id(), s.kind().wireName())).toList()));
        for (StepSpec root : spec.roots()) {
            jobs.createForWorkflow(caller, root.spec(), id, root.id());
        }
        return id;
    }

    private String json(Object value) {
        try {
            return codec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise workflow", e);
        }
    }
}
