package dev.tuneforge.api.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/** The {@code checkpoints} rows the scheduler writes from a training job's events; the API only reads them. */
@ApplicationScoped
public class CheckpointRepository {
    private final EntityManager em;

    CheckpointRepository(EntityManager em) {
        this.em = em;
    }

    /** One checkpoint; the JSON columns as JSON text (null when not reported yet). */
    public record CheckpointRow(int step, String location, String metrics, String reportLocation, String samples) {
    }

    public List<CheckpointRow> ofJob(UUID jobId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT step, location, metrics::text, report_location, samples::text"
                + " FROM checkpoints WHERE job_id = :job ORDER BY step")
                .setParameter("job", jobId)
                .getResultList();
        return rows.stream().map(r -> new CheckpointRow(((Number) r[0]).intValue(), (String) r[1], (String) r[2],
                (String) r[3], (String) r[4])).toList();
    }
}
