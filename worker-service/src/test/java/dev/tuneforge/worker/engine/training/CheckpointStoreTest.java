package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint folders: manifest last, incomplete or damaged ones ignored, only the newest K kept. */
class CheckpointStoreTest {

    @Test
    void onlyTheNewestCheckpointsAreKept(@TempDir Path root) throws IOException {
        CheckpointStore store = new CheckpointStore(root, 2);
        for (int step : new int[] {10, 20, 30, 40}) {
            store.write(step, files("weights of " + step));
        }
        assertThat(store.complete()).extracting(CheckpointStore.Checkpoint::step).containsExactly(40, 30);
        assertThat(root.resolve("step-10")).doesNotExist();
        assertThat(root.resolve("step-40").resolve(CheckpointStore.MANIFEST)).exists();
        assertThat(Files.readString(root.resolve("step-40/manifest.json"))).contains("weights.bin", "sha256", "bytes");
    }

    @Test
    void aFolderWithoutManifestIsNotACheckpoint(@TempDir Path root) throws IOException {
        CheckpointStore store = new CheckpointStore(root, 3);
        store.write(5, files("five"));
        Path crashed = root.resolve("step-7");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve("weights.bin"), "half written");
        assertThat(store.latest(m -> { })).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(5));
        store.write(6, files("six"));
        assertThat(crashed).exists();
        store.write(7, files("seven"));
        assertThat(Files.readString(crashed.resolve("weights.bin"))).isEqualTo("seven");
        Path stale = root.resolve("step-1");
        Files.createDirectories(stale);
        store.write(8, files("eight"));
        assertThat(stale).doesNotExist();
    }

    @Test
    void aDamagedCheckpointIsSkippedWithAWarning(@TempDir Path root) throws IOException {
        CheckpointStore store = new CheckpointStore(root, 3);
        store.write(1, files("one"));
        store.write(2, files("two"));
        Files.writeString(root.resolve("step-2/weights.bin"), "tw0");
        List<String> warnings = new ArrayList<>();
        assertThat(store.latest(warnings::add)).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(1));
        assertThat(warnings).singleElement().asString().contains("step-2", "weights.bin", "SHA-256");
        Files.delete(root.resolve("step-1/weights.bin"));
        warnings.clear();
        assertThat(store.latest(warnings::add)).isEmpty();
        assertThat(warnings).hasSize(2).last().asString().contains("weights.bin is missing");
    }

    private static Map<String, CheckpointStore.FileWriter> files(String content) {
        Map<String, CheckpointStore.FileWriter> files = new LinkedHashMap<>();
        files.put("weights.bin", target -> Files.writeString(target, content));
        files.put("state.json", target -> Files.writeString(target, "{}"));
        return files;
    }
}
