package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Conv2d;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.nn.LayerNorm;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.Weights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds layers under their diffusers state-dict names, from a checkpoint or, for benchmarks,
 * from seeded random values (torch's default init: uniform within 1/sqrt(fan_in), norms at
 * identity). Every {@link Linear} built is remembered under its full name, so that adapters such
 * as LoRA can find the projections they target. A prefixed view builds a block's own layers by
 * their short names.
 */
public final class ModuleFactory {

    /** Where parameter values come from. */
    private interface Source {

        NDArray get(String fullKey, Shape shape, float uniformBound, float constant);

        boolean has(String fullKey);

        Set<String> unusedKeys();
    }

    private final Source source;
    private final Map<String, Linear> linears;
    private final Map<String, NDArray> parameters;
    private final String prefix;

    private ModuleFactory(Source source, Map<String, Linear> linears, Map<String, NDArray> parameters, String prefix) {
        this.source = source;
        this.linears = linears;
        this.parameters = parameters;
        this.prefix = prefix;
    }

    /** Parameters from a loaded checkpoint; shapes are checked against the config-derived ones. */
    public static ModuleFactory of(Weights weights) {
        if (!weights.prefix().isEmpty()) {
            throw new IllegalArgumentException("ModuleFactory needs the root weights view, got prefix '"
                    + weights.prefix() + "'");
        }
        return new ModuleFactory(new CheckpointSource(weights), new LinkedHashMap<>(), new LinkedHashMap<>(), "");
    }

    /**
     * Seeded random parameters in {@code manager}, for benchmarks. Seeds libtorch's global
     * generator, so building the same config with the same seed gives the same values.
     */
    public static ModuleFactory random(NDManager manager, long seed) {
        manager.getEngine().setRandomSeed((int) seed);
        return new ModuleFactory(new RandomSource(manager), new LinkedHashMap<>(), new LinkedHashMap<>(), "");
    }

    /** A view in which key {@code k} means {@code sub + "." + k} of this view. */
    public ModuleFactory prefixed(String sub) {
        return new ModuleFactory(source, linears, parameters, qualify(sub) + ".");
    }

    /** The state-dict name of the module this view builds ("" at the root). */
    public String name() {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    /** The full state-dict key a short key of this view stands for. */
    public String qualify(String key) {
        return prefix + key;
    }

    /** Whether the source holds {@code key} (always false for random parameters). */
    public boolean has(String key) {
        return source.has(qualify(key));
    }

    /** A biased square-kernel convolution, run as a matrix product where that is faster (see {@link GemmConv2d}). */
    public GemmConv2d conv(String key, long in, long out, int kernel, int stride, int padding) {
        float bound = (float) (1 / Math.sqrt((double) in * kernel * kernel));
        NDArray weight = parameter(key + ".weight", new Shape(out, in, kernel, kernel), bound, 0);
        NDArray bias = parameter(key + ".bias", new Shape(out), bound, 0);
        return new GemmConv2d(new Conv2d(qualify(key), weight, bias, stride, padding, 1), kernel, stride, padding);
    }

    public Linear linear(String key, long in, long out, boolean withBias) {
        float bound = (float) (1 / Math.sqrt((double) in));
        NDArray weight = parameter(key + ".weight", new Shape(out, in), bound, 0);
        NDArray bias = withBias ? parameter(key + ".bias", new Shape(out), bound, 0) : null;
        Linear linear = new Linear(qualify(key), weight, bias);
        linears.put(linear.name(), linear);
        return linear;
    }

    public GroupNorm groupNorm(String key, int groups, long channels, float eps) {
        Shape shape = new Shape(channels);
        return new GroupNorm(qualify(key), groups, eps, parameter(key + ".weight", shape, 0, 1),
                parameter(key + ".bias", shape, 0, 0));
    }

    public LayerNorm layerNorm(String key, long dim, float eps) {
        Shape shape = new Shape(dim);
        return new LayerNorm(qualify(key), eps, parameter(key + ".weight", shape, 0, 1),
                parameter(key + ".bias", shape, 0, 0));
    }

    /** One parameter, remembered under its full state-dict key (what a full fine-tune trains and saves). */
    private NDArray parameter(String key, Shape shape, float uniformBound, float constant) {
        String fullKey = qualify(key);
        NDArray value = source.get(fullKey, shape, uniformBound, constant);
        parameters.put(fullKey, value);
        return value;
    }

    /** Every parameter built so far, by full state-dict key, in build order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Every Linear built so far, by full state-dict name, in build order. */
    public Map<String, Linear> linears() {
        return Collections.unmodifiableMap(linears);
    }

    /**
     * Fails when the checkpoint holds keys no layer asked for: the config and the weights describe
     * different architectures, and silently ignoring weights would give wrong outputs.
     */
    public void requireAllUsed(String what) {
        Set<String> unused = source.unusedKeys().stream().filter(k -> k.startsWith(prefix))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(what + ": " + unused.size() + " weights are not used by the"
                    + " architecture its config describes, e.g. "
                    + unused.stream().limit(8).collect(Collectors.toList()));
        }
    }

    private static final class CheckpointSource implements Source {

        private final Weights weights;

        CheckpointSource(Weights weights) {
            this.weights = weights;
        }

        @Override
        public NDArray get(String fullKey, Shape shape, float uniformBound, float constant) {
            return weights.get(fullKey, shape);
        }

        @Override
        public boolean has(String fullKey) {
            return weights.has(fullKey);
        }

        @Override
        public Set<String> unusedKeys() {
            return weights.unusedKeys();
        }
    }

    private static final class RandomSource implements Source {

        private final NDManager manager;

        RandomSource(NDManager manager) {
            this.manager = manager;
        }

        /** Uniform in ±bound when a bound is given, else filled with {@code constant}. */
        @Override
        public NDArray get(String fullKey, Shape shape, float uniformBound, float constant) {
            NDArray array = uniformBound > 0
                    ? manager.randomUniform(-uniformBound, uniformBound, shape)
                    : manager.full(shape, constant);
            array.setName(fullKey);
            return array;
        }

        @Override
        public boolean has(String fullKey) {
            return false;
        }

        @Override
        public Set<String> unusedKeys() {
            return Set.of();
        }
    }
}
