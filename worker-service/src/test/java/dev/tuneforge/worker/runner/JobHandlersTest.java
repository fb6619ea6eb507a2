package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.common.jobs.JobKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobHandlersTest {
    static class Train implements JobHandler {
        @Override
        public JobKind kind() {
            return JobKind.TRAIN;
        }

        @Override
        public JobResult run(JobContext context) {
            return JobResult.succeeded(Map.of());
        }
    }

    static class OtherTrain extends Train {
    }

    @Test
    void findsTheHandlerOfAKind() {
        Train train = new Train();
        JobHandlers handlers = new JobHandlers(List.of(train));
        assertThat(handlers.find(JobKind.TRAIN)).containsSame(train);
        assertThat(handlers.find(JobKind.GENERATE)).isEmpty();
    }

    @Test
    void twoHandlersForOneKindAreRejectedByName() {
        assertThatThrownBy(() -> new JobHandlers(List.of(new Train(), new OtherTrain())))
                .hasMessageContaining("two handlers for job kind 'train'")
                .hasMessageContaining(Train.class.getName())
                .hasMessageContaining(OtherTrain.class.getName());
    }

    @Test
    void noHandlerReasonNamesKindAndWorker() {
        assertThat(JobHandlers.noHandlerReason(JobKind.TRAIN, "gpu-1"))
                .isEqualTo("no handler for job kind 'train' on worker gpu-1: this worker build has no train handler");
    }
}
