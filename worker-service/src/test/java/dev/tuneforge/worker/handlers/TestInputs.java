package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.storage.ObjectStore;
import dev.tuneforge.worker.storage.TestS3;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Models and datasets in the embedded S3 server, laid out as the API stores them. */
final class TestInputs {
    private static final List<String> MODEL_PARTS = List.of("model_index.json", "scheduler", "text_encoder",
            "tokenizer", "unet", "vae");

    private TestInputs() {
    }

    /** The tiny golden pipeline ({@code goldens/sd_pipeline}, diffusers layout, no fixtures) as model {@code id}. */
    static void tinyModel(ObjectStore store, String tenant, String id) throws IOException {
        tinyModel(store, tenant, id, MODEL_PARTS);
    }

    /** Only {@code parts} of the tiny pipeline (to leave a component out). */
    static void tinyModel(ObjectStore store, String tenant, String id, List<String> parts) throws IOException {
        Path golden = Goldens.dir("sd_pipeline");
        String prefix = ObjectKeys.modelPrefix(tenant, id);
        for (String part : parts) {
            try (Stream<Path> files = Files.walk(golden.resolve(part))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    store.upload(file, prefix + golden.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
    }

    /** Three 72×64 PNGs of coloured squares with their captions as dataset {@code id}. */
    static void shapes(String tenant, String id) throws Exception {
        List<Color> colours = List.of(Color.RED, Color.BLUE, Color.GREEN);
        List<String> names = List.of("red", "blue", "green");
        for (int i = 0; i < colours.size(); i++) {
            BufferedImage image = new BufferedImage(72, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 72, 64);
            g.setColor(colours.get(i));
            g.fillRect(18, 16, 36, 32);
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            TestS3.put(ObjectKeys.datasetImage(tenant, id, "shape" + i, "png"), png.toByteArray());
            TestS3.put(ObjectKeys.datasetCaption(tenant, id, "shape" + i), "a " + names.get(i) + " square");
        }
    }
}
