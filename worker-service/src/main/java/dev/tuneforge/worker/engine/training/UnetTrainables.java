package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A full fine-tune of the UNet, as diffusers' {@code train_dreambooth.py} does without LoRA: every
 * UNet parameter is trained (in fp32), the text encoder stays frozen. Checkpoints hold the whole
 * UNet ({@code unet.safetensors}); the final folder is a diffusers {@code unet/} component
 * (config + {@code diffusion_pytorch_model.safetensors}) that replaces the base model's.
 */
final class UnetTrainables implements Trainables {

    static final String CHECKPOINT_FILE = "unet.safetensors";
    static final String FINAL_COMPONENT = "unet";
    static final String FINAL_WEIGHTS = "diffusion_pytorch_model.safetensors";

    private final Map<String, NDArray> parameters;
    private final Path baseConfig;
    private final double lr;

    private UnetTrainables(Map<String, NDArray> parameters, Path baseConfig, double lr) {
        this.parameters = parameters;
        this.baseConfig = baseConfig;
        this.lr = lr;
    }

    /** Trains the base model's UNet weights as loaded. */
    static UnetTrainables create(StableDiffusionPipeline pipeline, TrainingConfig config) {
        Map<String, NDArray> parameters = pipeline.unet().parameters();
        for (NDArray parameter : parameters.values()) {
            if (parameter.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("a full UNet fine-tune trains fp32 weights; the UNet was loaded as "
                        + parameter.getDataType() + " (load it in fp32)");
            }
        }
        parameters.values().forEach(p -> p.setRequiresGradient(true));
        return new UnetTrainables(parameters, config.modelDir().resolve(FINAL_COMPONENT).resolve("config.json"),
                config.unetLr());
    }

    /** Trains on from the UNet saved in a checkpoint's {@link #CHECKPOINT_FILE}. */
    static UnetTrainables restore(StableDiffusionPipeline pipeline, TrainingConfig config, Path file) throws IOException {
        UnetTrainables trainables = create(pipeline, config);
        try (SafeTensorsFile in = SafeTensorsFile.open(file); NDManager scratch = pipeline.manager().newSubManager()) {
            Set<String> expected = new TreeSet<>(trainables.parameters.keySet());
            if (!in.names().equals(expected)) {
                throw new IllegalArgumentException("checkpoint " + file + " holds " + in.names().size()
                        + " UNet tensors, this UNet has " + expected.size() + " parameters with other names");
            }
            for (Map.Entry<String, NDArray> entry : trainables.parameters.entrySet()) {
                NDArray saved = in.load(entry.getKey(), scratch);
                if (!saved.getShape().equals(entry.getValue().getShape())) {
                    throw new IllegalArgumentException("checkpoint " + file + ": '" + entry.getKey() + "' has shape "
                            + saved.getShape() + ", the UNet " + entry.getValue().getShape());
                }
                // In place: the layers hold these very arrays.
                Gradients.data(entry.getValue(), scratch).set(new NDIndex("..."), saved);
            }
        } catch (IOException | RuntimeException e) {
            trainables.close();
            throw e;
        }
        return trainables;
    }

    @Override
    public List<AdamW.Group> groups() {
        return List.of(new AdamW.Group(FINAL_COMPONENT, new ArrayList<>(parameters.keySet()),
                new ArrayList<>(parameters.values()), lr));
    }

    @Override
    public void setTraining(boolean on) {
        // The UNet has no dropout: training and inference run the same function.
    }

    @Override
    public Map<String, CheckpointStore.FileWriter> checkpointFiles() {
        Map<String, CheckpointStore.FileWriter> files = new LinkedHashMap<>();
        files.put(CHECKPOINT_FILE, this::save);
        return files;
    }

    @Override
    public void writeFinal(Path dir) throws IOException {
        Path component = dir.resolve(FINAL_COMPONENT);
        Files.createDirectories(component);
        Files.copy(baseConfig, component.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        save(component.resolve(FINAL_WEIGHTS));
    }

    private void save(Path target) throws IOException {
        SafeTensorsWriter.write(target, parameters, Map.of("format", "pt"));
    }

    @Override
    public void close() {
        // Frozen again, so the pipeline's later forwards (and its cached weight views) are plain inference.
        parameters.values().forEach(p -> p.setRequiresGradient(false));
    }
}
