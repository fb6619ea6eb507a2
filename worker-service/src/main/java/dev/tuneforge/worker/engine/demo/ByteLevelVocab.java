package dev.tuneforge.worker.engine.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP-style byte-level BPE vocabulary small enough for a demo model: the 256 byte symbols
 * (GPT-2's printable stand-ins for bytes), the same with the end-of-word marker, one merge chain
 * per given word so each becomes a single token, then the start and end tokens, in CLIP's order.
 * Any text still encodes: unknown words fall back to byte symbols.
 */
final class ByteLevelVocab {

    static final String END_OF_WORD = "</w>";
    static final String START = "<|startoftext|>";
    static final String END = "<|endoftext|>";

    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final List<String> merges = new ArrayList<>();

    private ByteLevelVocab(List<String> words) {
        List<String> bytes = byteSymbols();
        bytes.forEach(this::add);
        bytes.forEach(b -> add(b + END_OF_WORD));
        Set<String> seen = new LinkedHashSet<>();
        for (String word : words) {
            List<String> parts = symbolsOf(word);
            String merged = parts.get(0);
            for (int i = 1; i < parts.size(); i++) {
                String merge = merged + " " + parts.get(i);
                merged = merged + parts.get(i);
                if (seen.add(merge)) {
                    merges.add(merge);
                    add(merged);
                }
            }
        }
        add(START);
        add(END);
    }

    /** A vocabulary in which each of {@code words} (lower-case ASCII) is one token. */
    static ByteLevelVocab of(List<String> words) {
        return new ByteLevelVocab(words);
    }

    /** Token → id, in id order. */
    Map<String, Integer> ids() {
        return ids;
    }

    /** The merge rules, in priority order, as merges.txt lines ("left right"). */
    List<String> merges() {
        return merges;
    }

    int id(String token) {
        return ids.get(token);
    }

    private void add(String token) {
        ids.putIfAbsent(token, ids.size());
    }

    private static List<String> symbolsOf(String word) {
        if (word.isEmpty() || !word.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("vocabulary word '" + word + "' must be non-empty printable ASCII");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < word.length(); i++) {
            parts.add(word.substring(i, i + 1));
        }
        parts.set(parts.size() - 1, parts.get(parts.size() - 1) + END_OF_WORD);
        return parts;
    }

    /**
     * GPT-2's bytes_to_unicode order: bytes that print as themselves ('!'..'~', '¡'..'¬',
     * '®'..'ÿ') first, then the others mapped to U+0100 onwards.
     */
    private static List<String> byteSymbols() {
        List<String> symbols = new ArrayList<>();
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                symbols.add(String.valueOf((char) b));
            }
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                symbols.add(String.valueOf((char) (256 + next++)));
            }
        }
        return symbols;
    }
}
