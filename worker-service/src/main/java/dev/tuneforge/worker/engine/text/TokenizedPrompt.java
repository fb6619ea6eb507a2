package dev.tuneforge.worker.engine.text;

import java.util.List;

/**
 * A prompt as the text encoder sees it.
 *
 * @param ids token ids, start and end token included, padded to the maximum length
 * @param attentionMask 1 for real tokens (start and end included), 0 for padding
 * @param tokens the token strings before padding, start and end included
 * @param truncated whether the prompt had more tokens than fit and the tail was dropped
 */
public record TokenizedPrompt(long[] ids, long[] attentionMask, List<String> tokens, boolean truncated) {

    public TokenizedPrompt {
        ids = ids.clone();
        attentionMask = attentionMask.clone();
        tokens = List.copyOf(tokens);
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    @Override
    public long[] attentionMask() {
        return attentionMask.clone();
    }
}
