package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tuneforge.worker.engine.lora.LoraConfig;
import dev.tuneforge.worker.engine.lora.LoraInit;
import dev.tuneforge.worker.engine.lora.LoraNetwork;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients do not depend on when the JVM collects garbage: a backward pass after a forced
 * collection gives exactly the gradients of one right after the forward (DJL's Number operations
 * would hand autograd scalars living in Java buffers that the collector frees).
 */
class GradientSafetyTest {

    @Test
    void aGarbageCollectionBetweenForwardAndBackwardChangesNoGradient() throws IOException {
        try (StableDiffusionPipeline pipeline = StableDiffusionPipeline.builder().setModelDir(Goldens.dir("sd_pipeline"))
                .build();
             LoraNetwork unet = LoraNetwork.create(pipeline.unet().linears(), config(LoraConfig.UNET_TARGETS), 1);
             LoraNetwork text = LoraNetwork.create(pipeline.textEncoder().linears(),
                     config(LoraConfig.TEXT_ENCODER_TARGETS), 2)) {
            unet.setTrainable(true);
            text.setTrainable(true);
            List<NDArray> parameters = new ArrayList<>(unet.parameters());
            parameters.addAll(text.parameters());
            unet.layers().values().forEach(l -> l.up().stopGradient().addi(0.01f));
            text.layers().values().forEach(l -> l.up().stopGradient().addi(0.01f));
            try (NDManager scratch = pipeline.manager().newSubManager()) {
                List<NDArray> calm = gradients(pipeline, parameters, false, scratch);
                List<NDArray> collected = gradients(pipeline, parameters, true, scratch);
                for (int i = 0; i < calm.size(); i++) {
                    assertThat(calm.get(i).abs().max().getFloat()).as("gradient " + i).isFinite();
                    Tensors.assertClose(collected.get(i), calm.get(i), 0, "gradient " + i + " after a GC");
                }
            }
        }
    }

    private static LoraConfig config(List<String> targets) {
        return new LoraConfig(4, 4, 0, LoraInit.GAUSSIAN, targets);
    }

    private static List<NDArray> gradients(StableDiffusionPipeline pipeline, List<NDArray> parameters, boolean collect,
                                           NDManager keep) {
        try (NDManager step = pipeline.manager().newSubManager()) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                long[] ids = pipeline.tokenizer().encode("a red square").ids();
                NDArray context = pipeline.textEncoder().forward(step.create(ids, new Shape(1, ids.length)))
                        .lastHiddenState();
                int channels = pipeline.unet().config().inChannels();
                NDArray sample = Tensors.randn(step, 3, 1, channels, 16, 16);
                NDArray loss = pipeline.unet().forward(sample, step.create(500L), context).square().mean();
                if (collect) {
                    pressure();
                }
                collector.backward(loss);
            }
            List<NDArray> grads = new ArrayList<>();
            for (NDArray p : parameters) {
                NDArray g = Gradients.of(p, step).duplicate();
                g.attach(keep);
                grads.add(g);
            }
            Gradients.zero(parameters);
            return grads;
        }
    }

    /** Frees unreachable direct buffers and reuses their memory. */
    private static void pressure() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<java.nio.ByteBuffer> filler = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 12);
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 0x7f);
                }
                filler.add(buffer);
            }
        }
    }
}
