package dev.tuneforge.worker.messaging;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;

/**
 * The group-level configs the worker share group needs (set on the GROUP config resource):
 * <ul>
 *   <li>{@code share.auto.offset.reset=earliest}: the default {@code latest} would skip every command
 *       queued before the first worker joined;</li>
 *   <li>{@code share.record.lock.duration.ms}: how long a dead worker keeps a job;</li>
 *   <li>{@code share.delivery.count.limit}: deliveries before the broker archives a record;</li>
 *   <li>{@code share.renew.acknowledge.enable=true}: lets the runner renew a lock (KIP-1222).</li>
 * </ul>
 */
public record ShareGroupSettings(String group, Duration lockDuration, int deliveryCountLimit) {
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    public static final String RENEW_ACKNOWLEDGE_ENABLE = "share.renew.acknowledge.enable";

    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(AUTO_OFFSET_RESET, "earliest");
        configs.put(LOCK_DURATION_MS, Long.toString(lockDuration.toMillis()));
        configs.put(DELIVERY_COUNT_LIMIT, Integer.toString(deliveryCountLimit));
        configs.put(RENEW_ACKNOWLEDGE_ENABLE, "true");
        return configs;
    }

    /** The wanted configs that {@code described} does not show yet, as {@code name=described value (want wanted)}. */
    public Map<String, String> pending(Config described) {
        Map<String, String> pending = new LinkedHashMap<>();
        configs().forEach((name, wanted) -> {
            ConfigEntry entry = described.get(name);
            String actual = entry == null ? null : entry.value();
            if (!Objects.equals(wanted, actual)) {
                pending.put(name, actual + " (want " + wanted + ")");
            }
        });
        return pending;
    }
}
