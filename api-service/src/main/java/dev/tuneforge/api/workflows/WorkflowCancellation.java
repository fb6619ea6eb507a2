package dev.tuneforge.api.workflows;

import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.jobs.AuditTrail;
import dev.tuneforge.api.jobs.JobCancellation;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.workflows.StepStatus;
import dev.tuneforge.common.workflows.WorkflowStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Cancels a workflow: every job of it that has not ended is cancelled the way a single job is
 * (JobCancellation: at once if no worker took it, else the worker is asked to stop), the workflow
 * becomes CANCELLED so the scheduler starts no further step, and its steps that never ran say so.
 * What already ran (checkpoints, metrics, reports) is kept. The cancel is the workflow's own audit entry.
 */
@ApplicationScoped
public class WorkflowCancellation {
    static final String CANCELLED = "dev.tuneforge.workflow.cancelled";
    private static final List<String> TERMINAL = Arrays.stream(JobStatus.values())
            .filter(JobStatus::isTerminal).map(JobStatus::name).toList();

    private final EntityManager em;
    private final JobCancellation jobs;
    private final AuditTrail audit;

    WorkflowCancellation(EntityManager em, JobCancellation jobs, AuditTrail audit) {
        this.em = em;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** The payload of the cancel's audit entry. */
    record Cancelled(String reason) {
    }

    /** Whether every job ended at once (false: a worker was asked to stop at least one). */
    @Transactional
    public boolean cancel(Caller caller, UUID id) {
        // The row lock orders this against the scheduler driving the workflow: it starts no step after this commits.
        List<?> found = em.createNativeQuery("SELECT status FROM workflows WHERE id = ?1 AND tenant_id = ?2 FOR UPDATE")
                .setParameter(1, id).setParameter(2, caller.tenantId()).getResultList();
        if (found.isEmpty()) {
            throw new WorkflowNotFoundException(id.toString());
        }
        String status = (String) found.get(0);
        if (!WorkflowStatus.RUNNING.name().equals(status)) {
            throw new WorkflowNotCancellableException(id, status);
        }
        // Locked, so a job seen running here is still running when JobCancellation looks at it.
        List<?> running = em.createNativeQuery("SELECT id FROM jobs WHERE workflow_id = ?1"
                        + " AND status NOT IN (?2) ORDER BY created_at, id FOR UPDATE")
                .setParameter(1, id).setParameter(2, TERMINAL).getResultList();
        boolean immediate = true;
        for (Object job : running) {
            immediate &= jobs.cancel(caller, (UUID) job).immediate();
        }
        String reason = "cancelled by " + caller.keyName();
        em.createNativeQuery("UPDATE workflows SET status = ?1, failure_reason = ?2, updated_at = now(),"
                        + " version = version + 1 WHERE id = ?3")
                .setParameter(1, WorkflowStatus.CANCELLED.name()).setParameter(2, reason)
                .setParameter(3, id).executeUpdate();
        audit.recordWorkflow(id, CANCELLED, caller, new Cancelled(reason));
        em.createNativeQuery("UPDATE workflow_steps SET status = ?1 WHERE workflow_id = ?2 AND status IN (?3, ?4)")
                .setParameter(1, StepStatus.CANCELLED.name()).setParameter(2, id)
                .setParameter(3, StepStatus.PENDING.name()).setParameter(4, StepStatus.RUNNING.name())
                .executeUpdate();
        return immediate;
    }
}
