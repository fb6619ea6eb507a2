package dev.tuneforge.api.config;

import dev.tuneforge.common.jobs.JobKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the api-service, under {@code tuneforge.api}. */
@ConfigMapping(prefix = "tuneforge.api")
public interface ApiConfig {

    /** CloudEvents {@code source} of every event the API writes. */
    @WithDefault("/tuneforge/api")
    String eventSource();

    Auth auth();

    TopicNames topics();

    Relay relay();

    Jobs jobs();

    interface Auth {
        /**
         * A key to register on start-up for tenant {@code local} as {@code local-admin} when its hash
         * is not known yet; {@code ./tuneforge up} sets it through {@code TUNEFORGE_AUTH_BOOTSTRAP_KEY}.
         */
        Optional<String> bootstrapKey();
    }

    /** Kafka topics by logical role; defaults are the names of {@link dev.tuneforge.common.Topics}. */
    interface TopicNames {
        @WithDefault(dev.tuneforge.common.Topics.JOBS_TRAIN)
        String train();

        @WithDefault(dev.tuneforge.common.Topics.JOBS_GENERATE)
        String generate();

        @WithDefault(dev.tuneforge.common.Topics.JOBS_EVALUATE)
        String evaluate();

        @WithDefault(dev.tuneforge.common.Topics.JOB_CONTROL)
        String jobControl();

        default String command(JobKind kind) {
            return switch (kind) {
                case TRAIN -> train();
                case GENERATE -> generate();
                case EVALUATE -> evaluate();
            };
        }
    }

    interface Relay {
        /** Off only for tools that must not publish; the relay is what moves jobs to QUEUED. */
        @WithDefault("true")
        boolean enabled();

        /** Rows taken per pass (each pass is one database transaction). */
        @WithDefault("50")
        int batchSize();

        /** How often to look for rows written by others (the scheduler); own writes wake the relay at once. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** Producer {@code delivery.timeout.ms}: how long one pass waits for the broker before it gives up. */
        @WithDefault("30s")
        Duration deliveryTimeout();

        /** First pause after a failed pass; doubled per consecutive failure up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /** While the broker stays unreachable, repeat the warning at most this often. */
        @WithDefault("1m")
        Duration failureLogInterval();
    }

    interface Jobs {
        /** Page size of {@code GET /api/v1/jobs} when no {@code limit} is given. */
        @WithDefault("20")
        int defaultPageSize();

        @WithDefault("100")
        int maxPageSize();

        /** Longest accepted {@code Idempotency-Key} header. */
        @WithDefault("200")
        int maxIdempotencyKeyLength();
    }
}
