package dev.tuneforge.api.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.jobs.JobSubmission;
import dev.tuneforge.api.jobs.AuditTrail;
import dev.tuneforge.api.jobs.UnknownReferenceException;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.common.workflows.WorkflowSpecs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
     */
    public UUID submit(Caller caller, JsonNode body) {
        WorkflowSpec spec = specs.parse(body);
        return QuarkusTransaction.requiringNew().call(() -> create(caller, spec));
    }

    private UUID create(Caller caller, WorkflowSpec spec) {
        references.requireKnown(caller, spec);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.createNativeQuery("INSERT INTO workflows (id, tenant_id, template, spec, status, policy, created_by,"
                        + " created_at, updated_at) VALUES (?1, ?2, ?3, CAST(?4 AS jsonb), ?5, CAST(?6 AS jsonb), ?7, ?8, ?8)")
                .setParameter(1, id).setParameter(2, caller.tenantId()).setParameter(3, spec.template())
                .setParameter(4, json(spec)).setParameter(5, WorkflowStatus.RUNNING.name())
                .setParameter(6, json(spec.policy())).setParameter(7, caller.keyName()).setParameter(8, now)
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
