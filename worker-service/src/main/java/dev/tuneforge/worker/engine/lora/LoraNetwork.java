package dev.tuneforge.worker.engine.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tuneforge.worker.engine.nn.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The LoRA adapters of one model (a UNet or a text encoder), installed on its named linear layers.
 * The base weights are never trained; the adapters' A and B arrays are the only parameters, in
 * module order, A before B (the order of peft's {@code parameters()}). The arrays live in a
 * manager of this network and are freed by {@link #close()}, which also uninstalls the adapters.
 */
public final class LoraNetwork implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, LoraLayer> layers;

    private LoraNetwork(NDManager manager, Map<String, LoraLayer> layers) {
        this.manager = manager;
        this.layers = Collections.unmodifiableMap(layers);
    }

    /**
     * New adapters on every layer of {@code linears} that {@code config} targets, visited in the
     * map's order. The initial A values come from libtorch's CPU generator seeded with {@code seed},
     * drawn as peft draws them (A's and B's default Kaiming draws, then A's own init), so with the
     * same seed and module order they equal peft's.
     */
    public static LoraNetwork create(Map<String, Linear> linears, LoraConfig config, long seed) {
        List<Linear> targets = linears.values().stream().filter(l -> config.targets(l.name())).collect(Collectors.toList());
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no linear layer matches the LoRA targets " + config.targetModules()
                    + " among " + linears.size() + " layers, e.g. " + linears.keySet().stream().limit(6)
                    .collect(Collectors.toList()));
        }
        Map<String, LoraModuleWeights> initial = new LinkedHashMap<>();
        Device device = targets.get(0).weight().getDevice();
        NDManager manager = NDManager.newBaseManager(device);
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            JniUtils.setSeed(seed);
            for (Linear layer : targets) {
                initial.put(layer.name(), initialWeights(layer, config, cpu, manager));
            }
            return install(linears, initial, config.dropout(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Adapters with the given weights (e.g. from {@link LoraFiles#load}) on the layers named by
     * their keys; the values are copied, so {@code weights} may be closed afterwards.
     */
    public static LoraNetwork of(Map<String, Linear> linears, Map<String, LoraModuleWeights> weights, double dropout) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("no LoRA weights to install");
        }
        Device device = linears.values().iterator().next().weight().getDevice();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, LoraModuleWeights> copies = new LinkedHashMap<>();
            weights.forEach((name, w) -> copies.put(name, new LoraModuleWeights(copy(w.down(), manager),
                    copy(w.up(), manager), w.alpha())));
            return install(linears, copies, dropout, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static LoraNetwork install(Map<String, Linear> linears, Map<String, LoraModuleWeights> weights,
                                       double dropout, NDManager manager) {
        List<String> unknown = weights.keySet().stream().filter(n -> !linears.containsKey(n)).collect(Collectors.toList());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknown.size() + " LoRA modules have no linear layer of that name in the"
                    + " model: " + unknown.stream().limit(8).collect(Collectors.toList()));
        }
        Map<String, LoraLayer> layers = new LinkedHashMap<>();
        for (Map.Entry<String, LoraModuleWeights> e : weights.entrySet()) {
            Linear linear = linears.get(e.getKey());
            if (linear.adapter() != null) {
                throw new IllegalStateException("linear '" + e.getKey() + "' already has an adapter: " + linear.adapter());
            }
            LoraModuleWeights w = e.getValue();
            layers.put(e.getKey(), new LoraLayer(linear, w.down(), w.up(), w.alpha(), dropout));
        }
        layers.values().forEach(l -> l.base().setAdapter(l));
        return new LoraNetwork(manager, layers);
    }

    private static LoraModuleWeights initialWeights(Linear layer, LoraConfig config, NDManager cpu, NDManager target) {
        int rank = config.rank();
        Shape downShape = new Shape(rank, layer.inFeatures());
        Shape upShape = new Shape(layer.outFeatures(), rank);
        // peft builds A and B as nn.Linear, whose constructors draw Kaiming-uniform values (bound 1/sqrt(fan_in)),
        // then re-initialises them: the first two draws only keep the generator in step with peft.
        NDArray down = cpu.randomUniform(-kaimingBound(layer.inFeatures()), kaimingBound(layer.inFeatures()), downShape);
        cpu.randomUniform(-kaimingBound(rank), kaimingBound(rank), upShape);
        if (config.init() == LoraInit.GAUSSIAN) {
            down = cpu.randomNormal(0f, 1f / rank, downShape, DataType.FLOAT32);
        }
        return new LoraModuleWeights(copy(down, target), target.zeros(upShape), config.alpha());
    }

    private static float kaimingBound(long fanIn) {
        return (float) (1 / Math.sqrt(fanIn));
    }

    private static NDArray copy(NDArray source, NDManager target) {
        NDArray copy = source.toType(DataType.FLOAT32, false).toDevice(target.getDevice(), true);
        copy.attach(target);
        return copy;
    }

    /** The adapters by the state-dict name of the layer they wrap, in module order. */
    public Map<String, LoraLayer> layers() {
        return layers;
    }

    /** Every trainable array: per module A then B. */
    public List<NDArray> parameters() {
        List<NDArray> params = new ArrayList<>(layers.size() * 2);
        layers.values().forEach(l -> {
            params.add(l.down());
            params.add(l.up());
        });
        return params;
    }

    /** Parameter names as peft's state dict has them ({@code <module>.lora_A.weight}), in {@link #parameters()} order. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>(layers.size() * 2);
        layers.keySet().forEach(m -> {
            names.add(m + ".lora_A.weight");
            names.add(m + ".lora_B.weight");
        });
        return names;
    }

    /** Makes autograd track A and B (training) or not; the base weights are never tracked. */
    public void setTrainable(boolean trainable) {
        parameters().forEach(p -> p.setRequiresGradient(trainable));
    }

    /** Turns the adapters' dropout on (training) or off (inference). */
    public void setTraining(boolean on) {
        layers.values().forEach(l -> l.setTraining(on));
    }

    /** The runtime scale of every adapter (1 = as trained, 0 = off). */
    public void setScale(double scale) {
        layers.values().forEach(l -> l.setScale(scale));
    }

    public void merge() {
        layers.values().forEach(LoraLayer::merge);
    }

    public void unmerge() {
        layers.values().forEach(LoraLayer::unmerge);
    }

    /** Copies of the current weights by module name, in {@code target}: what a LoRA file saves. */
    public Map<String, LoraModuleWeights> snapshot(NDManager target) {
        Map<String, LoraModuleWeights> weights = new LinkedHashMap<>();
        layers.forEach((name, layer) -> weights.put(name, layer.snapshot(target)));
        return weights;
    }

    /** Unmerges and uninstalls every adapter and frees their arrays. */
    @Override
    public void close() {
        layers.values().forEach(l -> {
            l.unmerge();
            l.base().setAdapter(null);
        });
        manager.close();
    }
}
