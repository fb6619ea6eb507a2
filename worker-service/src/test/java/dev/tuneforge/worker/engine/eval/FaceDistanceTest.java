package dev.tuneforge.worker.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceDistanceTest {

    @Test
    void comparesDirectionsNotLengths() {
        assertThat(FaceDistance.between(new float[] {3, 0}, new float[] {0.5f, 0})).isCloseTo(0, offset(1e-12));
        assertThat(FaceDistance.between(new float[] {1, 0}, new float[] {0, 7})).isCloseTo(Math.sqrt(2), offset(1e-12));
        assertThat(FaceDistance.between(new float[] {2, 0}, new float[] {-1, 0})).isCloseTo(2, offset(1e-12));
    }

    @Test
    void meanOverPairsAveragesEveryCombination() {
        List<float[]> generated = List.of(new float[] {1, 0}, new float[] {0, 1});
        List<float[]> training = List.of(new float[] {1, 0}, new float[] {1, 0}, new float[] {-1, 0});
        // (0 + 0 + 2) for the first, 3 * sqrt(2) for the second, over 6 pairs.
        assertThat(FaceDistance.meanOverPairs(generated, training))
                .isCloseTo((2 + 3 * Math.sqrt(2)) / 6, offset(1e-12));
    }

    @Test
    void badInputFailsNamingIt() {
        assertThatThrownBy(() -> FaceDistance.between(new float[] {1}, new float[] {1, 2}))
                .hasMessageContaining("1 and 2");
        assertThatThrownBy(() -> FaceDistance.between(new float[] {0, 0}, new float[] {1, 2}))
                .hasMessageContaining("zero embedding");
        assertThatThrownBy(() -> FaceDistance.meanOverPairs(List.of(), List.of(new float[] {1})))
                .hasMessageContaining("0 and 1");
    }
}
