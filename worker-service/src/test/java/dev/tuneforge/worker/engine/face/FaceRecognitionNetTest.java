package dev.tuneforge.worker.engine.face;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** face-api.js's own descriptor tests: the whole image as input, Euclidean distance below 0.1. */
class FaceRecognitionNetTest {

    private static NDManager manager;
    private static FaceRecognitionNet net;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        net = FaceRecognitionNet.load(FaceModelFiles.locate(), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void descriptorsMatchFaceApiReference() throws IOException {
        String[][] cases = {{"face1.png", "faceDescriptor1.json"}, {"face2.png", "faceDescriptor2.json"},
            {"face_rectangular.png", "faceDescriptorRect.json"}};
        for (String[] c : cases) {
            float[] actual = net.descriptors(List.of(FacePhotos.image("reference/" + c[0])), manager).get(0);
            double distance = euclidean(actual, reference("reference/" + c[1]));
            System.out.printf("face descriptor %s: distance to face-api.js reference %.4f%n", c[0], distance);
            assertThat(distance).as(c[0]).isLessThan(0.1);
        }
    }

    static float[] reference(String relative) throws IOException {
        JsonNode json = new ObjectMapper().readTree(FacePhotos.file(relative).toFile());
        float[] values = new float[json.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) json.get(i).asDouble();
        }
        return values;
    }

    static double euclidean(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
