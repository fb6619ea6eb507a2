package dev.tuneforge.worker.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every fixture tensor of every golden folder loads with the shape and dtype fixtures.json declares. */
class GoldensTest {

    @Test
    void everyFixtureTensorMatchesItsDeclaration() throws IOException {
        List<String> folders = new ArrayList<>();
        try (var paths = Files.walk(Goldens.root())) {
            paths.filter(p -> p.getFileName().toString().endsWith("fixtures.safetensors"))
                    .forEach(p -> folders.add(Goldens.root().relativize(p).toString()));
        }
        assertThat(folders).isNotEmpty();
        for (String file : folders) {
            String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
            String base = file.substring(file.lastIndexOf('/') + 1).replace(".safetensors", "");
            try (Fixtures fixtures = Goldens.fixtures(dir, base)) {
                for (String name : fixtures.names()) {
                    JsonNode declared = fixtures.tensor(name);
                    assertThat(declared.isMissingNode()).as(file + " declares " + name).isFalse();
                    NDArray array = fixtures.get(name);
                    List<Long> shape = new ArrayList<>();
                    declared.path("shape").forEach(n -> shape.add(n.asLong()));
                    assertThat(array.getShape().getShape()).as(file + " " + name)
                            .containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
                    DataType expected = "int64".equals(declared.path("dtype").asText()) ? DataType.INT64 : DataType.FLOAT32;
                    assertThat(array.getDataType()).as(file + " " + name).isEqualTo(expected);
                    array.close();
                }
            }
        }
    }

    @Test
    void assertCloseReportsWhereArraysDiffer() {
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {1f, 2f, 3.5f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
            assertThat(Tensors.assertClose(a, a, 0, "same")).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tensors.assertClose(a, b, 0.1, "pair"))
                    .hasMessageContaining("pair")
                    .hasMessageContaining("[1, 0]")
                    .hasMessageContaining("0.500");
        }
    }
}
