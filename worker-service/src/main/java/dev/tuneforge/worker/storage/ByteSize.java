package dev.tuneforge.worker.storage;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them in settings: {@code 20G}, {@code 512M}, {@code 64k}, {@code 1000} (bytes). */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)B?");

    private ByteSize() {
    }

    public static long parse(String setting, String value) {
        Matcher m = SIZE.matcher(value.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(setting + ": '" + value + "' is not a size (e.g. 20G, 512M, 1000)");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    }
}
