package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.common.events.JobCancelRequested;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CancelRegistryTest {
    private final CancelRegistry registry = new CancelRegistry();
    private final UUID jobId = UUID.randomUUID();

    @Test
    void aRequestCancelsItsAttemptAndEarlierOnes() {
        registry.record(new JobCancelRequested(jobId, 2, "alice"));
        assertThat(registry.find(Commands.train(jobId, 1))).isPresent();
        assertThat(registry.find(Commands.train(jobId, 2))).isPresent();
        assertThat(registry.find(Commands.train(jobId, 3))).isEmpty();
        assertThat(registry.find(Commands.train(UUID.randomUUID(), 1))).isEmpty();
    }

    @Test
    void anOlderRequestDoesNotNarrowANewerOne() {
        registry.record(new JobCancelRequested(jobId, 3, "alice"));
        registry.record(new JobCancelRequested(jobId, 1, "bob"));
        assertThat(registry.find(Commands.train(jobId, 3))).get().extracting(JobCancelRequested::requestedBy)
                .isEqualTo("alice");
    }

    @Test
    void listenersHearEveryRequest() {
        List<JobCancelRequested> heard = new ArrayList<>();
        registry.onRequest(heard::add);
        JobCancelRequested request = new JobCancelRequested(jobId, 1, "alice");
        registry.record(request);
        assertThat(heard).containsExactly(request);
    }
}
