package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Native port of diffusers' {@code UNet2DConditionModel} as Stable Diffusion 1.x/2.x use it,
 * built from {@code config.json} with module names that map 1:1 to the diffusers state-dict keys,
 * so a {@code diffusion_pytorch_model.safetensors} loads unchanged.
 *
 * <p>Each forward runs in its own sub-manager of the sample's manager: intermediates are freed
 * when it returns, only the output (and requested captures) stay in the caller's manager.
 */
public final class UNet2DConditionModel {

    private final UNetConfig config;
    private final AttentionSlicing slicing;
    private final Timesteps timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final Layer convIn;
    private final List<UNetDownBlock> downBlocks = new ArrayList<>();
    private final UNetMidBlock2DCrossAttn midBlock;
    private final List<UNetUpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Layer convOut;
    private final Map<String, Linear> linears;
    private final Map<String, NDArray> parameters;

    private UNet2DConditionModel(UNetConfig config, ModuleFactory factory) {
        this.config = config;
        this.slicing = new AttentionSlicing(config.upcastAttention());
        List<Integer> channels = config.blockOutChannels();
        this.timeProj = new Timesteps(config.timeProjDim(), config.flipSinToCos(), config.freqShift());
        this.timeEmbedding = new TimestepEmbedding(factory.prefixed("time_embedding"), config.timeProjDim(),
                config.timeEmbedDim(), config.activation());
        this.convIn = factory.conv("conv_in", config.inChannels(), channels.get(0), config.convInKernel(), 1,
                (config.convInKernel() - 1) / 2);
        for (int i = 0; i < config.blockCount(); i++) {
            int in = channels.get(Math.max(0, i - 1));
            downBlocks.add(new UNetDownBlock(factory.prefixed("down_blocks." + i), config, i, in, slicing));
        }
        this.midBlock = config.midBlockType() == null ? null
                : new UNetMidBlock2DCrossAttn(factory.prefixed("mid_block"), config, slicing);
        for (int i = 0; i < config.blockCount(); i++) {
            upBlocks.add(new UNetUpBlock(factory.prefixed("up_blocks." + i), config, i, slicing));
        }
        this.convNormOut = factory.groupNorm("conv_norm_out", config.normNumGroups(), channels.get(0),
                config.normEps());
        this.convOut = factory.conv("conv_out", channels.get(0), config.outChannels(), config.convOutKernel(), 1,
                (config.convOutKernel() - 1) / 2);
        this.linears = factory.linears();
        this.parameters = factory.parameters();
    }

    /**
     * Loads a diffusers model folder ({@code config.json} + safetensors). The weight arrays live in
     * {@code manager}; a missing, misshapen or unused weight fails naming it.
     */
    public static UNet2DConditionModel load(Path dir, NDManager manager) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        try (Weights weights = Weights.openDir(dir, manager)) {
            return load(config, weights);
        }
    }

    /** Builds the model {@code config} describes from {@code weights} (a root view). */
    public static UNet2DConditionModel load(ModelConfig config, Weights weights) {
        ModuleFactory factory = ModuleFactory.of(weights);
        UNet2DConditionModel model = new UNet2DConditionModel(UNetConfig.from(config), factory);
        factory.requireAllUsed("UNet weights for " + config.source());
        return model;
    }

    /** The model {@code config} describes with seeded random weights in {@code manager}, for benchmarks. */
    public static UNet2DConditionModel randomInit(ModelConfig config, NDManager manager, long seed) {
        return new UNet2DConditionModel(UNetConfig.from(config), ModuleFactory.random(manager, seed));
    }

    public UNetConfig config() {
        return config;
    }

    /** The attention slicing policy of all attention layers; change it between forwards. */
    public AttentionSlicing attentionSlicing() {
        return slicing;
    }

    /**
     * Every linear layer by its full state-dict name (e.g.
     * {@code down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q}), in state-dict order;
     * install adapters on them to change the model.
     */
    public Map<String, Linear> linears() {
        return linears;
    }

    /**
     * Every parameter by its state-dict key, in state-dict order: what a full fine-tune trains and
     * saves. Set them to require gradients to train; updates must be in place.
     */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Predicts the noise (or v) for {@code sample}.
     *
     * @param sample latents {@code (B, in_channels, H, W)}
     * @param timesteps a scalar or {@code (B)} timesteps, any numeric type
     * @param context text states {@code (B, T, cross_attention_dim)}
     * @return {@code (B, out_channels, H, W)} in the sample's manager
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray context) {
        return forward(sample, timesteps, context, null);
    }

    /**
     * As {@link #forward(NDArray, NDArray, NDArray)}, also putting the stage outputs into
     * {@code capture} (in the sample's manager) under the names of the reference's modules:
     * {@code time_proj}, {@code time_embedding}, {@code conv_in}, {@code down_blocks.i} (the block's
     * output, without its skip connections), {@code mid_block}, {@code up_blocks.i},
     * {@code conv_norm_out} (before the activation).
     *
     * @param capture receives the intermediates, or null
     */
    public NDArray forward(NDArray sample, NDArray timesteps, NDArray context, Map<String, NDArray> capture) {
        checkInputs(sample, timesteps, context);
        NDManager caller = sample.getManager();
        try (NDManager step = caller.newSubManager()) {
            sample.tempAttach(step);
            timesteps.tempAttach(step);
            context.tempAttach(step);
            Stages stages = new Stages(caller, capture);
            NDArray out = run(sample, timesteps, context, stages);
            out.attach(caller);
            return out;
        }
    }

    private NDArray run(NDArray sample, NDArray timesteps, NDArray context, Stages stages) {
        long batch = sample.getShape().get(0);
        NDArray t = timesteps.getShape().dimension() == 0 ? timesteps.reshape(1).repeat(0, batch) : timesteps;
        NDArray tEmb = stages.keep("time_proj", timeProj.forward(t));
        NDArray emb = stages.keep("time_embedding", timeEmbedding.forward(tEmb));
        NDArray activatedTemb = config.activation().forward(emb);

        NDArray h = config.centerInputSample() ? sample.mul(2).sub(1) : sample;
        h = stages.keep("conv_in", convIn.forward(h));
        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        for (int i = 0; i < downBlocks.size(); i++) {
            h = stages.keep("down_blocks." + i, downBlocks.get(i).forward(h, activatedTemb, context, skips));
        }
        if (midBlock != null) {
            h = stages.keep("mid_block", midBlock.forward(h, activatedTemb, context));
        }
        for (int i = 0; i < upBlocks.size(); i++) {
            UNetUpBlock block = upBlocks.get(i);
            List<NDArray> blockSkips = skips.subList(skips.size() - block.skipCount(), skips.size());
            List<NDArray> own = new ArrayList<>(blockSkips);
            blockSkips.clear();
            // The reference resizes to the next skip's size when latents do not divide evenly; nearest
            // resizing to an explicit size equals ×2 when they do, so always resizing to it is exact.
            long[] target = block.upsamples() ? spatial(skips.get(skips.size() - 1)) : null;
            h = stages.keep("up_blocks." + i, block.forward(h, own, activatedTemb, context, target));
        }
        h = stages.keep("conv_norm_out", convNormOut.forward(h));
        return convOut.forward(config.activation().forward(h));
    }

    private static long[] spatial(NDArray x) {
        Shape s = x.getShape();
        return new long[] {s.get(2), s.get(3)};
    }

    private void checkInputs(NDArray sample, NDArray timesteps, NDArray context) {
        Shape s = sample.getShape();
        if (s.dimension() != 4 || s.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("UNet sample must be (B, " + config.inChannels() + ", H, W), got " + s);
        }
        Shape t = timesteps.getShape();
        if (t.dimension() > 1 || (t.dimension() == 1 && t.get(0) != s.get(0))) {
            throw new IllegalArgumentException("UNet timesteps must be a scalar or (" + s.get(0) + "), got " + t);
        }
        Shape c = context.getShape();
        if (c.dimension() != 3 || c.get(0) != s.get(0)) {
            throw new IllegalArgumentException("UNet encoder hidden states must be (" + s.get(0)
                    + ", tokens, dim), got " + c + " for sample " + s);
        }
    }

    /** Hands stage outputs to the capture map, moving them out of the step manager. */
    private static final class Stages {

        private final NDManager caller;
        private final Map<String, NDArray> capture;

        Stages(NDManager caller, Map<String, NDArray> capture) {
            this.caller = caller;
            this.capture = capture;
        }

        NDArray keep(String name, NDArray value) {
            if (capture != null) {
                value.attach(caller);
                capture.put(name, value);
            }
            return value;
        }
    }
}
