package dev.tuneforge.worker.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.unet.AttentionSlicing;
import dev.tuneforge.worker.engine.unet.Downsample2D;
import dev.tuneforge.worker.engine.unet.ModuleFactory;
import dev.tuneforge.worker.engine.unet.ResnetBlock2D;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' VAE {@code Encoder}: {@code conv_in}, {@code DownEncoderBlock2D}s (resnets, then a
 * stride-2 downsampler except in the last block), the mid block, norm, activation and
 * {@code conv_out} to {@code 2 × latent_channels} (mean and log-variance).
 */
final class Encoder {

    private final VaeConfig config;
    private final Layer convIn;
    private final List<List<ResnetBlock2D>> resnets = new ArrayList<>();
    private final List<Downsample2D> downsamplers = new ArrayList<>();
    private final UNetMidBlock2D midBlock;
    private final GroupNorm convNormOut;
    private final Layer convOut;

    Encoder(ModuleFactory factory, VaeConfig config, AttentionSlicing slicing) {
        this.config = config;
        List<Integer> channels = config.blockOutChannels();
        int groups = config.normNumGroups();
        this.convIn = factory.conv("conv_in", config.inChannels(), channels.get(0), 3, 1, 1);
        int out = channels.get(0);
        for (int b = 0; b < channels.size(); b++) {
            ModuleFactory block = factory.prefixed("down_blocks." + b);
            int in = out;
            out = channels.get(b);
            List<ResnetBlock2D> blockResnets = new ArrayList<>();
            for (int i = 0; i < config.layersPerBlock(); i++) {
                blockResnets.add(new ResnetBlock2D(block.prefixed("resnets." + i), i == 0 ? in : out, out, 0, groups,
                        VaeConfig.EPS, config.activation(), 1f));
            }
            resnets.add(blockResnets);
            boolean last = b == channels.size() - 1;
            downsamplers.add(last ? null : new Downsample2D(block.prefixed("downsamplers.0"), out, 0));
        }
        this.midBlock = new UNetMidBlock2D(factory.prefixed("mid_block"), out, groups, config.activation(),
                config.midBlockAttention(), slicing);
        this.convNormOut = factory.groupNorm("conv_norm_out", groups, out, VaeConfig.EPS);
        this.convOut = factory.conv("conv_out", out, 2L * config.latentChannels(), 3, 1, 1);
    }

    NDArray forward(NDArray image) {
        NDArray h = convIn.forward(image);
        for (int b = 0; b < resnets.size(); b++) {
            for (ResnetBlock2D resnet : resnets.get(b)) {
                h = resnet.forward(h, null);
            }
            if (downsamplers.get(b) != null) {
                h = downsamplers.get(b).forward(h);
            }
        }
        h = midBlock.forward(h);
        return convOut.forward(config.activation().forward(convNormOut.forward(h)));
    }
}
