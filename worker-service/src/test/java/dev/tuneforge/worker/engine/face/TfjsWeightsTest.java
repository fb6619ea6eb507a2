package dev.tuneforge.worker.engine.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsWeightsTest {

    private static final double SCALE8 = 0.009007044399485869;
    private static final double MIN8 = -1.2069439495311063;
    private static final double SCALE16 = 3.1e-5;
    private static final double MIN16 = -0.75;

    /** uint8 and uint16 with scale and min, plain float32, weights spanning two shards: decoded as tfjs does. */
    @Test
    void decodesQuantizedAndPlainWeightsAcrossShards(@TempDir Path dir) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(6 + 8 + 6).order(ByteOrder.LITTLE_ENDIAN);
        data.put(new byte[] {0, 1, 2, (byte) 127, (byte) 128, (byte) 255});
        data.putFloat(1.5f).putFloat(-2.25f);
        data.putShort((short) 0).putShort((short) 40000).putShort((short) 65535);
        byte[] all = data.array();
        Files.write(dir.resolve("m.bin"), java.util.Arrays.copyOfRange(all, 0, 9));
        Files.write(dir.resolve("m2.bin"), java.util.Arrays.copyOfRange(all, 9, all.length));
        Files.writeString(dir.resolve("m-weights_manifest.json"), """
                [{"paths": ["m.bin", "m2.bin"], "weights": [
                  {"name": "a/filters", "shape": [2, 3], "dtype": "float32",
                   "quantization": {"dtype": "uint8", "scale": %s, "min": %s}},
                  {"name": "b", "shape": [2], "dtype": "float32"},
                  {"name": "c", "shape": [3], "dtype": "float32",
                   "quantization": {"dtype": "uint16", "scale": %s, "min": %s}}]}]
                """.formatted(SCALE8, MIN8, SCALE16, MIN16));
        TfjsWeights weights = TfjsWeights.load(FaceModelFiles.directory(dir), "m");
        assertThat(weights.names()).containsExactly("a/filters", "b", "c");
        assertThat(weights.get("a/filters", 2, 3).values()).containsExactly((float) (0 * SCALE8 + MIN8),
                (float) (SCALE8 + MIN8), (float) (2 * SCALE8 + MIN8), (float) (127 * SCALE8 + MIN8),
                (float) (128 * SCALE8 + MIN8), (float) (255 * SCALE8 + MIN8));
        assertThat(weights.get("b", 2).values()).containsExactly(1.5f, -2.25f);
        assertThat(weights.get("c", 3).values()).containsExactly((float) MIN16, (float) (40000 * SCALE16 + MIN16),
                (float) (65535 * SCALE16 + MIN16));
        assertThat(weights.unusedNames()).isEmpty();
    }

    /** int32 constants, plain or quantized (rounded half up, as tfjs's Math.round). */
    @Test
    void decodesInt32Weights(@TempDir Path dir) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 + 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(-7).putInt(70000).put((byte) 3).put((byte) 4);
        Files.write(dir.resolve("m.bin"), data.array());
        manifest(dir, "{\"name\": \"plain\", \"shape\": [2], \"dtype\": \"int32\"},"
                + " {\"name\": \"q\", \"shape\": [2], \"dtype\": \"int32\","
                + " \"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -1}}");
        TfjsWeights weights = TfjsWeights.load(FaceModelFiles.directory(dir), "m");
        assertThat(weights.get("plain", 2).values()).containsExactly(-7f, 70000f);
        assertThat(weights.get("q", 2).values()).containsExactly(1f, 1f);
    }

    @Test
    void badManifestsFailNamingTheWeight(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("m.bin"), new byte[4]);
        manifest(dir, "{\"name\": \"w\", \"shape\": [4], \"dtype\": \"float32\","
                + " \"quantization\": {\"dtype\": \"int4\", \"scale\": 1, \"min\": 0}}");
        assertThatThrownBy(() -> TfjsWeights.load(FaceModelFiles.directory(dir), "m"))
                .hasMessageContaining("'w'").hasMessageContaining("int4");
        manifest(dir, "{\"name\": \"w\", \"shape\": [2], \"dtype\": \"float32\"}");
        assertThatThrownBy(() -> TfjsWeights.load(FaceModelFiles.directory(dir), "m"))
                .hasMessageContaining("'w' [2] needs 8 bytes").hasMessageContaining("only 4 left");
        manifest(dir, "{\"name\": \"w\", \"shape\": [2], \"dtype\": \"float32\","
                + " \"quantization\": {\"dtype\": \"uint8\"}}");
        assertThatThrownBy(() -> TfjsWeights.load(FaceModelFiles.directory(dir), "m"))
                .hasMessageContaining("without scale and min");
        manifest(dir, "{\"name\": \"w\", \"shape\": [2], \"dtype\": \"string\"}");
        assertThatThrownBy(() -> TfjsWeights.load(FaceModelFiles.directory(dir), "m"))
                .hasMessageContaining("'w'").hasMessageContaining("'string'");
        manifest(dir, "{\"name\": \"w\", \"shape\": [2], \"dtype\": \"float32\","
                + " \"quantization\": {\"dtype\": \"uint8\", \"scale\": 1, \"min\": 0}}");
        assertThatThrownBy(() -> TfjsWeights.load(FaceModelFiles.directory(dir), "m"))
                .hasMessageContaining("2 bytes more");
    }

    @Test
    void wrongShapeAndMissingNamesFail(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("m.bin"), new byte[8]);
        manifest(dir, "{\"name\": \"w\", \"shape\": [2], \"dtype\": \"float32\"}");
        TfjsWeights weights = TfjsWeights.load(FaceModelFiles.directory(dir), "m");
        assertThatThrownBy(() -> weights.get("w", 1, 2)).hasMessageContaining("[2], expected [1, 2]");
        assertThatThrownBy(() -> weights.get("v", 2)).hasMessageContaining("no 'v'");
        assertThat(weights.unusedNames()).containsExactly("w");
    }

    @Test
    void missingFilesSayHowToGetTheModels(@TempDir Path dir) {
        assertThatThrownBy(() -> TfjsWeights.load(FaceModelFiles.directory(dir), "tiny_face_detector_model"))
                .hasMessageContaining("tiny_face_detector_model-weights_manifest.json does not exist")
                .hasMessageContaining("@vladmandic/face-api");
    }

    /** The packaged models: every quantized byte of the tiny detector's first filter decodes as tfjs does. */
    @Test
    void readsThePackagedFaceApiModels() throws IOException {
        FaceModelFiles files = FaceModelFiles.locate();
        TfjsWeights tiny = TfjsWeights.load(files, TinyFaceDetector.MODEL);
        byte[] bin;
        try (InputStream in = files.open(TinyFaceDetector.MODEL + ".bin")) {
            bin = in.readAllBytes();
        }
        float[] filters = tiny.get("conv0/filters", 3, 3, 3, 16).values();
        for (int i = 0; i < filters.length; i++) {
            assertThat(filters[i]).isEqualTo((float) ((bin[i] & 0xff) * SCALE8 + MIN8));
        }
        TfjsWeights recognition = TfjsWeights.load(files, FaceRecognitionNet.MODEL);
        assertThat(recognition.names()).contains("conv32_down/conv/filters", "conv64_down/conv1/conv/filters", "fc");
        // Some layers of this model are stored unquantized.
        assertThat(recognition.get("conv64_down/conv1/conv/filters", 3, 3, 32, 64).values()).hasSize(3 * 3 * 32 * 64);
    }

    private static void manifest(Path dir, String weight) throws IOException {
        Files.writeString(dir.resolve("m-weights_manifest.json"),
                "[{\"paths\": [\"m.bin\"], \"weights\": [" + weight + "]}]");
    }
}
