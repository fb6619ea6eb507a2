package dev.tuneforge.worker.handlers;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.lora.LoraComponent;
import dev.tuneforge.worker.engine.lora.LoraFiles;
import dev.tuneforge.worker.engine.lora.LoraModuleWeights;
import dev.tuneforge.worker.engine.lora.LoraNetwork;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A LoRA file's adapters installed on a pipeline's UNet and text encoder at a scale; closing removes them. */
final class InstalledLora implements AutoCloseable {
    private final List<LoraNetwork> networks;

    private InstalledLora(List<LoraNetwork> networks) {
        this.networks = networks;
    }

    /** Installs {@code file} (any naming) on {@code pipeline}, scaled by {@code scale}. */
    static InstalledLora install(StableDiffusionPipeline pipeline, Path file, double scale) throws IOException {
        Map<LoraComponent, Map<String, Linear>> linears = new EnumMap<>(LoraComponent.class);
        linears.put(LoraComponent.UNET, pipeline.unet().linears());
        linears.put(LoraComponent.TEXT_ENCODER, pipeline.textEncoder().linears());
        Map<LoraComponent, Collection<String>> modules = new EnumMap<>(LoraComponent.class);
        linears.forEach((component, layers) -> modules.put(component, layers.keySet()));
        List<LoraNetwork> installed = new ArrayList<>();
        try (NDManager scratch = pipeline.manager().newSubManager()) {
            Map<LoraComponent, Map<String, LoraModuleWeights>> weights = LoraFiles.load(file, modules, scratch);
            for (Map.Entry<LoraComponent, Map<String, LoraModuleWeights>> e : weights.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    LoraNetwork network = LoraNetwork.of(linears.get(e.getKey()), e.getValue(), 0);
                    installed.add(network);
                    network.setScale(scale);
                }
            }
            if (installed.isEmpty()) {
                throw new IllegalArgumentException("LoRA file " + file.getFileName() + " holds no adapters");
            }
            return new InstalledLora(installed);
        } catch (RuntimeException e) {
            installed.forEach(LoraNetwork::close);
            throw e;
        }
    }

    @Override
    public void close() {
        networks.forEach(LoraNetwork::close);
    }
}
