package dev.tuneforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.common.storage.ObjectKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A user's trip on the tiny model: train a LoRA, generate with it, evaluate a checkpoint. */
class TrainGenerateEvaluateIT extends DemoPlatformIT {

    private static final String TENANT = Artifacts.TENANT;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void loraTrainingStoresBothCheckpointsAndTheFinalLoraInBothNamingsWithAnOrderedAuditTrail() {
        String id = DemoJobs.referenceTraining(api);
        UUID job = UUID.fromString(id);

        assertThat(api.status(id)).isEqualTo("SUCCEEDED");
        for (int step : List.of(10, 20)) {
            String prefix = ObjectKeys.checkpointPrefix(TENANT, job, step);
            assertThat(s3.keys(prefix)).as("checkpoint %d", step).contains(prefix + "manifest.json")
                    .anyMatch(k -> k.endsWith(".safetensors"));
        }
        String fin = ObjectKeys.finalPrefix(TENANT, job);
        assertThat(s3.keys(fin)).contains(fin + "pytorch_lora_weights.safetensors", fin + "lora_kohya.safetensors");

        List<Map<String, Object>> events = api.events(id);
        List<Long> seqs = events.stream().map(e -> ((Number) e.get("seq")).longValue()).toList();
        assertThat(seqs).as("recording order").isSorted().doesNotHaveDuplicates();
        List<String> types = api.eventTypes(id);
        assertThat(types.get(0)).isEqualTo("requested");
        assertThat(types.get(types.size() - 1)).isEqualTo("succeeded");
        assertThat(types).containsSubsequence("requested", "started", "progress", "checkpoint", "checkpoint",
                "succeeded");
        assertThat(types.stream().filter("succeeded"::equals).count()).isEqualTo(1);
        assertThat(stepsOf(events, ".checkpoint")).as("checkpoint events").containsExactly(10, 20);
        assertThat(stepsOf(events, ".samples")).as("validation renders").containsExactly(10, 20);
    }

    @Test
    void generatingWithTheTrainedLoraStoresImagesAndTheSameSeedGivesTheSameBytes() {
        String training = DemoJobs.referenceTraining(api);
        Map<String, Object> spec = Map.of("modelId", DemoJobs.MODEL, "lora", Map.of("jobId", training, "scale", 1.0),
                "sampling", DemoJobs.sampling(4, 42));
        String first = api.submit("generate", spec);
        String second = api.submit("generate", spec);

        assertThat(api.awaitTerminal(first, JOB_TIMEOUT)).isEqualTo("SUCCEEDED");
        assertThat(api.awaitTerminal(second, JOB_TIMEOUT)).isEqualTo("SUCCEEDED");

        List<String> images = pngs(first);
        assertThat(images).isNotEmpty().isEqualTo(pngs(second));
        String firstPrefix = ObjectKeys.jobPrefix(TENANT, UUID.fromString(first));
        String secondPrefix = ObjectKeys.jobPrefix(TENANT, UUID.fromString(second));
        for (String image : images) {
            assertThat(s3.read(secondPrefix + image)).as("%s with the same seed", image)
                    .isEqualTo(s3.read(firstPrefix + image));
        }
    }

    @Test
    void evaluatingACheckpointStoresAReportWithPerImageDetailsAndPublishesIt() {
        String training = DemoJobs.referenceTraining(api);
        String id = api.submit("evaluate", Map.of("modelId", DemoJobs.MODEL, "datasetId", DemoJobs.DATASET,
                "lora", Map.of("jobId", training, "step", 10), "sampling", DemoJobs.sampling(2, 3)));

        assertThat(api.awaitTerminal(id, JOB_TIMEOUT)).isEqualTo("SUCCEEDED");

        Map<String, Object> evaluated = api.events(id).stream()
                .filter(e -> String.valueOf(e.get("type")).endsWith(".evaluated")).findFirst()
                .orElseThrow(() -> new AssertionError("no job.evaluated in " + api.eventTypes(id)));
        Map<?, ?> payload = (Map<?, ?>) evaluated.get("payload");
        String key = Artifacts.keyOf((String) payload.get("reportLocation"));
        assertThat(key).isEqualTo(ObjectKeys.evalMetrics(TENANT, UUID.fromString(id), 10));
        JsonNode report = s3.readJson(key);
        assertThat(report.path("generated").asInt()).isPositive();
        assertThat(report.path("images").size()).isEqualTo(report.path("generated").asInt());
        assertThat(report.path("images").get(0).path("prompt").asText()).isEqualTo(DemoJobs.PROMPT);
    }

    private static List<Object> stepsOf(List<Map<String, Object>> events, String typeSuffix) {
        return events.stream().filter(e -> String.valueOf(e.get("type")).endsWith(typeSuffix))
                .map(e -> ((Map<?, ?>) e.get("payload")).get("step")).collect(Collectors.toList());
    }

    /** The job's images, by their path inside the job's folder (both jobs lay them out the same way). */
    private List<String> pngs(String id) {
        String prefix = ObjectKeys.jobPrefix(TENANT, UUID.fromString(id));
        return s3.keys(prefix).stream().filter(k -> k.endsWith(".png")).map(k -> k.substring(prefix.length()))
                .toList();
    }
}
