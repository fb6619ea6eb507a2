package dev.tuneforge.worker.testing;

import dev.tuneforge.worker.config.WorkerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** A {@link WorkerConfig} outside Quarkus: the mapping's defaults plus the given {@code tuneforge.worker.*} properties. */
public final class WorkerConfigs {
    private WorkerConfigs() {
    }

    public static WorkerConfig of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                // Quarkus' own converter, so that "3s" and "200ms" read as they do in application.properties.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(WorkerConfig.class);
    }
}
