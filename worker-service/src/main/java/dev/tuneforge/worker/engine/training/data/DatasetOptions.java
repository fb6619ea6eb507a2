package dev.tuneforge.worker.engine.training.data;

/**
 * How a dataset folder is read.
 *
 * @param resolution the training resolution: images are resized so their shorter side has it
 * @param captionsRequired whether every image needs a caption file (DreamBooth uses one prompt for all)
 * @param skipBadFiles leave bad files out (and report them) instead of failing
 * @param rejectSmallImages fail on images whose shorter side is below the resolution instead of upscaling them
 */
public record DatasetOptions(int resolution, boolean captionsRequired, boolean skipBadFiles, boolean rejectSmallImages) {

    public DatasetOptions {
        if (resolution < 8 || resolution % 8 != 0) {
            throw new IllegalArgumentException("resolution must be a positive multiple of 8, got " + resolution);
        }
    }
}
