package dev.tuneforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.storage.ObjectKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Training survives a SIGKILLed worker and stops on cancel, keeping what it finished. */
class CrashAndCancelIT extends DemoPlatformIT {

    private static final String TENANT = Artifacts.TENANT;

    @Test
    void aSecondWorkerResumesAKilledTrainingFromItsLastCheckpointAndEndsWithTheUninterruptedLora() {
        String reference = DemoJobs.referenceTraining(api);
        String id = api.submit("train", DemoJobs.train(DemoJobs.STEPS));
        UUID job = UUID.fromString(id);

        awaitCheckpoint(job, DemoJobs.CHECKPOINT_EVERY);
        platform.killWorker();
        assertThat(api.status(id)).as("the kill must land mid-training for this test to mean anything")
                .isNotEqualTo("SUCCEEDED");
        platform.startWorker();

        assertThat(api.awaitTerminal(id, DemoJobs.TRAINING_TIMEOUT)).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> events = api.events(id);
        assertThat(events.stream().filter(e -> String.valueOf(e.get("type")).endsWith(".succeeded")).count())
                .as("succeeded events").isEqualTo(1);
        // The second delivery says where it resumed (checkpoint 10), then trains on from step 11.
        int lastStart = 0;
        for (int i = 0; i < events.size(); i++) {
            if (String.valueOf(events.get(i).get("type")).endsWith(".started")) {
                lastStart = i;
            }
        }
        assertThat(events.subList(0, lastStart)).as("events before the second start")
                .anyMatch(e -> String.valueOf(e.get("type")).endsWith(".started"));
        List<Map<?, ?>> progressAfterRestart = events.subList(lastStart, events.size()).stream()
                .filter(e -> String.valueOf(e.get("type")).endsWith(".progress"))
                .<Map<?, ?>>map(e -> (Map<?, ?>) e.get("payload")).filter(p -> p.get("step") != null).toList();
        assertThat(progressAfterRestart).as("progress after the second start: " + api.eventTypes(id)).hasSizeGreaterThan(1);
        assertThat(progressAfterRestart.get(0).get("message")).isEqualTo("resumed from checkpoint step "
                + DemoJobs.CHECKPOINT_EVERY);
        assertThat(progressAfterRestart.get(0).get("step")).isEqualTo(DemoJobs.CHECKPOINT_EVERY);
        assertThat(progressAfterRestart.get(1).get("step")).as("first step of the second worker")
                .isEqualTo(DemoJobs.CHECKPOINT_EVERY + 1);

        byte[] resumed = s3.read(ObjectKeys.finalPrefix(TENANT, job) + "pytorch_lora_weights.safetensors");
        byte[] uninterrupted = s3.read(ObjectKeys.finalPrefix(TENANT, UUID.fromString(reference))
                + "pytorch_lora_weights.safetensors");
        assertThat(Artifacts.maxAbsDifference(Artifacts.f32Tensors(resumed), Artifacts.f32Tensors(uninterrupted)))
                .as("largest difference to the uninterrupted run's LoRA").isLessThanOrEqualTo(1e-6);
    }

    @Test
    void cancellingDuringTrainingEndsCancelledAndKeepsTheFinishedCheckpoints() {
        DemoJobs.referenceTraining(api);
        String id = api.submit("train", DemoJobs.train(2000));
        UUID job = UUID.fromString(id);

        awaitCheckpoint(job, DemoJobs.CHECKPOINT_EVERY);
        api.cancel(id);

        assertThat(api.awaitTerminal(id, Duration.ofMinutes(2))).isEqualTo("CANCELLED");
        String first = ObjectKeys.checkpointPrefix(TENANT, job, DemoJobs.CHECKPOINT_EVERY);
        assertThat(s3.keys(first)).contains(first + "manifest.json");
        assertThat(s3.keys(ObjectKeys.finalPrefix(TENANT, job))).as("no final LoRA of a cancelled run").isEmpty();
    }

    /** Waits until the checkpoint of {@code step} counts: its manifest, uploaded last, is there. */
    private void awaitCheckpoint(UUID job, int step) {
        String manifest = ObjectKeys.checkpointPrefix(TENANT, job, step) + "manifest.json";
        await("checkpoint " + step + " of job " + job).atMost(DemoJobs.TRAINING_TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).until(() -> s3.keys(manifest).contains(manifest));
    }
}
