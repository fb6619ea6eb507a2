package dev.tuneforge.api.audit;

import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.persistence.AuditFilter;
import dev.tuneforge.api.persistence.JobEventEntity;
import dev.tuneforge.api.persistence.JobEventRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Consumer;

/** Reads the caller's tenant's audit log ({@code job_events}) in log order: a page at a time, or all of it. */
@ApplicationScoped
public class AuditLog {
    /** Rows per database round trip of an export: the export's memory stays this size whatever the log holds. */
    static final int EXPORT_PAGE = 500;

    private final JobEventRepository events;

    AuditLog(JobEventRepository events) {
        this.events = events;
    }

    /** Up to {@code limit} rows after {@code afterSeq} (0: from the start). */
    public List<JobEventEntity> page(Caller caller, AuditFilter filter, long afterSeq, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> events.audit(caller.tenantId(), filter, afterSeq, limit));
    }

    /**
     * Hands every matching row to {@code sink}, in order, one page at a time. Each page is its own short
     * transaction, so a long export holds no transaction open while the client reads slowly.
     */
    public void export(Caller caller, AuditFilter filter, Consumer<List<JobEventEntity>> sink) {
        long after = 0;
        List<JobEventEntity> rows;
        do {
            rows = page(caller, filter, after, EXPORT_PAGE);
            if (!rows.isEmpty()) {
                sink.accept(rows);
                after = rows.get(rows.size() - 1).seq;
            }
        } while (rows.size() == EXPORT_PAGE);
    }
}
