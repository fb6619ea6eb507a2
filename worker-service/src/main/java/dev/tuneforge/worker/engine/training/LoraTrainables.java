package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.lora.LoraComponent;
import dev.tuneforge.worker.engine.lora.LoraConfig;
import dev.tuneforge.worker.engine.lora.LoraFiles;
import dev.tuneforge.worker.engine.lora.LoraFormat;
import dev.tuneforge.worker.engine.lora.LoraModuleWeights;
import dev.tuneforge.worker.engine.lora.LoraNetwork;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA adapters on the UNet and (optionally) the text encoder, the only trained parameters.
 * Checkpoints keep them as trained, with alpha, in the kohya naming ({@code lora.safetensors});
 * the final folder holds diffusers' {@code pytorch_lora_weights.safetensors} and
 * {@code lora_kohya.safetensors} for AUTOMATIC1111 and ComfyUI.
 */
final class LoraTrainables implements Trainables {

    static final String CHECKPOINT_FILE = LoraFileNames.CHECKPOINT;
    /** The text encoder's adapters draw their initial values from a seed of their own. */
    private static final long TEXT_ENCODER_INIT = 0x5445L;

    private final Map<LoraComponent, LoraNetwork> networks;
    private final Map<LoraComponent, Double> learningRates;

    private LoraTrainables(Map<LoraComponent, LoraNetwork> networks, Map<LoraComponent, Double> learningRates) {
        this.networks = networks;
        this.learningRates = learningRates;
    }

    /** Fresh adapters for {@code config}, seeded from its seed. */
    static LoraTrainables create(StableDiffusionPipeline pipeline, TrainingConfig config) {
        Map<LoraComponent, LoraNetwork> networks = new EnumMap<>(LoraComponent.class);
        try {
            networks.put(LoraComponent.UNET, LoraNetwork.create(pipeline.unet().linears(), config.unetLora(),
                    config.seed()));
            LoraConfig text = config.textEncoderLora();
            if (text != null) {
                networks.put(LoraComponent.TEXT_ENCODER, LoraNetwork.create(pipeline.textEncoder().linears(), text,
                        Seeds.derive(config.seed(), TEXT_ENCODER_INIT)));
            }
            return of(networks, config);
        } catch (RuntimeException e) {
            networks.values().forEach(LoraNetwork::close);
            throw e;
        }
    }

    /** The adapters saved in a checkpoint's {@link #CHECKPOINT_FILE}. */
    static LoraTrainables restore(StableDiffusionPipeline pipeline, TrainingConfig config, Path file) throws IOException {
        Map<LoraComponent, Map<String, Linear>> linears = linears(pipeline, config.textEncoderLora() != null);
        Map<LoraComponent, LoraNetwork> networks = new EnumMap<>(LoraComponent.class);
        try (NDManager scratch = pipeline.manager().newSubManager()) {
            Map<LoraComponent, java.util.Collection<String>> modules = new EnumMap<>(LoraComponent.class);
            linears.forEach((c, l) -> modules.put(c, l.keySet()));
            Map<LoraComponent, Map<String, LoraModuleWeights>> saved = LoraFiles.load(file, modules, scratch);
            if (!saved.keySet().equals(linears.keySet())) {
                throw new IllegalArgumentException("checkpoint " + file + " has adapters for " + saved.keySet()
                        + ", this run trains " + linears.keySet());
            }
            for (LoraComponent component : saved.keySet()) {
                networks.put(component, LoraNetwork.of(linears.get(component), saved.get(component),
                        config.unetLora().dropout()));
            }
            return of(networks, config);
        } catch (RuntimeException e) {
            networks.values().forEach(LoraNetwork::close);
            throw e;
        }
    }

    private static Map<LoraComponent, Map<String, Linear>> linears(StableDiffusionPipeline pipeline, boolean text) {
        Map<LoraComponent, Map<String, Linear>> linears = new EnumMap<>(LoraComponent.class);
        linears.put(LoraComponent.UNET, pipeline.unet().linears());
        if (text) {
            linears.put(LoraComponent.TEXT_ENCODER, pipeline.textEncoder().linears());
        }
        return linears;
    }

    private static LoraTrainables of(Map<LoraComponent, LoraNetwork> networks, TrainingConfig config) {
        Map<LoraComponent, Double> lrs = new EnumMap<>(LoraComponent.class);
        lrs.put(LoraComponent.UNET, config.unetLr());
        lrs.put(LoraComponent.TEXT_ENCODER, config.textEncoderLr());
        networks.values().forEach(n -> n.setTrainable(true));
        return new LoraTrainables(networks, lrs);
    }

    /** The adapters by component. */
    Map<LoraComponent, LoraNetwork> networks() {
        return networks;
    }

    @Override
    public List<AdamW.Group> groups() {
        List<AdamW.Group> groups = new ArrayList<>();
        networks.forEach((component, network) -> {
            List<String> names = network.parameterNames().stream().map(n -> component.prefix() + "." + n).toList();
            groups.add(new AdamW.Group(component.prefix(), names, network.parameters(), learningRates.get(component)));
        });
        return groups;
    }

    @Override
    public void setTraining(boolean on) {
        networks.values().forEach(n -> n.setTraining(on));
    }

    @Override
    public Map<String, CheckpointStore.FileWriter> checkpointFiles() {
        Map<String, CheckpointStore.FileWriter> files = new LinkedHashMap<>();
        files.put(CHECKPOINT_FILE, target -> save(target, LoraFormat.KOHYA));
        return files;
    }

    @Override
    public void writeFinal(Path dir) throws IOException {
        save(dir.resolve(LoraFileNames.DIFFUSERS), LoraFormat.DIFFUSERS);
        save(dir.resolve(LoraFileNames.KOHYA), LoraFormat.KOHYA);
    }

    private void save(Path file, LoraFormat format) throws IOException {
        NDManager owner = networks.get(LoraComponent.UNET).parameters().get(0).getManager();
        try (NDManager scratch = owner.newSubManager()) {
            Map<LoraComponent, Map<String, LoraModuleWeights>> weights = new EnumMap<>(LoraComponent.class);
            networks.forEach((component, network) -> weights.put(component, network.snapshot(scratch)));
            LoraFiles.save(file, format, weights);
        }
    }

    @Override
    public void close() {
        networks.values().forEach(LoraNetwork::close);
    }
}
