package dev.tuneforge.worker.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {

    /** Tokenizer parity: every prompt of tokenizer_fixtures.json gives the reference ids, mask and tokens. */
    @Test
    void matchesTheReferenceTokenizerOnEveryFixturePrompt() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("clip_text/tokenizer", "tokenizer_fixtures");
             ClipTokenizer tokenizer = ClipTokenizer.load(Goldens.dir("tokenizer"))) {
            JsonNode description = fixtures.description();
            assertThat(tokenizer.bosId()).isEqualTo(description.path("bos").asLong());
            assertThat(tokenizer.eosId()).isEqualTo(description.path("eos_and_pad").asLong());
            assertThat(tokenizer.padId()).isEqualTo(description.path("eos_and_pad").asLong());
            Iterator<Map.Entry<String, JsonNode>> prompts = description.path("prompts").fields();
            assertThat(prompts.hasNext()).isTrue();
            while (prompts.hasNext()) {
                Map.Entry<String, JsonNode> prompt = prompts.next();
                String text = prompt.getValue().path("text").asText();
                TokenizedPrompt encoded = tokenizer.encode(text);
                NDArray ids = fixtures.get(prompt.getKey() + ".input_ids");
                NDArray mask = fixtures.get(prompt.getKey() + ".attention_mask");
                assertThat(encoded.ids()).as("ids of '%s'", text).containsExactly(ids.toLongArray());
                assertThat(encoded.attentionMask()).as("mask of '%s'", text).containsExactly(mask.toLongArray());
                List<String> expectedTokens = new ArrayList<>();
                prompt.getValue().path("tokens").forEach(t -> expectedTokens.add(t.asText()));
                List<String> tokens = encoded.tokens();
                assertThat(tokens.subList(1, tokens.size() - 1)).as("tokens of '%s'", text)
                        .containsExactlyElementsOf(expectedTokens);
                assertThat(encoded.truncated()).isFalse();
            }
        }
    }

    @Test
    void longPromptsAreTruncatedKeepingTheEndToken() throws IOException {
        try (ClipTokenizer tokenizer = ClipTokenizer.load(Goldens.dir("tokenizer"))) {
            int max = tokenizer.maxLength();
            TokenizedPrompt exact = tokenizer.encode("a ".repeat(max - 2).trim());
            assertThat(exact.truncated()).isFalse();
            assertThat(exact.attentionMask()).containsOnly(1L);

            TokenizedPrompt longer = tokenizer.encode("a ".repeat(max + 10).trim());
            assertThat(longer.truncated()).isTrue();
            long[] ids = longer.ids();
            assertThat(ids).hasSize(max);
            assertThat(ids[0]).isEqualTo(tokenizer.bosId());
            assertThat(ids[max - 1]).isEqualTo(tokenizer.eosId());
            assertThat(ids[max - 2]).isEqualTo(exact.ids()[1]);
            assertThat(longer.tokens()).hasSize(max);
        }
    }

    @Test
    void configuredPadTokenIsUsed(@TempDir Path dir) throws IOException {
        Path source = Goldens.dir("tokenizer");
        for (String name : List.of("vocab.json", "merges.txt")) {
            Files.copy(source.resolve(name), dir.resolve(name));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"!\", \"model_max_length\": 10}");
        try (ClipTokenizer tokenizer = ClipTokenizer.load(dir)) {
            assertThat(tokenizer.maxLength()).isEqualTo(10);
            TokenizedPrompt encoded = tokenizer.encode("a");
            int real = encoded.tokens().size();
            long[] ids = encoded.ids();
            long[] mask = encoded.attentionMask();
            assertThat(ids).hasSize(10);
            assertThat(tokenizer.padId()).isNotEqualTo(tokenizer.eosId());
            assertThat(ids[real - 1]).isEqualTo(tokenizer.eosId());
            for (int i = 0; i < ids.length; i++) {
                assertThat(mask[i]).as("mask at %d", i).isEqualTo(i < real ? 1 : 0);
                if (i >= real) {
                    assertThat(ids[i]).as("id at %d", i).isEqualTo(tokenizer.padId());
                }
            }
        }
    }

    @Test
    void missingFilesAndUnknownSpecialTokensFailNamingThem(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ClipTokenizer.load(dir)).hasMessageContaining("vocab.json");
        Path source = Goldens.dir("tokenizer");
        for (String name : List.of("vocab.json", "merges.txt")) {
            Files.copy(source.resolve(name), dir.resolve(name));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"<pad>\"}");
        assertThatThrownBy(() -> ClipTokenizer.load(dir)).hasMessageContaining("'<pad>'");
    }
}
