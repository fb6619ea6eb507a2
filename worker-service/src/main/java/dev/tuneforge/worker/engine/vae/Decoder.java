package dev.tuneforge.worker.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.unet.AttentionSlicing;
import dev.tuneforge.worker.engine.unet.ModuleFactory;
import dev.tuneforge.worker.engine.unet.ResnetBlock2D;
import dev.tuneforge.worker.engine.unet.Upsample2D;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' VAE {@code Decoder}: {@code conv_in} from the latents to the deepest width, the mid
 * block, {@code UpDecoderBlock2D}s in reversed channel order ({@code layers_per_block + 1} resnets,
 * then a ×2 upsampler except in the last block), norm, activation and {@code conv_out}.
 */
final class Decoder {

    private final VaeConfig config;
    private final Layer convIn;
    private final UNetMidBlock2D midBlock;
    private final List<List<ResnetBlock2D>> resnets = new ArrayList<>();
    private final List<Upsample2D> upsamplers = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Layer convOut;

    Decoder(ModuleFactory factory, VaeConfig config, AttentionSlicing slicing) {
        this.config = config;
        List<Integer> channels = config.blockOutChannels();
        int groups = config.normNumGroups();
        int blocks = channels.size();
        int deepest = channels.get(blocks - 1);
        this.convIn = factory.conv("conv_in", config.latentChannels(), deepest, 3, 1, 1);
        this.midBlock = new UNetMidBlock2D(factory.prefixed("mid_block"), deepest, groups, config.activation(),
                config.midBlockAttention(), slicing);
        int out = deepest;
        for (int b = 0; b < blocks; b++) {
            ModuleFactory block = factory.prefixed("up_blocks." + b);
            int in = out;
            out = channels.get(blocks - 1 - b);
            List<ResnetBlock2D> blockResnets = new ArrayList<>();
            for (int i = 0; i <= config.layersPerBlock(); i++) {
                blockResnets.add(new ResnetBlock2D(block.prefixed("resnets." + i), i == 0 ? in : out, out, 0, groups,
                        VaeConfig.EPS, config.activation(), 1f));
            }
            resnets.add(blockResnets);
            boolean last = b == blocks - 1;
            upsamplers.add(last ? null : new Upsample2D(block.prefixed("upsamplers.0"), out));
        }
        this.convNormOut = factory.groupNorm("conv_norm_out", groups, out, VaeConfig.EPS);
        this.convOut = factory.conv("conv_out", out, config.outChannels(), 3, 1, 1);
    }

    NDArray forward(NDArray latents) {
        NDArray h = midBlock.forward(convIn.forward(latents));
        for (int b = 0; b < resnets.size(); b++) {
            for (ResnetBlock2D resnet : resnets.get(b)) {
                h = resnet.forward(h, null);
            }
            if (upsamplers.get(b) != null) {
                h = upsamplers.get(b).forward(h);
            }
        }
        return convOut.forward(config.activation().forward(convNormOut.forward(h)));
    }
}
