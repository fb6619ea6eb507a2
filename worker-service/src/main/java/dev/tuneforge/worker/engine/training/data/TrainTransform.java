package dev.tuneforge.worker.engine.training.data;

import dev.tuneforge.worker.engine.image.PilResize;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.util.Random;

/**
 * The image transforms of diffusers' training scripts (torchvision): {@code Resize(resolution,
 * BILINEAR)} of the shorter side, {@code CenterCrop} or {@code RandomCrop} to a square,
 * {@code RandomHorizontalFlip}, then {@code ToTensor} and {@code Normalize([0.5], [0.5])}, giving
 * CHW float32 values in [-1, 1]. The resize is deterministic and done once per image; the crop and
 * flip are drawn per use as a {@link Placement}.
 */
public final class TrainTransform {

    /** Where the square crop sits in the resized image and whether it is mirrored. */
    public record Placement(int x, int y, boolean flipped) {
    }

    private final int resolution;
    private final boolean centerCrop;
    private final boolean randomFlip;

    public TrainTransform(int resolution, boolean centerCrop, boolean randomFlip) {
        this.resolution = resolution;
        this.centerCrop = centerCrop;
        this.randomFlip = randomFlip;
    }

    public int resolution() {
        return resolution;
    }

    /** torchvision's {@code Resize(int)}: shorter side to the resolution, longer side scaled and truncated. */
    public RgbImage resize(RgbImage image) {
        int w = image.width();
        int h = image.height();
        if (w <= h) {
            return PilResize.bilinear(image, resolution, (int) ((long) resolution * h / w));
        }
        return PilResize.bilinear(image, (int) ((long) resolution * w / h), resolution);
    }

    /** The crop and flip for one use of a resized image; draws from {@code random} only what is random. */
    public Placement place(RgbImage resized, Random random) {
        int spareX = resized.width() - resolution;
        int spareY = resized.height() - resolution;
        int x;
        int y;
        if (centerCrop) {
            // torchvision rounds half to even (Python's round).
            x = (int) Math.rint(spareX / 2.0);
            y = (int) Math.rint(spareY / 2.0);
        } else {
            y = random.nextInt(spareY + 1);
            x = random.nextInt(spareX + 1);
        }
        boolean flipped = randomFlip && random.nextDouble() < 0.5;
        return new Placement(x, y, flipped);
    }

    /** The placed crop as CHW float32 in [-1, 1] ({@code 3 × resolution × resolution} values). */
    public float[] pixels(RgbImage resized, Placement placement) {
        int r = resolution;
        float[] chw = new float[3 * r * r];
        for (int row = 0; row < r; row++) {
            for (int col = 0; col < r; col++) {
                int sourceCol = placement.x() + (placement.flipped() ? r - 1 - col : col);
                for (int c = 0; c < 3; c++) {
                    float unit = resized.get(sourceCol, placement.y() + row, c) / 255f;
                    chw[(c * r + row) * r + col] = (unit - 0.5f) / 0.5f;
                }
            }
        }
        return chw;
    }
}
