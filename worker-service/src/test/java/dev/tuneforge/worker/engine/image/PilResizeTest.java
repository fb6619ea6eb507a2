package dev.tuneforge.worker.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the Pillow bicubic port; its exact output is proven by ClipImageProcessorTest against Pillow. */
class PilResizeTest {

    @Test
    void sameSizeIsTheIdentity() {
        RgbImage image = random(13, 7, 1);
        assertThat(PilResize.bicubic(image, 13, 7)).isEqualTo(image);
    }

    @Test
    void flatImageStaysFlatUpAndDown() {
        int[] pixels = new int[9 * 5 * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = 10;
            pixels[i + 1] = 200;
            pixels[i + 2] = 255;
        }
        RgbImage flat = RgbImage.of(9, 5, pixels);
        for (int[] size : new int[][] {{20, 11}, {3, 2}, {9, 12}}) {
            RgbImage out = PilResize.bicubic(flat, size[0], size[1]);
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    assertThat(new int[] {out.get(x, y, 0), out.get(x, y, 1), out.get(x, y, 2)})
                            .containsExactly(10, 200, 255);
                }
            }
        }
    }

    /** Bicubic overshoots at hard edges; the result is clipped to 0..255, not wrapped. */
    @Test
    void hardEdgesClipInsteadOfWrapping() {
        int[] pixels = new int[8 * 1 * 3];
        Arrays.fill(pixels, 12, 24, 255);
        RgbImage out = PilResize.bicubic(RgbImage.of(8, 1, pixels), 29, 1);
        for (int x = 0; x < 29; x++) {
            int v = out.get(x, 0, 0);
            assertThat(v).isBetween(0, 255);
            if (x < 10) {
                assertThat(v).isLessThan(128);
            }
            if (x > 19) {
                assertThat(v).isGreaterThan(128);
            }
        }
    }

    @Test
    void nonPositiveTargetFails() {
        assertThatThrownBy(() -> PilResize.bicubic(random(4, 4, 2), 0, 3)).hasMessageContaining("0x3");
    }

    private static RgbImage random(int w, int h, long seed) {
        Random random = new Random(seed);
        int[] pixels = new int[w * h * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        return RgbImage.of(w, h, pixels);
    }
}
