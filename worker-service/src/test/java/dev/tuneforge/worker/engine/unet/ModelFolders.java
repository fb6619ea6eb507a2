package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Writes an edited copy of a diffusers model folder: the config changed by a callback, every
 * weight renamed and reshaped by another. Lets a test express one architecture option through
 * another that the goldens cover, with the same numbers.
 */
public final class ModelFolders {

    /** Maps one weight to its new name and value, or returns null to drop it. */
    @FunctionalInterface
    public interface WeightEdit {

        Named apply(String name, NDArray value);
    }

    public record Named(String name, NDArray value) {
    }

    private ModelFolders() {
    }

    public static void rewrite(Path source, Path target, Consumer<ObjectNode> configEdit, WeightEdit weightEdit)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(source.resolve("config.json").toFile());
        configEdit.accept(config);
        Files.createDirectories(target);
        json.writeValue(target.resolve("config.json").toFile(), config);
        try (NDManager manager = NDManager.newBaseManager();
                SafeTensorsFile weights = SafeTensorsFile.open(source.resolve("diffusion_pytorch_model.safetensors"))) {
            SafeTensorsWriter writer = new SafeTensorsWriter();
            for (String name : weights.names()) {
                Named edited = weightEdit.apply(name, weights.load(name, manager));
                if (edited != null) {
                    writer.add(edited.name(), edited.value());
                }
            }
            writer.write(target.resolve("diffusion_pytorch_model.safetensors"));
        }
    }

    /** A weight edit that renames only. */
    public static WeightEdit renaming(UnaryOperator<String> rename) {
        return (name, value) -> new Named(rename.apply(name), value);
    }
}
