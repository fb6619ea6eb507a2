package dev.tuneforge.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.jboss.logging.Logger;

/**
 * Sets the share group's configs with the Admin client and waits until {@code describeConfigs}
 * shows them: the broker applies group configs asynchronously, and a worker that subscribed before
 * {@code share.auto.offset.reset=earliest} took effect would start the group at the log end.
 */
public final class ShareGroupConfigurer {
    private static final Logger LOG = Logger.getLogger(ShareGroupConfigurer.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(200);

    private final Admin admin;

    public ShareGroupConfigurer(Admin admin) {
        this.admin = admin;
    }

    /**
     * @throws IllegalStateException when the broker rejects a config (message names it) or the
     *     configs do not show within {@code timeout}
     */
    public void apply(ShareGroupSettings settings, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, settings.group());
        List<AlterConfigOp> ops = settings.configs().entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        await(admin.incrementalAlterConfigs(Map.of(group, ops)).all(), deadline,
                "setting configs " + settings.configs() + " on share group '" + settings.group() + "'");
        while (true) {
            Config described = await(admin.describeConfigs(List.of(group)).all(), deadline,
                    "describing share group '" + settings.group() + "'").get(group);
            Map<String, String> pending = settings.pending(described);
            if (pending.isEmpty()) {
                LOG.infof("Share group '%s' configured: %s", settings.group(), settings.configs());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("share group '" + settings.group() + "' still shows " + pending
                        + " after " + timeout + ": the broker did not apply the group configs");
            }
            Thread.sleep(CHECK_EVERY.toMillis());
        }
    }

    private static <T> T await(KafkaFuture<T> future, long deadline, String what)
            throws InterruptedException {
        long left = Math.max(1, deadline - System.nanoTime());
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " timed out: is Kafka reachable?", e);
        }
    }
}
