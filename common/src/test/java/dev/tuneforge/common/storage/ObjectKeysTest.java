package dev.tuneforge.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {
    private final UUID job = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Test
    void buildsTheDesignLayout() {
        assertThat(ObjectKeys.datasetImage("t1", "faces", "img1", "PNG"))
                .isEqualTo("tenants/t1/datasets/faces/images/img1.png");
        assertThat(ObjectKeys.datasetCaption("t1", "faces", "img1")).isEqualTo("tenants/t1/datasets/faces/captions/img1.txt");
        assertThat(ObjectKeys.modelPrefix("t1", "sd15")).isEqualTo("tenants/t1/models/sd15/");
        assertThat(ObjectKeys.checkpointPrefix("t1", job, 100))
                .isEqualTo("tenants/t1/jobs/" + job + "/checkpoints/step-100/");
        assertThat(ObjectKeys.sample("t1", job, 10, 3)).isEqualTo("tenants/t1/jobs/" + job + "/samples/step-10/3.png");
        assertThat(ObjectKeys.evalMetrics("t1", job, 10)).isEqualTo("tenants/t1/jobs/" + job + "/eval/step-10/metrics.json");
        assertThat(ObjectKeys.finalPrefix("t1", job)).isEqualTo("tenants/t1/jobs/" + job + "/final/");
        assertThat(ObjectKeys.workflowBestPrefix("t1", job)).isEqualTo("tenants/t1/workflows/" + job + "/best/");
        assertThat(ObjectKeys.child(ObjectKeys.modelPrefix("t1", "sd15"), "unet/config.json"))
                .isEqualTo("tenants/t1/models/sd15/unet/config.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../b", "/abs", "a\\b", "x/y", "", "bad\u0001name", ".hidden"})
    void rejectsUnsafeSegments(String name) {
        assertThatThrownBy(() -> ObjectKeys.datasetCaption("t1", "faces", name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
    }

    @Test
    void rejectsEscapingChildPathsAndNonImageExtensions() {
        assertThatThrownBy(() -> ObjectKeys.child("tenants/t/models/m/", "../other/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.datasetImage("t", "d", "a", "exe"))
                .hasMessageContaining("not an image type");
    }

    @Test
    void downloadPathsStayInsideTheirDirectory() {
        Path dir = Path.of("/tmp/cache/model");
        assertThat(SafePaths.resolveInside(dir, "unet/config.json")).isEqualTo(Path.of("/tmp/cache/model/unet/config.json"));
        assertThatThrownBy(() -> SafePaths.resolveInside(dir, "../../etc/passwd")).hasMessageContaining("escapes");
        assertThatThrownBy(() -> SafePaths.resolveInside(dir, "/etc/passwd")).hasMessageContaining("escapes");
    }
}
