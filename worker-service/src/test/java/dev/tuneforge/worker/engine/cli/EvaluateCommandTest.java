package dev.tuneforge.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.face.FacePhotos;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    /** A face, a blank image and a broken file against two portraits, CLIP from goldens/clip. */
    @Test
    void printsTheReportAsJson(@TempDir Path tmp) throws Exception {
        Path generated = Files.createDirectory(tmp.resolve("generated"));
        Files.copy(FacePhotos.file("single/angry.jpg"), generated.resolve("a.jpg"));
        Files.copy(FacePhotos.file("single/white-no-face.png"), generated.resolve("b.png"));
        Files.writeString(generated.resolve("c.png"), "not an image");
        Files.writeString(generated.resolve("notes.txt"), "ignored: not an image file name");
        Path train = Files.createDirectory(tmp.resolve("train"));
        Files.copy(FacePhotos.file("single/sad.jpg"), train.resolve("1.jpg"));
        Files.copy(FacePhotos.file("single/neutral.jpg"), train.resolve("2.jpg"));
        Path prompts = tmp.resolve("prompts.json");
        Files.writeString(prompts, "{\"a.jpg\": \"a photo of a man\", \"b.png\": \"a red car\","
                + " \"c.png\": \"a photo of a cat\", \"unused.png\": \"extra entries are fine\"}");

        CliRun out = CliRun.of("evaluate", "--generated", generated.toString(), "--train", train.toString(), "--prompts",
                prompts.toString(), "--clip", Goldens.dir("clip").toString());
        assertThat(out.exit()).as(out.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.out());
        assertThat(report.path("generated").asInt()).isEqualTo(3);
        assertThat(report.path("withFace").asInt()).isEqualTo(1);
        assertThat(report.path("faceless").asInt()).isEqualTo(1);
        assertThat(report.path("unreadable").asInt()).isEqualTo(1);
        assertThat(report.path("faceDistance").isNumber()).isTrue();
        assertThat(report.path("clipScore").asDouble()).isEqualTo(report.path("images").get(0).path("clipScore")
                .asDouble());
        assertThat(report.path("clipScoreAllImages").asDouble()).isEqualTo((report.path("images").get(0)
                .path("clipScore").asDouble() + report.path("images").get(1).path("clipScore").asDouble()) / 2,
                offset(1e-9));
        assertThat(report.path("training").path("withFace").asInt()).isEqualTo(2);
        assertThat(report.path("images").get(0).path("name").asText()).isEqualTo("a.jpg");
        assertThat(report.path("images").get(0).path("box").path("width").asDouble()).isPositive();
        assertThat(report.path("images").get(2).path("error").asText()).contains("c.png");
    }

    @Test
    void withoutPromptsOrClipOnlyFaceMetrics(@TempDir Path tmp) throws Exception {
        Path generated = Files.createDirectory(tmp.resolve("generated"));
        Files.copy(FacePhotos.file("single/happy.jpg"), generated.resolve("a.jpg"));
        CliRun out = CliRun.of("evaluate", "--generated", generated.toString(), "--train", generated.toString(),
                "--detector", "ssd");
        assertThat(out.exit()).as(out.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.out());
        assertThat(report.path("faceDistance").asDouble()).isLessThan(1e-3);
        assertThat(report.path("clipScoreError").asText()).isEqualTo("no CLIP model given");
        assertThat(report.path("clipScoreAllImagesError").asText()).isEqualTo("no CLIP model given");
        assertThat(report.path("faceModel").asText()).contains("SSD MobileNetV1");
    }

    @Test
    void badFoldersAndPromptFilesAreUsageErrorsNamingThem(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path generated = Files.createDirectory(tmp.resolve("generated"));
        Files.copy(FacePhotos.file("single/white-no-face.png"), generated.resolve("a.png"));
        Files.copy(FacePhotos.file("single/white-no-face.png"), generated.resolve("b.png"));
        Path lines = tmp.resolve("prompts.txt");
        Files.writeString(lines, "only one prompt\n");

        CliRun noImages = CliRun.of("evaluate", "--generated", empty.toString(), "--train", generated.toString());
        assertThat(noImages.exit()).isEqualTo(2);
        assertThat(noImages.err()).contains("--generated folder " + empty + " holds no images");

        CliRun missing = CliRun.of("evaluate", "--generated", tmp.resolve("nope").toString(), "--train", empty.toString());
        assertThat(missing.err()).contains("--generated folder " + tmp.resolve("nope") + " does not exist");

        CliRun counts = CliRun.of("evaluate", "--generated", generated.toString(), "--train", generated.toString(),
                "--prompts", lines.toString());
        assertThat(counts.exit()).isEqualTo(2);
        assertThat(counts.err()).contains("has 1 prompts for 2 generated images");

        Path json = tmp.resolve("prompts.json");
        Files.writeString(json, "{\"a.png\": \"a cat\"}");
        CliRun unnamed = CliRun.of("evaluate", "--generated", generated.toString(), "--train", generated.toString(),
                "--prompts", json.toString());
        assertThat(unnamed.err()).contains("has no prompt for [b.png]");
    }
}
