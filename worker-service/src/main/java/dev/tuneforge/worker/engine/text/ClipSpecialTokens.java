package dev.tuneforge.worker.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start, end, padding and unknown tokens of a CLIP tokenizer with their ids, and the maximum
 * length, read from tokenizer_config.json / special_tokens_map.json (either may be absent).
 */
record ClipSpecialTokens(String bos, long bosId, String eos, long eosId, String pad, long padId, String unk,
                         int maxLength) {

    static final String DEFAULT_BOS = "<|startoftext|>";
    static final String DEFAULT_EOS = "<|endoftext|>";
    static final int DEFAULT_MAX_LENGTH = 77;

    static ClipSpecialTokens read(Path dir, JsonNode vocab) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode config = readIfPresent(json, dir.resolve("tokenizer_config.json"));
        JsonNode map = readIfPresent(json, dir.resolve("special_tokens_map.json"));
        String bos = token(config, map, "bos_token", DEFAULT_BOS);
        String eos = token(config, map, "eos_token", DEFAULT_EOS);
        String pad = token(config, map, "pad_token", eos);
        String unk = token(config, map, "unk_token", eos);
        int maxLength = config.path("model_max_length").canConvertToInt()
                ? config.path("model_max_length").asInt() : DEFAULT_MAX_LENGTH;
        return new ClipSpecialTokens(bos, idOf(dir, bos, vocab, config), eos, idOf(dir, eos, vocab, config),
                pad, idOf(dir, pad, vocab, config), unk, maxLength);
    }

    private static JsonNode readIfPresent(ObjectMapper json, Path file) throws IOException {
        return Files.isRegularFile(file) ? json.readTree(file.toFile()) : json.createObjectNode();
    }

    /** A special token is either a string or an object with "content". */
    private static String token(JsonNode config, JsonNode map, String key, String fallback) {
        for (JsonNode source : new JsonNode[] {config, map}) {
            JsonNode node = source.path(key);
            if (node.isTextual()) {
                return node.asText();
            }
            if (node.path("content").isTextual()) {
                return node.path("content").asText();
            }
        }
        return fallback;
    }

    /** The id from vocab.json, else from tokenizer_config's added_tokens_decoder. */
    private static long idOf(Path dir, String token, JsonNode vocab, JsonNode config) {
        if (vocab.path(token).canConvertToLong()) {
            return vocab.path(token).asLong();
        }
        var added = config.path("added_tokens_decoder").fields();
        while (added.hasNext()) {
            var entry = added.next();
            if (token.equals(entry.getValue().path("content").asText())) {
                return Long.parseLong(entry.getKey());
            }
        }
        throw new IllegalArgumentException("special token '" + token + "' of the tokenizer in " + dir
                + " is neither in vocab.json nor in added_tokens_decoder");
    }
}
