package dev.tuneforge.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.outbox.OutboxWriter;
import dev.tuneforge.api.persistence.JobEntity;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.JobSpecs;
import dev.tuneforge.common.jobs.JobStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Accepts a job: validates the spec, then writes the job row (SUBMITTED, attempt 1), its
 * {@code job.requested} command to the outbox and the submission to the audit trail in one
 * transaction. With an Idempotency-Key, a repeat
 * of the same request returns the job created the first time, and a different request under the
 * same key is refused.
 */
@ApplicationScoped
public class JobSubmission {
    /** The unique constraint {@code jobs_idempotency} makes two concurrent submissions with one key create one job. */
    private static final IdempotentCreation IDEMPOTENT = new IdempotentCreation("job", "jobs_idempotency");

    private final JobRepository jobs;
    private final OutboxWriter outbox;
    private final AuditTrail audit;
    private final JobSpecs specs;
    private final EventCodec codec;
    private final ApiConfig config;
    private final SpecReferences references;

    JobSubmission(JobRepository jobs, OutboxWriter outbox, AuditTrail audit, JobSpecs specs, EventCodec codec,
            ApiConfig config, SpecReferences references) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.audit = audit;
        this.specs = specs;
        this.codec = codec;
        this.config = config;
        this.references = references;
    }

    /** The job and whether this call created it (false: an idempotent replay). */
    public record Submission(JobEntity job, boolean created) {
    }

    /**
     * @throws dev.tuneforge.common.jobs.InvalidSpecException naming every invalid field
     * @throws IdempotencyConflictException the key was used for another request
     * @throws UnknownReferenceException the spec names a model, dataset or LoRA job the tenant does not have
     */
    public Submission submit(Caller caller, String kind, JsonNode rawSpec, String idempotencyKey) {
        JobSpec spec = specs.parse(kind, rawSpec);
        if (idempotencyKey == null) {
            return new Submission(QuarkusTransaction.requiringNew().call(() -> create(caller, spec, null, null)), true);
        }
        String fingerprint = RequestFingerprint.of(kind, rawSpec);
        IdempotentCreation.Outcome<JobEntity> outcome = IDEMPOTENT.once(idempotencyKey, fingerprint,
                () -> jobs.findByIdempotencyKey(caller.tenantId(), idempotencyKey)
                        .map(job -> new IdempotentCreation.Earlier<>(job, job.id, job.requestHash)),
                () -> create(caller, spec, idempotencyKey, fingerprint));
        return new Submission(outcome.value(), outcome.created());
    }

    /**
     * Writes a workflow step's job, its command and its audit row into the caller's transaction (the
     * one writing the workflow). Its references were checked by the workflow, which names them by
     * their place in the workflow request.
     */
    public JobEntity createForWorkflow(Caller caller, JobSpec spec, UUID workflowId, String step) {
        return insert(caller, spec, null, null, workflowId, step);
    }

    private JobEntity create(Caller caller, JobSpec spec, String idempotencyKey, String fingerprint) {
        references.requireKnown(caller.tenantId(), spec);
        return insert(caller, spec, idempotencyKey, fingerprint, null, null);
    }

    private JobEntity insert(Caller caller, JobSpec spec, String idempotencyKey, String fingerprint, UUID workflowId,
            String step) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID();
        job.tenantId = caller.tenantId();
        job.kind = spec.kind();
        job.status = JobStatus.SUBMITTED;
        job.attempt = 1;
        job.spec = json(spec);
        job.submittedBy = caller.keyName();
        job.idempotencyKey = idempotencyKey;
        job.requestHash = fingerprint;
        job.progress = "{}";
        job.artifacts = "{}";
        job.createdAt = now;
        job.updatedAt = now;
        job.workflowId = workflowId;
        job.workflowStep = step;
        jobs.persist(job);
        // Flush now so an idempotency-key clash surfaces here, not at commit.
        jobs.flush();
        CloudEvent command = outbox.append(config.topics().command(spec.kind()), EventType.JOB_REQUESTED,
                new JobCommand(job.id, job.attempt, job.tenantId, job.submittedBy, spec));
        audit.record(command, job.attempt, AuditTrail.SUBMIT);
        return job;
    }

    private String json(JobSpec spec) {
        try {
            return codec.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise job spec", e);
        }
    }
}
