package dev.tuneforge.worker.engine.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The CLIP BPE tokenizer of a Stable Diffusion {@code tokenizer/} folder, run by the HuggingFace
 * tokenizers library. Prompts are padded (with the pad token, the end token unless configured)
 * and truncated to {@code model_max_length} as transformers does: the end token is kept.
 */
public final class ClipTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final ClipSpecialTokens special;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, ClipSpecialTokens special) {
        this.tokenizer = tokenizer;
        this.special = special;
    }

    /** Loads {@code vocab.json}, {@code merges.txt} and the optional special-token configs of {@code dir}. */
    public static ClipTokenizer load(Path dir) throws IOException {
        Path vocabFile = dir.resolve("vocab.json");
        Path mergesFile = dir.resolve("merges.txt");
        for (Path required : List.of(vocabFile, mergesFile)) {
            if (!Files.isRegularFile(required)) {
                throw new IOException("CLIP tokenizer file " + required + " does not exist");
            }
        }
        JsonNode vocab = new ObjectMapper().readTree(vocabFile.toFile());
        ClipSpecialTokens special = ClipSpecialTokens.read(dir, vocab);
        String json = ClipTokenizerJson.build(vocab, ClipTokenizerJson.readMerges(mergesFile), special);
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        return new ClipTokenizer(tokenizer, special);
    }

    /** Tokenizes, truncates and pads one prompt. */
    public TokenizedPrompt encode(String prompt) {
        Encoding encoding = tokenizer.encode(prompt);
        long[] ids = encoding.getIds();
        List<String> tokens = new ArrayList<>(Arrays.asList(encoding.getTokens()));
        int max = special.maxLength();
        boolean truncated = ids.length > max;
        if (truncated) {
            ids = Arrays.copyOf(ids, max);
            ids[max - 1] = special.eosId();
            tokens = new ArrayList<>(tokens.subList(0, max - 1));
            tokens.add(special.eos());
        }
        long[] padded = new long[max];
        long[] mask = new long[max];
        Arrays.fill(padded, special.padId());
        System.arraycopy(ids, 0, padded, 0, ids.length);
        Arrays.fill(mask, 0, ids.length, 1);
        return new TokenizedPrompt(padded, mask, tokens, truncated);
    }

    /** Tokenizes several prompts. */
    public List<TokenizedPrompt> encode(List<String> prompts) {
        return prompts.stream().map(this::encode).toList();
    }

    /** The padded length of every prompt ({@code model_max_length}, 77 for Stable Diffusion). */
    public int maxLength() {
        return special.maxLength();
    }

    public long bosId() {
        return special.bosId();
    }

    public long eosId() {
        return special.eosId();
    }

    public long padId() {
        return special.padId();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
