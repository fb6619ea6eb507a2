package dev.tuneforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness itself: the packaged services on the embedded platform carry a job to its end. */
@ExtendWith(PlatformExtension.class)
class HarnessIT {

    @Test
    void aSubmittedJobTravelsApiKafkaWorkerSchedulerToATerminalStateWithItsAuditTrail() {
        Api api = new Api(E2ePlatform.get());
        String id = api.submit("generate", Map.of("modelId", "harness-model",
                "sampling", Map.of("prompts", List.of("a photo of a tfdemo red circle"), "steps", 2, "width", 64,
                        "height", 64)));

        String status = api.awaitTerminal(id, Duration.ofMinutes(2));

        assertThat(status).isIn(Api.TERMINAL);
        List<String> types = api.eventTypes(id);
        assertThat(types).as("audit trail").isNotEmpty();
        assertThat(types.get(types.size() - 1)).isIn("succeeded", "failed", "cancelled");
    }
}
