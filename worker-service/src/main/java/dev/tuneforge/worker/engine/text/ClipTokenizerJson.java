package dev.tuneforge.worker.engine.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Assembles the {@code tokenizer.json} of a CLIP tokenizer from the OpenAI file format
 * (vocab.json + merges.txt). The HuggingFace vocab+merges constructor would build a bare BPE
 * without CLIP's normaliser, word split, {@code </w>} suffix and start/end tokens, and give wrong ids.
 */
final class ClipTokenizerJson {

    /** CLIP's word split (contractions, letter runs, single digits, punctuation runs). */
    static final String SPLIT_PATTERN = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d"
            + "|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClipTokenizerJson() {
    }

    /**
     * @param vocab the parsed vocab.json (token -> id)
     * @param merges merges.txt lines without the version header
     */
    static String build(JsonNode vocab, List<String> merges, ClipSpecialTokens special) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, special.bosId(), special.bos());
        addSpecial(added, special.eosId(), special.eos());
        root.set("normalizer", normalizer());
        root.set("pre_tokenizer", preTokenizer());
        root.set("post_processor", postProcessor(special));
        root.set("decoder", JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true));
        root.set("model", model(vocab, merges, special));
        return JSON.writeValueAsString(root);
    }

    /** merges.txt without its "#version" header and blank lines. */
    static List<String> readMerges(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#version"))
                .toList();
    }

    private static void addSpecial(ArrayNode added, long id, String content) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", true).put("special", true);
    }

    /** NFC, runs of whitespace to one space, lower case: what CLIP's text cleaning does. */
    private static JsonNode normalizer() {
        ObjectNode node = JSON.createObjectNode().put("type", "Sequence");
        ArrayNode steps = node.putArray("normalizers");
        steps.addObject().put("type", "NFC");
        ObjectNode replace = steps.addObject().put("type", "Replace").put("content", " ");
        replace.putObject("pattern").put("Regex", "\\s+");
        steps.addObject().put("type", "Lowercase");
        return node;
    }

    private static JsonNode preTokenizer() {
        ObjectNode node = JSON.createObjectNode().put("type", "Sequence");
        ArrayNode steps = node.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split").put("behavior", "Removed").put("invert", true);
        split.putObject("pattern").put("Regex", SPLIT_PATTERN);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        return node;
    }

    /** Start token before, end token after every sequence. */
    private static JsonNode postProcessor(ClipSpecialTokens special) {
        ObjectNode node = JSON.createObjectNode().put("type", "RobertaProcessing").put("trim_offsets", false)
                .put("add_prefix_space", false);
        node.putArray("sep").add(special.eos()).add(special.eosId());
        node.putArray("cls").add(special.bos()).add(special.bosId());
        return node;
    }

    private static JsonNode model(JsonNode vocab, List<String> merges, ClipSpecialTokens special) {
        ObjectNode node = JSON.createObjectNode().put("type", "BPE").put("unk_token", special.unk())
                .put("continuing_subword_prefix", "").put("end_of_word_suffix", "</w>").put("fuse_unk", false)
                .put("byte_fallback", false);
        node.putNull("dropout");
        node.set("vocab", vocab);
        ArrayNode mergeArray = node.putArray("merges");
        merges.forEach(mergeArray::add);
        return node;
    }
}
