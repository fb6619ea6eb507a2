package dev.tuneforge.worker.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.image.PilResize;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * transformers' CLIPImageProcessor as its {@code preprocessor_config.json} sets it up: resize
 * (shortest edge, or to a fixed size) with Pillow's bicubic, centre crop, rescale to [0, 1],
 * normalise by the per-channel mean and std; the result is CHW float32.
 */
public final class ClipImageProcessor {

    /** PIL.Image.Resampling.BICUBIC, the only filter CLIP checkpoints use. */
    private static final int PIL_BICUBIC = 3;
    private static final List<Double> OPENAI_CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
    private static final List<Double> OPENAI_CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

    private final Integer shortestEdge;
    private final int resizeHeight;
    private final int resizeWidth;
    private final boolean resize;
    private final boolean centerCrop;
    private final int cropHeight;
    private final int cropWidth;
    private final boolean rescale;
    private final double rescaleFactor;
    private final boolean normalize;
    private final float[] mean;
    private final float[] std;

    private ClipImageProcessor(ModelConfig config) {
        String source = config.source();
        this.resize = config.getBoolean("do_resize", true);
        int resample = config.getInt("resample", PIL_BICUBIC);
        if (resize && resample != PIL_BICUBIC) {
            throw new IllegalArgumentException("config " + source + ": resample " + resample
                    + " is not supported (only 3, bicubic)");
        }
        Size size = Size.of(config, "size", 224, false);
        this.shortestEdge = size.shortestEdge;
        this.resizeHeight = size.height;
        this.resizeWidth = size.width;
        this.centerCrop = config.getBoolean("do_center_crop", true);
        Size crop = Size.of(config, "crop_size", 224, true);
        this.cropHeight = crop.height;
        this.cropWidth = crop.width;
        this.rescale = config.getBoolean("do_rescale", true);
        this.rescaleFactor = config.getDouble("rescale_factor", 1 / 255.0);
        this.normalize = config.getBoolean("do_normalize", true);
        this.mean = channels(config, "image_mean", OPENAI_CLIP_MEAN);
        this.std = channels(config, "image_std", OPENAI_CLIP_STD);
    }

    /** Reads a {@code preprocessor_config.json}. */
    public static ClipImageProcessor load(Path preprocessorConfig) throws IOException {
        return new ClipImageProcessor(ModelConfig.read(preprocessorConfig));
    }

    /** One image as CHW float32 values, {@code 3 × outputHeight × outputWidth}. */
    public float[] preprocess(RgbImage image) {
        RgbImage resized = resize ? resized(image) : image;
        RgbImage cropped = centerCrop ? cropped(resized) : resized;
        int h = cropped.height();
        int w = cropped.width();
        float[] chw = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = cropped.get(x, y, c);
                    if (rescale) {
                        v = (float) (v * rescaleFactor);
                    }
                    if (normalize) {
                        v = (v - mean[c]) / std[c];
                    }
                    chw[(c * h + y) * w + x] = v;
                }
            }
        }
        return chw;
    }

    /** A batch {@code (N, 3, H, W)} in {@code manager}; every image must come out the same size (crop on). */
    public NDArray pixelValues(List<RgbImage> images, NDManager manager) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to preprocess");
        }
        float[][] each = images.stream().map(this::preprocess).toArray(float[][]::new);
        int per = each[0].length;
        float[] batch = new float[per * each.length];
        for (int i = 0; i < each.length; i++) {
            if (each[i].length != per) {
                throw new IllegalArgumentException("image " + i + " preprocesses to another size than image 0; "
                        + "the preprocessor config has no centre crop");
            }
            System.arraycopy(each[i], 0, batch, i * per, per);
        }
        int h = centerCrop ? cropHeight : resizedSize(images.get(0))[0];
        return manager.create(batch, new Shape(each.length, 3, h, per / (3 * h)));
    }

    private RgbImage resized(RgbImage image) {
        int[] size = resizedSize(image);
        return PilResize.bicubic(image, size[1], size[0]);
    }

    /** (height, width) after resizing, as transformers' get_resize_output_image_size computes it. */
    private int[] resizedSize(RgbImage image) {
        if (!resize) {
            return new int[] {image.height(), image.width()};
        }
        if (shortestEdge == null) {
            return new int[] {resizeHeight, resizeWidth};
        }
        int w = image.width();
        int h = image.height();
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        int newLong = (int) ((double) shortestEdge * longSide / shortSide);
        return w <= h ? new int[] {newLong, shortestEdge} : new int[] {shortestEdge, newLong};
    }

    private RgbImage cropped(RgbImage image) {
        if (cropHeight > image.height() || cropWidth > image.width()) {
            throw new IllegalArgumentException("centre crop " + cropWidth + "x" + cropHeight + " is larger than the "
                    + "resized " + image.width() + "x" + image.height() + " image");
        }
        return image.crop((image.width() - cropWidth) / 2, (image.height() - cropHeight) / 2, cropWidth, cropHeight);
    }

    private static float[] channels(ModelConfig config, String key, List<Double> defaults) {
        List<Double> values = config.has(key) ? config.getDoubleList(key) : defaults;
        if (values.size() != 3) {
            throw new IllegalArgumentException("config " + config.source() + ": '" + key + "' has " + values.size()
                    + " values, expected 3 (RGB)");
        }
        return new float[] {values.get(0).floatValue(), values.get(1).floatValue(), values.get(2).floatValue()};
    }

    /** A size entry: {@code {"shortest_edge": n}}, {@code {"height": h, "width": w}} or a bare number. */
    private record Size(Integer shortestEdge, int height, int width) {

        static Size of(ModelConfig config, String key, int fallback, boolean bareIsSquare) {
            if (!config.has(key)) {
                return bareIsSquare ? new Size(null, fallback, fallback) : new Size(fallback, 0, 0);
            }
            JsonNode node = config.node(key);
            if (node.canConvertToInt()) {
                return bareIsSquare ? new Size(null, node.asInt(), node.asInt()) : new Size(node.asInt(), 0, 0);
            }
            if (node.path("shortest_edge").canConvertToInt()) {
                return new Size(node.get("shortest_edge").asInt(), 0, 0);
            }
            if (node.path("height").canConvertToInt() && node.path("width").canConvertToInt()) {
                return new Size(null, node.get("height").asInt(), node.get("width").asInt());
            }
            throw new IllegalArgumentException("config " + config.source() + ": '" + key + "' is " + node
                    + ", expected a number, {\"shortest_edge\": n} or {\"height\": h, \"width\": w}");
        }
    }
}
