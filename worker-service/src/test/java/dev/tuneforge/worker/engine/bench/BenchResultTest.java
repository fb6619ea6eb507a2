package dev.tuneforge.worker.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchResultTest {

    @Test
    void medianOfAnEvenCountAveragesTheMiddlePair() {
        BenchResult result = BenchResult.of("unet-fwd", new double[] {5, 1, 9, 3, 7, 2, 8, 4, 6, 10}, 123);
        assertThat(result.medianMs()).isEqualTo(5.5);
        assertThat(result.minMs()).isEqualTo(1);
        assertThat(result.maxMs()).isEqualTo(10);
        assertThat(result.line()).isEqualTo("unet-fwd 5.5 1.0 10.0 123");
    }

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(BenchResult.of("c", new double[] {3, 1, 2}, 0).medianMs()).isEqualTo(2);
    }

    @Test
    void peakResidentMemoryIsReadOnLinux() {
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(BenchResult.processPeakRssMb()).isPositive();
        }
    }
}
