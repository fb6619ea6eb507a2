package dev.tuneforge.common.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The default prompt set for validation images and checkpoint evaluation: the reference homework's
 * 25 validation prompts ({@code validation_prompt.txt}), one per line in
 * {@code validation-prompts.txt} next to this class. A sampling spec with no prompts uses them.
 */
public final class ValidationPrompts {

    private static final String RESOURCE = "validation-prompts.txt";
    private static final List<String> DEFAULTS = load();

    private ValidationPrompts() {
    }

    /** The 25 default prompts, in the homework's order. */
    public static List<String> defaults() {
        return DEFAULTS;
    }

    /** {@code prompts}, or the defaults when it is empty. */
    public static List<String> orDefaults(List<String> prompts) {
        return prompts == null || prompts.isEmpty() ? DEFAULTS : prompts;
    }

    private static List<String> load() {
        try (InputStream in = ValidationPrompts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the common jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
