package dev.tuneforge.worker.engine.unet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class UNetConfigTest {

    private static UNetConfig parse(String json) throws IOException {
        return UNetConfig.from(ModelConfig.parse(json, "test config"));
    }

    @Test
    void absentKeysTakeDiffusersDefaults() throws IOException {
        UNetConfig c = parse("{}");
        assertThat(c.downBlockTypes()).containsExactly("CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                "CrossAttnDownBlock2D", "DownBlock2D");
        assertThat(c.upBlockTypes()).containsExactly("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D",
                "CrossAttnUpBlock2D");
        assertThat(c.midBlockType()).isEqualTo("UNetMidBlock2DCrossAttn");
        assertThat(c.blockOutChannels()).containsExactly(320, 640, 1280, 1280);
        assertThat(c.numHeads()).containsExactly(8, 8, 8, 8);
        assertThat(c.crossAttentionDim()).containsExactly(1280, 1280, 1280, 1280);
        assertThat(c.layersPerBlock()).containsExactly(2, 2, 2, 2);
        assertThat(c.timeEmbedDim()).isEqualTo(1280);
        assertThat(c.activation()).isEqualTo(Activation.SILU);
        assertThat(c.useLinearProjection()).isFalse();
        assertThat(c.normEps()).isEqualTo(1e-5f);
    }

    @Test
    void perBlockListsAreReadAsGiven() throws IOException {
        UNetConfig c = parse("""
                {"block_out_channels": [320, 640, 1280, 1280], "attention_head_dim": [5, 10, 20, 20],
                 "cross_attention_dim": [1024, 1024, 768, 768], "layers_per_block": [1, 2, 2, 3],
                 "transformer_layers_per_block": [1, 2, 1, 1], "only_cross_attention": [false, true, false, false],
                 "use_linear_projection": true, "upcast_attention": true, "time_embedding_dim": 512}""");
        assertThat(c.numHeads()).containsExactly(5, 10, 20, 20);
        assertThat(c.crossAttentionDim()).containsExactly(1024, 1024, 768, 768);
        assertThat(c.layersPerBlock()).containsExactly(1, 2, 2, 3);
        assertThat(c.transformerLayersPerBlock()).containsExactly(1, 2, 1, 1);
        assertThat(c.onlyCrossAttention()).containsExactly(false, true, false, false);
        assertThat(c.useLinearProjection()).isTrue();
        assertThat(c.upcastAttention()).isTrue();
        assertThat(c.timeEmbedDim()).isEqualTo(512);
    }

    @Test
    void legacyUNetResPrefixIsStrippedAndNullMidBlockMeansNone() throws IOException {
        UNetConfig c = parse("""
                {"block_out_channels": [32, 64], "down_block_types": ["UNetResDownBlock2D", "CrossAttnDownBlock2D"],
                 "up_block_types": ["CrossAttnUpBlock2D", "UNetResUpBlock2D"], "mid_block_type": null}""");
        assertThat(c.downBlockTypes()).containsExactly("DownBlock2D", "CrossAttnDownBlock2D");
        assertThat(c.upBlockTypes()).containsExactly("CrossAttnUpBlock2D", "UpBlock2D");
        assertThat(c.midBlockType()).isNull();
    }

    @Test
    void unknownBlockTypeFailsNamingIt() {
        assertThatThrownBy(() -> parse("""
                {"block_out_channels": [32, 64], "down_block_types": ["DownBlock2D", "SimpleCrossAttnDownBlock2D"],
                 "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"]}"""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("down_block_types")
                .hasMessageContaining("SimpleCrossAttnDownBlock2D");
        assertThatThrownBy(() -> parse("{\"mid_block_type\": \"UNetMidBlock2DSimpleCrossAttn\"}"))
                .hasMessageContaining("mid_block_type")
                .hasMessageContaining("UNetMidBlock2DSimpleCrossAttn");
    }

    @Test
    void unsupportedOptionsFailNamingTheKey() {
        String[] configs = {
            "{\"num_attention_heads\": 8}",
            "{\"class_embed_type\": \"timestep\"}",
            "{\"addition_embed_type\": \"text_time\"}",
            "{\"resnet_time_scale_shift\": \"scale_shift\"}",
            "{\"time_embedding_type\": \"fourier\"}",
            "{\"dual_cross_attention\": true}",
            "{\"norm_num_groups\": null}",
            "{\"act_fn\": \"mish\"}",
        };
        String[] keys = {"num_attention_heads", "class_embed_type", "addition_embed_type", "resnet_time_scale_shift",
            "time_embedding_type", "dual_cross_attention", "norm_num_groups", "mish"};
        for (int i = 0; i < configs.length; i++) {
            String config = configs[i];
            assertThatThrownBy(() -> parse(config)).as(config).hasMessageContaining(keys[i]);
        }
    }

    @Test
    void inconsistentShapesFailClearly() {
        assertThatThrownBy(() -> parse("{\"block_out_channels\": [32, 64]}"))
                .hasMessageContaining("block_out_channels")
                .hasMessageContaining("down_block_types");
        assertThatThrownBy(() -> parse("""
                {"block_out_channels": [30, 64], "attention_head_dim": 8,
                 "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
                 "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"]}"""))
                .hasMessageContaining("30 channels")
                .hasMessageContaining("8 attention heads");
        assertThatThrownBy(() -> parse("{\"attention_head_dim\": [8, 8]}"))
                .hasMessageContaining("attention_head_dim");
    }
}
