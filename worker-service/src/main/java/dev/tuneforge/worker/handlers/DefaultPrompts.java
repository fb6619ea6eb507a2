package dev.tuneforge.worker.handlers;

import java.util.List;

/**
 * The prompts an evaluation renders when its spec lists none. DESIGN §6 names a reference list of
 * 25 validation prompts, but that list is not in this repository; this small set stands in: varied
 * portraits of the trained subject ("sks person", the DreamBooth convention), so the face metrics
 * have faces to score.
 */
final class DefaultPrompts {
    static final List<String> EVALUATION = List.of(
            "a photo of sks person",
            "a close-up portrait photo of sks person, studio lighting",
            "a photo of sks person smiling outdoors",
            "a photo of sks person wearing a hat",
            "an oil painting portrait of sks person");

    private DefaultPrompts() {
    }
}
