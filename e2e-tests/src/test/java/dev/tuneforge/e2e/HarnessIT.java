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
        E2ePlatform platform = E2ePlatform.get();
        Api api = new Api(platform);
        DemoJobs.register(platform, api);
        String id = api.submit("generate", Map.of("modelId", DemoJobs.MODEL, "sampling", DemoJobs.sampling(2, 1)));

        String status = api.awaitTerminal(id, Duration.ofMinutes(2));

        assertThat(status).isIn(Api.TERMINAL);
        List<String> types = api.eventTypes(id);
        assertThat(types).as("audit trail").isNotEmpty();
        assertThat(types.get(types.size() - 1)).isIn("succeeded", "failed", "cancelled");
    }
}
