package dev.tuneforge.api.outbox;

import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.outbox.OutboxPublisher.PassResult;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka, forever: one pass after another while rows are waiting, then a
 * wait until a transaction appends a row (this instance's own writes) or the poll interval passes
 * (rows written by the scheduler). While the broker or the database is unreachable, passes are
 * retried with exponential backoff; a row the broker refuses (say, an unknown topic) holds back only
 * its own job and is retried at the poll interval. Rows stay in the table, in order, until the
 * broker acknowledges them, so an outage delays jobs but never loses or reorders one. Failures
 * are logged rate-limited ({@link RelayFailureLog}) and recorded on each row ({@code attempts},
 * {@code last_error}). Runs on its own thread, never on a request thread.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxPublisher publisher;
    private final ApiConfig.Relay config;
    private final RelayFailureLog failureLog;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(OutboxPublisher publisher, ApiConfig config) {
        this.publisher = publisher;
        this.config = config.relay();
        this.failureLog = new RelayFailureLog(this.config.failureLogInterval());
    }

    void start(@Observes StartupEvent start) {
        if (!config.enabled()) {
            LOG.warn("outbox relay disabled (tuneforge.api.relay.enabled=false): jobs stay SUBMITTED");
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        wake();
        // A pass in flight finishes (or times out) first, so no acked row is left unmarked needlessly.
        thread.join(config.deliveryTimeout().multipliedBy(2).toMillis());
    }

    /** After a transaction that appended outbox rows commits, publish without waiting for the next poll. */
    void onAppended(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxAppended appended) {
        wake();
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            PassResult result = runPass();
            if (result.sent() > 0) {
                LOG.debugf("outbox relay published %d records", result.sent());
            }
            if (result.error() == null) {
                failureLog.succeeded().ifPresent(LOG::info);
            } else {
                failureLog.failed(result.error(), Instant.now()).ifPresent(LOG::warn);
            }
            if (result.outage()) {
                waitFor(backoff(failureLog.failures(), config.initialBackoff(), config.maxBackoff()), false);
            } else if (!result.full()) {
                waitFor(config.pollInterval(), true);
            }
        }
    }

    private PassResult runPass() {
        try {
            return publisher.publishPending();
        } catch (RuntimeException e) {
            // The database (or the transaction) failed: nothing was marked, everything is retried.
            LOG.debug("outbox relay pass failed", e);
            return PassResult.outage(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The pause after the n-th failed pass in a row: initial, doubled each time, capped at max. */
    static Duration backoff(int failures, Duration initial, Duration max) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        return Duration.ofMillis(Math.min(max.toMillis(), initial.toMillis() << doublings));
    }

    /**
     * Waits until {@code timeout} passes, the relay stops, or (when {@code wakeable}) a transaction
     * appends a row. A backoff after a failure is not wakeable: new rows do not cut it short.
     */
    private void waitFor(Duration timeout, boolean wakeable) {
        synchronized (signal) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (running && !(wakeable && woken)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    signal.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            woken = false;
        }
    }
}
