package dev.tuneforge.infra.test;

import dev.tuneforge.infra.Component;
import java.util.EnumSet;

/**
 * Kafka, PostgreSQL and S3 together: {@code @QuarkusTestResource(TuneForgeInfraResource.class)}.
 * The static accessors of {@link KafkaResource}, {@link PostgresResource} and {@link S3Resource}
 * work on the same servers.
 */
public class TuneForgeInfraResource extends PlatformResource {
    public TuneForgeInfraResource() {
        super(EnumSet.allOf(Component.class));
    }
}
