package dev.tuneforge.worker.engine.bench;

import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code tiny-pipeline}: the whole text-to-image call on goldens/sd_pipeline, 2 prompts, guidance 7.5, 4 PNDM steps, 64×64. */
final class TinyPipelineCase implements BenchCase {

    private static final List<String> PROMPTS = List.of("a photo of a man", "an astronaut riding a horse on the moon");

    private final StableDiffusionPipeline pipeline;
    private final GenerationRequest request;

    TinyPipelineCase(Path pipelineDir) throws IOException {
        pipeline = StableDiffusionPipeline.builder().setModelDir(pipelineDir).optScheduler("pndm").build();
        request = GenerationRequest.builder().setPrompts(PROMPTS).optGuidanceScale(7.5f).optSteps(4)
                .optSize(64, 64).optSeed(0).build();
    }

    @Override
    public void run() {
        pipeline.generate(request);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
