package dev.tuneforge.common.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationPromptsTest {

    @Test
    void theDefaultSetIsTheHomeworksTwentyFivePrompts() {
        assertThat(ValidationPrompts.defaults()).hasSize(25).doesNotHaveDuplicates()
                .startsWith("A man in a black hoodie and khaki pants.")
                .endsWith("A man in a mock neck and moto jacket.");
    }

    @Test
    void emptyPromptsMeanTheDefaultsAndGivenPromptsAreKept() {
        assertThat(ValidationPrompts.orDefaults(List.of())).isEqualTo(ValidationPrompts.defaults());
        assertThat(ValidationPrompts.orDefaults(null)).isEqualTo(ValidationPrompts.defaults());
        assertThat(ValidationPrompts.orDefaults(List.of("a red square"))).containsExactly("a red square");
    }
}
