package dev.tuneforge.worker.engine.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parity with diffusers' AutoencoderKL on the {@code vae/} goldens, loading the folder as a real
 * model (config.json drives the architecture).
 */
class AutoencoderKLParityTest {

    private static final double ATOL = 1e-4;

    private static NDManager manager;
    private static Fixtures fixtures;
    private static AutoencoderKL vae;

    private NDManager step;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        fixtures = Goldens.fixtures("vae");
        vae = AutoencoderKL.load(fixtures.dir(), manager);
    }

    @AfterAll
    static void close() throws IOException {
        fixtures.close();
        manager.close();
    }

    @BeforeEach
    void openStep() {
        step = manager.newSubManager();
    }

    @AfterEach
    void closeStep() {
        step.close();
    }

    @Test
    void encodeGivesTheReferenceMomentsAndDistribution() {
        NDArray image = fixtures.get("input.image", step);
        check(vae.moments(image), "encode.moments");
        LatentDistribution latents = vae.encode(image);
        check(latents.mean(), "encode.latent_dist.mean");
        check(latents.logvar(), "encode.latent_dist.logvar");
        check(latents.std(), "encode.latent_dist.std");
        check(latents.sample(fixtures.get("encode.sample_eps", step)), "encode.latent_dist.sample");
    }

    @Test
    void decodeGivesTheReferenceImage() {
        NDArray latents = fixtures.get("input.latents", step);
        check(vae.postQuantConv(latents), "decode.post_quant_conv");
        check(vae.decode(latents), "decode.sample");
    }

    @Test
    void decodingTheMeanRoundTrips() {
        NDArray mean = vae.encode(fixtures.get("input.image", step)).mean();
        check(vae.decode(mean), "roundtrip.decode_of_mean");
    }

    @Test
    void scalingFactorComesFromTheConfig() throws IOException {
        ModelConfig config = ModelConfig.read(fixtures.dir().resolve("config.json"));
        assertThat((double) vae.scalingFactor()).isEqualTo(config.getDouble("scaling_factor"), org.assertj.core.data.Offset.offset(1e-7));
    }

    @Test
    void slicedAttentionGivesTheSameImage() {
        long before = vae.attentionSlicing().maxScoreElements();
        try {
            // Forces slicing over query tokens as well as over rows.
            vae.attentionSlicing().setMaxScoreElements(20_000);
            check(vae.decode(fixtures.get("input.latents", step)), "decode.sample with sliced attention");
        } finally {
            vae.attentionSlicing().setMaxScoreElements(before);
        }
    }

    private void check(NDArray actual, String name) {
        String fixture = name.replace(" with sliced attention", "");
        double diff = Tensors.assertClose(actual, fixtures.get(fixture, step), ATOL, name);
        System.out.printf("vae %s max |diff| %.3g%n", name, diff);
    }
}
