package dev.tuneforge.api.jobs;

import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.persistence.CheckpointRepository;
import dev.tuneforge.api.persistence.CheckpointRepository.CheckpointRow;
import dev.tuneforge.api.persistence.JobEntity;
import dev.tuneforge.api.persistence.JobEventEntity;
import dev.tuneforge.api.persistence.JobEventRepository;
import dev.tuneforge.api.persistence.JobPosition;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads of jobs and their audit trail, always within the caller's tenant. */
@ApplicationScoped
public class JobQueries {
    private final JobRepository jobs;
    private final JobEventRepository events;
    private final CheckpointRepository checkpoints;

    JobQueries(JobRepository jobs, JobEventRepository events, CheckpointRepository checkpoints) {
        this.jobs = jobs;
        this.events = events;
        this.checkpoints = checkpoints;
    }

    public JobEntity get(Caller caller, UUID id) {
        return jobs.findForTenant(caller.tenantId(), id).orElseThrow(() -> new JobNotFoundException(id.toString()));
    }

    /** Up to {@code limit} jobs, newest first, after {@code after} (null: from the newest). */
    public List<JobEntity> list(Caller caller, JobStatus status, JobKind kind, JobPosition after, int limit) {
        return jobs.page(caller.tenantId(), status, kind, after, limit);
    }

    /** The complete checkpoints of a job of the caller's tenant, by step. */
    public List<CheckpointRow> checkpoints(Caller caller, UUID id) {
        get(caller, id);
        return checkpoints.ofJob(id);
    }

    /** Up to {@code limit} audit events of a job of the caller's tenant, with seq greater than {@code afterSeq}. */
    public List<JobEventEntity> events(Caller caller, UUID id, long afterSeq, int limit) {
        get(caller, id);
        return events.trail(id, afterSeq, limit);
    }
}
