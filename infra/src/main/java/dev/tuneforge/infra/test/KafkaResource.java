package dev.tuneforge.infra.test;

import dev.tuneforge.infra.Component;
import dev.tuneforge.infra.PlatformEnv;
import java.util.Set;

/**
 * Real Kafka (KRaft, share groups enabled, TuneForge topics created) for {@code @QuarkusTest}s:
 * {@code @QuarkusTestResource(KafkaResource.class)}; sets {@code kafka.bootstrap.servers}.
 */
public class KafkaResource extends PlatformResource {
    public KafkaResource() {
        super(Set.of(Component.KAFKA));
    }

    public static String bootstrapServers() {
        return SharedPlatform.env().get(PlatformEnv.Setting.KAFKA_BOOTSTRAP_SERVERS);
    }

    /** Shuts the broker down (an outage); clients keep the address and reconnect after {@link #startBroker()}. */
    public static void stopBroker() {
        SharedPlatform.stop(Component.KAFKA);
    }

    /** Starts the broker again on the same port and data: topics, records and group state are back. */
    public static void startBroker() {
        SharedPlatform.start(Set.of(Component.KAFKA));
    }
}
