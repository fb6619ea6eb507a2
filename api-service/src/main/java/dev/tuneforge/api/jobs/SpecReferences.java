package dev.tuneforge.api.jobs;

import dev.tuneforge.api.persistence.DatasetRepository;
import dev.tuneforge.api.persistence.JobEntity;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.api.persistence.ModelRepository;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.jobs.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks, inside the submission's transaction, that what a spec names exists for the caller's
 * tenant: the model, the dataset (evaluate jobs need one too) and the training job of a LoRA. The
 * model and dataset rows are share-locked until the job row is committed, so a concurrent delete
 * either finishes first (and the job is refused) or sees the job (and the delete is refused).
 */
@ApplicationScoped
public class SpecReferences {
    private final ModelRepository models;
    private final DatasetRepository datasets;
    private final JobRepository jobs;

    SpecReferences(ModelRepository models, DatasetRepository datasets, JobRepository jobs) {
        this.models = models;
        this.datasets = datasets;
        this.jobs = jobs;
    }

    /** @throws UnknownReferenceException naming every field that names nothing */
    public void requireKnown(String tenantId, JobSpec spec) {
        List<Violation> unknown = new ArrayList<>();
        if (models.lock(tenantId, spec.modelId(), false).isEmpty()) {
            unknown.add(new Violation("spec.modelId", "no model '" + spec.modelId() + "'; register it with POST /api/v1/models"));
        }
        dataset(spec).filter(id -> datasets.lock(tenantId, id, false).isEmpty()).ifPresent(id -> unknown.add(
                new Violation("spec.datasetId", "no dataset '" + id + "'; upload it with POST /api/v1/datasets")));
        lora(spec).flatMap(lora -> unknownTrainJob(tenantId, lora.jobId())).ifPresent(unknown::add);
        if (!unknown.isEmpty()) {
            throw new UnknownReferenceException(unknown);
        }
    }

    private static Optional<String> dataset(JobSpec spec) {
        if (spec instanceof TrainSpec train) {
            return Optional.ofNullable(train.datasetId());
        }
        return spec instanceof EvaluateSpec evaluate ? Optional.ofNullable(evaluate.datasetId()) : Optional.empty();
    }

    private static Optional<LoraRef> lora(JobSpec spec) {
        if (spec instanceof GenerateSpec generate) {
            return Optional.ofNullable(generate.lora());
        }
        return spec instanceof EvaluateSpec evaluate ? Optional.ofNullable(evaluate.lora()) : Optional.empty();
    }

    private Optional<Violation> unknownTrainJob(String tenantId, String jobId) {
        Optional<JobEntity> job;
        try {
            job = jobs.findForTenant(tenantId, UUID.fromString(jobId));
        } catch (IllegalArgumentException e) {
            job = Optional.empty();
        }
        if (job.isEmpty()) {
            return Optional.of(new Violation("spec.lora.jobId", "no job '" + jobId + "'"));
        }
        return job.get().kind == JobKind.TRAIN ? Optional.empty()
                : Optional.of(new Violation("spec.lora.jobId", "job '" + jobId + "' is a " + job.get().kind.wireName()
                        + " job; a LoRA comes from a train job"));
    }
}
