package dev.tuneforge.worker.engine.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.worker.engine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a training folder: pairing, conversion to RGB, resizing, and bad files listed by name. */
class ImageCaptionDatasetTest {

    private static final int RESOLUTION = 16;
    private static final TrainTransform TRANSFORM = new TrainTransform(RESOLUTION, true, false);

    @Test
    void pairsImagesWithCaptionsAndConvertsEveryModeToRgb(@TempDir Path dir) throws IOException {
        write(dir, "grey.png", image(24, 16, BufferedImage.TYPE_BYTE_GRAY, 0x404040), "png");
        write(dir, "rgba.png", image(16, 24, BufferedImage.TYPE_INT_ARGB, 0x80112233), "png");
        write(dir, "deep.png", image(16, 16, BufferedImage.TYPE_USHORT_GRAY, 0x808080), "png");
        copy("cmyk_red.jpg", dir);
        copy("lossless_green.webp", dir);
        copy("alpha_green.webp", dir);
        for (String name : List.of("grey", "rgba", "deep", "cmyk_red", "lossless_green", "alpha_green")) {
            Files.writeString(dir.resolve(name + ".txt"), "  a photo of " + name + "\n");
        }
        List<String> warnings = new ArrayList<>();
        ImageCaptionDataset dataset = ImageCaptionDataset.load(dir, options(false, false), TRANSFORM, warnings::add);
        assertThat(dataset.examples()).extracting(ImageCaptionDataset.Example::name)
                .containsExactly("alpha_green", "cmyk_red", "deep", "grey", "lossless_green", "rgba");
        assertThat(example(dataset, "grey").caption()).isEqualTo("a photo of grey");
        assertThat(example(dataset, "grey").image().width()).isEqualTo(24);
        assertThat(pixel(dataset, "grey")).containsExactly(0x40, 0x40, 0x40);
        assertThat(pixel(dataset, "rgba")).containsExactly(0x11, 0x22, 0x33);
        assertThat(pixel(dataset, "deep")).containsExactly(0x80, 0x80, 0x80);
        assertThat(pixel(dataset, "cmyk_red")).containsExactly(255, 0, 0);
        assertThat(pixel(dataset, "lossless_green")).containsExactly(10, 200, 30);
        assertThat(pixel(dataset, "alpha_green")).containsExactly(10, 200, 30);
        assertThat(warnings).isEmpty();
    }

    @Test
    void everyBadFileIsListedInOneError(@TempDir Path dir) throws IOException {
        write(dir, "good.png", image(16, 16, BufferedImage.TYPE_INT_RGB, 0x102030), "png");
        Files.writeString(dir.resolve("good.txt"), "fine");
        write(dir, "lonely.png", image(16, 16, BufferedImage.TYPE_INT_RGB, 0), "png");
        Files.writeString(dir.resolve("orphan.txt"), "no image");
        Path jpeg = dir.resolve("cut.jpg");
        write(dir, "cut.jpg", noisy(64, 64), "jpg");
        byte[] whole = Files.readAllBytes(jpeg);
        Files.write(jpeg, Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(dir.resolve("cut.txt"), "truncated");
        Files.writeString(dir.resolve("fake.png"), "this is not a PNG");
        Files.writeString(dir.resolve("fake.txt"), "garbage");
        Files.writeString(dir.resolve("notes.md"), "# notes");
        write(dir, "twin.png", image(16, 16, BufferedImage.TYPE_INT_RGB, 0), "png");
        write(dir, "twin.jpg", image(16, 16, BufferedImage.TYPE_INT_RGB, 0), "jpg");
        Files.writeString(dir.resolve("twin.txt"), "which one?");
        assertThatThrownBy(() -> ImageCaptionDataset.load(dir, options(false, false), TRANSFORM, m -> { }))
                .isInstanceOfSatisfying(DatasetException.class, e -> {
                    assertThat(e.issues()).extracting(i -> i.file().getFileName().toString())
                            .containsExactlyInAnyOrder("lonely.png", "orphan.txt", "cut.jpg", "fake.png", "notes.md",
                                    "twin.png");
                    assertThat(e.getMessage()).contains("6 bad files", "lonely.png: image without caption",
                            "orphan.txt: caption without image", "cut.jpg: unreadable image", "fake.png: unreadable",
                            "notes.md: unsupported file type", "a second image named 'twin'");
                });
    }

    @Test
    void badFilesCanBeSkippedAndAreReported(@TempDir Path dir) throws IOException {
        write(dir, "good.png", image(16, 16, BufferedImage.TYPE_INT_RGB, 0x102030), "png");
        Files.writeString(dir.resolve("good.txt"), "fine");
        Files.writeString(dir.resolve("fake.png"), "not an image");
        Files.writeString(dir.resolve("fake.txt"), "x");
        List<String> warnings = new ArrayList<>();
        ImageCaptionDataset dataset = ImageCaptionDataset.load(dir, options(true, false), TRANSFORM, warnings::add);
        assertThat(dataset.examples()).extracting(ImageCaptionDataset.Example::name).containsExactly("good");
        assertThat(dataset.skipped()).extracting(i -> i.file().getFileName().toString()).containsExactly("fake.png");
        assertThat(warnings).singleElement().asString().contains("skipped 1 bad files", "fake.png");
    }

    @Test
    void smallImagesAreUpscaledWithAWarningOrRejected(@TempDir Path dir) throws IOException {
        write(dir, "small.png", image(8, 12, BufferedImage.TYPE_INT_RGB, 0x556677), "png");
        Files.writeString(dir.resolve("small.txt"), "tiny");
        List<String> warnings = new ArrayList<>();
        ImageCaptionDataset dataset = ImageCaptionDataset.load(dir, options(false, false), TRANSFORM, warnings::add);
        RgbImage resized = dataset.examples().get(0).image();
        assertThat(new int[] {resized.width(), resized.height()}).containsExactly(RESOLUTION, RESOLUTION * 12 / 8);
        assertThat(warnings).singleElement().asString().contains("small.png", "8x12", "upscaled");
        assertThatThrownBy(() -> ImageCaptionDataset.load(dir, options(false, true), TRANSFORM, m -> { }))
                .hasMessageContaining("small.png: image 8x12 is smaller than the resolution 16");
    }

    @Test
    void anEmptyFolderAndAFolderWithoutUsableImagesFail(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ImageCaptionDataset.load(dir, options(false, false), TRANSFORM, m -> { }))
                .isInstanceOf(DatasetException.class).hasMessageContaining("no usable training images");
        Files.writeString(dir.resolve("fake.png"), "not an image");
        Files.writeString(dir.resolve("fake.txt"), "x");
        assertThatThrownBy(() -> ImageCaptionDataset.load(dir, options(true, false), TRANSFORM, m -> { }))
                .hasMessageContaining("no usable training images").hasMessageContaining("fake.png");
        assertThatThrownBy(() -> ImageCaptionDataset.load(dir.resolve("missing"), options(false, false), TRANSFORM,
                m -> { })).hasMessageContaining("is not a folder");
    }

    @Test
    void objectStoreLayoutAndCaptionlessDreamBoothFolders(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("captions"));
        write(dir.resolve("images"), "a.png", image(16, 16, BufferedImage.TYPE_INT_RGB, 0x010203), "png");
        Files.writeString(dir.resolve("captions/a.txt"), "caption a");
        ImageCaptionDataset dataset = ImageCaptionDataset.load(dir, options(false, false), TRANSFORM, m -> { });
        assertThat(dataset.examples().get(0).caption()).isEqualTo("caption a");
        Path instances = dir.resolve("instances");
        Files.createDirectories(instances);
        write(instances, "me.png", image(16, 16, BufferedImage.TYPE_INT_RGB, 0x010203), "png");
        DatasetOptions dreamBooth = new DatasetOptions(RESOLUTION, false, false, false);
        assertThat(ImageCaptionDataset.load(instances, dreamBooth, TRANSFORM, m -> { }).examples()).hasSize(1);
    }

    @Test
    void resizingIsPillowsBilinear() throws IOException {
        RgbImage source = resource("random_37x23.png");
        for (int[] size : new int[][] {{16, 10}, {64, 80}}) {
            RgbImage expected = resource("pillow_bilinear_" + size[0] + "x" + size[1] + ".png");
            assertThat(dev.tuneforge.worker.engine.image.PilResize.bilinear(source, size[0], size[1])).isEqualTo(expected);
        }
    }

    private static DatasetOptions options(boolean skip, boolean rejectSmall) {
        return new DatasetOptions(RESOLUTION, true, skip, rejectSmall);
    }

    private static ImageCaptionDataset.Example example(ImageCaptionDataset dataset, String name) {
        return dataset.examples().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static int[] pixel(ImageCaptionDataset dataset, String name) {
        RgbImage image = example(dataset, name).image();
        return new int[] {image.get(2, 2, 0), image.get(2, 2, 1), image.get(2, 2, 2)};
    }

    private static BufferedImage image(int width, int height, int type, int argb) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY) {
                    int level = argb & 0xff;
                    image.getRaster().setSample(x, y, 0, type == BufferedImage.TYPE_USHORT_GRAY ? level * 257 : level);
                } else {
                    image.setRGB(x, y, argb);
                }
            }
        }
        return image;
    }

    private static BufferedImage noisy(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static void write(Path dir, String name, BufferedImage image, String format) throws IOException {
        assertThat(ImageIO.write(image, format, dir.resolve(name).toFile())).as("writer for " + format).isTrue();
    }

    private static void copy(String resource, Path dir) throws IOException {
        try (InputStream in = ImageCaptionDatasetTest.class.getResourceAsStream(resource)) {
            Files.copy(in, dir.resolve(resource));
        }
    }

    private static RgbImage resource(String name) throws IOException {
        try (InputStream in = ImageCaptionDatasetTest.class.getResourceAsStream(name)) {
            return RgbImage.decode(in.readAllBytes(), name);
        }
    }
}
