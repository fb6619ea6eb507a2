package dev.tuneforge.api.config;

import dev.tuneforge.common.jobs.JobKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.quarkus.runtime.configuration.MemorySize;
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

    Uploads uploads();

    Datasets datasets();

    Models models();

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

    /** Request bodies: small JSON everywhere, large multipart bodies on the upload endpoints only. */
    interface Uploads {
        /**
         * Body limit of every endpoint except the uploads. 512K keeps every accepted job request,
         * wrapped in its CloudEvent, well under Kafka's default 1 MB record limit.
         */
        @WithDefault("512K")
        MemorySize maxBodySize();

        /**
         * Body limit of {@code POST /api/v1/datasets} and {@code POST /api/v1/models} (an SD 1.5
         * model in fp32 is about 5 GB). {@code quarkus.http.limits.max-body-size} must be at least this.
         */
        @WithDefault("8G")
        MemorySize maxUploadBodySize();
    }

    /** Limits of one dataset upload ({@code tuneforge.api.datasets.*}), counted after unzipping. */
    interface Datasets {
        /** Files (images plus captions) in one upload. */
        @WithDefault("2000")
        int maxFiles();

        /** Bytes of any one image or caption. */
        @WithDefault("32M")
        MemorySize maxFileSize();

        /** Bytes of all files together. */
        @WithDefault("2G")
        MemorySize maxTotalSize();
    }

    /** Limits of one model registration ({@code tuneforge.api.models.*}), counted after unzipping. */
    interface Models {
        @WithDefault("200")
        int maxFiles();

        /** Bytes of any one file (a UNet in fp32 is 3.4 GB). */
        @WithDefault("6G")
        MemorySize maxFileSize();

        @WithDefault("8G")
        MemorySize maxTotalSize();

        /** Largest safetensors JSON header read to check a weights file. */
        @WithDefault("16M")
        MemorySize maxSafetensorsHeader();
    }
}
