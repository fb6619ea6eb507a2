package dev.tuneforge.worker.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    private static final String JSON = "{\"_class_name\": \"UNet2DConditionModel\", \"in_channels\": 4,"
            + " \"attention_head_dim\": 8, \"per_block\": [5, 10, 20], \"beta_start\": 0.00085,"
            + " \"lambda_min_clipped\": -Infinity, \"upper\": Infinity, \"nan\": NaN,"
            + " \"center_input_sample\": false, \"trained_betas\": null,"
            + " \"down_block_types\": [\"CrossAttnDownBlock2D\", \"DownBlock2D\"]}";

    @Test
    void readsTypedValuesIncludingNonFiniteNumbers() throws IOException {
        ModelConfig config = ModelConfig.parse(JSON, "test.json");
        assertThat(config.getString("_class_name")).isEqualTo("UNet2DConditionModel");
        assertThat(config.getInt("in_channels")).isEqualTo(4);
        assertThat(config.getDouble("beta_start")).isEqualTo(0.00085);
        assertThat(config.getDouble("in_channels")).isEqualTo(4.0);
        assertThat(config.getDouble("lambda_min_clipped")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(config.getDouble("upper")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(config.getDouble("nan")).isNaN();
        assertThat(config.getBoolean("center_input_sample")).isFalse();
        assertThat(config.getStringList("down_block_types")).containsExactly("CrossAttnDownBlock2D", "DownBlock2D");
    }

    @Test
    void intListAcceptsANumberOrAList() throws IOException {
        ModelConfig config = ModelConfig.parse(JSON, "test.json");
        assertThat(config.getIntList("attention_head_dim")).containsExactly(8);
        assertThat(config.getIntList("attention_head_dim", 3)).containsExactly(8, 8, 8);
        assertThat(config.getIntList("per_block", 3)).containsExactly(5, 10, 20);
        assertThatThrownBy(() -> config.getIntList("per_block", 4))
                .hasMessageContaining("per_block")
                .hasMessageContaining("expected 4");
    }

    @Test
    void absentAndNullKeysTakeTheDefault() throws IOException {
        ModelConfig config = ModelConfig.parse(JSON, "test.json");
        assertThat(config.has("trained_betas")).isFalse();
        assertThat(config.has("in_channels")).isTrue();
        assertThat(config.getInt("layers_per_block", 2)).isEqualTo(2);
        assertThat(config.getDouble("trained_betas", 1.5)).isEqualTo(1.5);
        assertThat(config.getString("act_fn", "silu")).isEqualTo("silu");
        assertThat(config.getBoolean("upcast_attention", true)).isTrue();
    }

    @Test
    void missingOrMistypedValuesFailNamingKeyAndSource() throws IOException {
        ModelConfig config = ModelConfig.parse(JSON, "test.json");
        assertThatThrownBy(() -> config.getInt("sample_size"))
                .hasMessageContaining("sample_size")
                .hasMessageContaining("test.json");
        assertThatThrownBy(() -> config.getInt("beta_start"))
                .hasMessageContaining("beta_start")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> config.getString("in_channels"))
                .hasMessageContaining("in_channels")
                .hasMessageContaining("string");
    }

    @Test
    void rejectsANonObject() {
        assertThatThrownBy(() -> ModelConfig.parse("[1, 2]", "list.json")).hasMessageContaining("list.json");
    }
}
