package dev.tuneforge.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTest {

    private static final Set<String> OPTIONS = Set.of("prompt", "steps", "seed");

    @Test
    void readsRepeatedAndTypedOptions() {
        CliArgs args = CliArgs.parse(List.of("--prompt", "a cat", "--prompt", "a dog", "--steps", "4"), OPTIONS);
        assertThat(args.all("prompt")).containsExactly("a cat", "a dog");
        assertThat(args.getInt("steps", 50)).isEqualTo(4);
        assertThat(args.getLong("seed")).isNull();
        assertThat(args.getFloat("seed", 1.5f)).isEqualTo(1.5f);
    }

    @Test
    void badInputFailsNamingIt() {
        assertThatThrownBy(() -> CliArgs.parse(List.of("--colour", "red"), OPTIONS)).hasMessageContaining("--colour");
        assertThatThrownBy(() -> CliArgs.parse(List.of("--steps"), OPTIONS)).hasMessageContaining("--steps needs a value");
        assertThatThrownBy(() -> CliArgs.parse(List.of("stray"), OPTIONS)).hasMessageContaining("'stray'");
        CliArgs args = CliArgs.parse(List.of("--steps", "four"), OPTIONS);
        assertThatThrownBy(() -> args.getInt("steps", 1)).hasMessageContaining("--steps").hasMessageContaining("'four'");
        assertThatThrownBy(() -> args.required("prompt")).hasMessageContaining("--prompt is required");
    }
}
