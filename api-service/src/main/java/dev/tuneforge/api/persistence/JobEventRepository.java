package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class JobEventRepository implements PanacheRepositoryBase<JobEventEntity, Long> {

    /** A job's audit trail in the order the scheduler recorded it, from after {@code afterSeq}. */
    public List<JobEventEntity> trail(UUID jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2 order by seq", jobId, afterSeq).range(0, limit - 1).list();
    }
}
