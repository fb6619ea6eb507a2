package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobSucceeded;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.junit.jupiter.api.Test;

class SettlementTest {
    private final JobCommand command = Commands.train();
    private final JobExecution.Stop cancel = new JobExecution.Stop(StopReason.CANCEL, "cancelled by alice");
    private final JobExecution.Stop shutdown = new JobExecution.Stop(StopReason.SHUTDOWN, "worker w shutting down");
    private final JobExecution.Stop lockLost = new JobExecution.Stop(StopReason.LOCK_LOST, "lost the lock");

    @Test
    void successIsPublishedThenAccepted() {
        Settlement s = Settlement.of(command, Completion.of(JobResult.succeeded(Map.of("lora", "s3://x"))), null);
        assertThat(s.type()).isEqualTo(EventType.JOB_SUCCEEDED);
        assertThat(s.event()).isEqualTo(new JobSucceeded(command.jobId(), 1, Map.of("lora", "s3://x")));
        assertThat(s.ack()).isEqualTo(AcknowledgeType.ACCEPT);
    }

    @Test
    void successCountsEvenWhenACancelCameTooLate() {
        Settlement s = Settlement.of(command, Completion.of(JobResult.succeeded(Map.of())), cancel);
        assertThat(s.type()).isEqualTo(EventType.JOB_SUCCEEDED);
    }

    @Test
    void badInputFailsForGood() {
        Settlement s = Settlement.of(command, Completion.failed(new BadInputException("images/a.png: not an image")), null);
        assertThat(s.event()).isEqualTo(new JobFailed(command.jobId(), 1, "images/a.png: not an image", false));
        assertThat(s.ack()).isEqualTo(AcknowledgeType.ACCEPT);
    }

    @Test
    void badInputFailsEvenDuringShutdown() {
        Settlement s = Settlement.of(command, Completion.failed(new BadInputException("NaN loss at step 3")), shutdown);
        assertThat(s.type()).isEqualTo(EventType.JOB_FAILED);
    }

    @Test
    void cancelledRunEndsAsCancelledWithWhoAsked() {
        Settlement s = Settlement.of(command, Completion.of(JobResult.stopped()), cancel);
        assertThat(s.event()).isEqualTo(new JobCancelled(command.jobId(), 1, "cancelled by alice"));
        assertThat(s.ack()).isEqualTo(AcknowledgeType.ACCEPT);
    }

    @Test
    void shutdownReleasesWithoutEvent() {
        Settlement s = Settlement.of(command, Completion.of(JobResult.stopped()), shutdown);
        assertThat(s.hasEvent()).isFalse();
        assertThat(s.ack()).isEqualTo(AcknowledgeType.RELEASE);
        assertThat(s.summary()).contains("shutting down");
    }

    @Test
    void lostLockReleasesWithoutEvent() {
        Settlement s = Settlement.of(command, Completion.of(JobResult.stopped()), lockLost);
        assertThat(s.hasEvent()).isFalse();
        assertThat(s.ack()).isEqualTo(AcknowledgeType.RELEASE);
    }

    @Test
    void infrastructureFaultReleasesForAnotherDelivery() {
        Settlement s = Settlement.of(command, Completion.failed(new RetryableJobException("S3 timed out")), null);
        assertThat(s.hasEvent()).isFalse();
        assertThat(s.ack()).isEqualTo(AcknowledgeType.RELEASE);
        assertThat(s.summary()).contains("S3 timed out");
    }

    @Test
    void unexpectedErrorFailsRetryablyAndNamesIt() {
        Settlement s = Settlement.of(command,
                Completion.failed(new IllegalStateException("boom", new IOException("disk full"))), null);
        JobFailed failed = (JobFailed) s.event();
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.reason()).isEqualTo(
                "train handler failed: IllegalStateException: boom (caused by IOException: disk full)");
        assertThat(s.ack()).isEqualTo(AcknowledgeType.ACCEPT);
    }

    @Test
    void stoppingUnaskedIsAFailure() {
        Settlement s = Settlement.of(command, Completion.of(JobResult.stopped()), null);
        assertThat(((JobFailed) s.event()).reason()).contains("stopped although nobody asked");
    }

    @Test
    void aHandlerReturningNothingFails() {
        Settlement s = Settlement.of(command, Completion.of(null), null);
        assertThat(((JobFailed) s.event()).reason()).contains("handler returned no JobResult");
    }
}
