package dev.tuneforge.worker.engine.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options (a name may repeat); anything not declared is an error naming it. */
public final class CliArgs {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private CliArgs() {
    }

    /** Parses {@code args}, accepting only the option names in {@code allowed} (without the dashes). */
    public static CliArgs parse(List<String> args, Set<String> allowed) {
        CliArgs parsed = new CliArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", allowed)
                        + ")");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
        }
        return parsed;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every value given for {@code name}, in order. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The value of a required option. */
    public String required(String name) {
        if (!has(name)) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return last(name);
    }

    public String get(String name, String defaultValue) {
        return has(name) ? last(name) : defaultValue;
    }

    public int getInt(String name, int defaultValue) {
        return has(name) ? parse(name, Integer::parseInt) : defaultValue;
    }

    public Integer getInt(String name) {
        return has(name) ? parse(name, Integer::parseInt) : null;
    }

    public Long getLong(String name) {
        return has(name) ? parse(name, Long::parseLong) : null;
    }

    public float getFloat(String name, float defaultValue) {
        return has(name) ? parse(name, Float::parseFloat) : defaultValue;
    }

    private String last(String name) {
        List<String> given = values.get(name);
        return given.get(given.size() - 1);
    }

    private <T> T parse(String name, java.util.function.Function<String, T> parser) {
        String text = last(name);
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + ": '" + text + "' is not a number", e);
        }
    }
}
