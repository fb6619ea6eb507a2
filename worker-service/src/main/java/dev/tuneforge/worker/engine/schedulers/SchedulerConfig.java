package dev.tuneforge.worker.engine.schedulers;

import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options one scheduler class reads, as diffusers' {@code from_config} sees them: the class's
 * own keys from the file (others are ignored, so a config saved by another class still loads),
 * overrides on top, and the keys named in {@code _use_default_values} left to this class's defaults
 * (they were defaults of the class that saved the file, not choices).
 */
final class SchedulerConfig {

    private final ModelConfig config;
    private final Map<String, Object> overrides;
    private final Set<String> savedAsDefault;

    SchedulerConfig(ModelConfig config, Map<String, Object> overrides) {
        this.config = config;
        this.overrides = Map.copyOf(overrides);
        this.savedAsDefault = config.has("_use_default_values")
                ? Set.copyOf(config.getStringList("_use_default_values"))
                : Set.of();
    }

    String source() {
        return config.source();
    }

    int getInt(String key, int defaultValue) {
        Object value = overrides.get(key);
        if (value != null) {
            return ((Number) value).intValue();
        }
        return present(key) ? config.getInt(key) : defaultValue;
    }

    double getDouble(String key, double defaultValue) {
        Object value = overrides.get(key);
        if (value != null) {
            return ((Number) value).doubleValue();
        }
        return present(key) ? config.getDouble(key) : defaultValue;
    }

    /** A number that may be absent (JSON null), e.g. {@code sigma_min}. */
    Double getOptionalDouble(String key) {
        return present(key) ? config.getDouble(key) : null;
    }

    boolean getBoolean(String key, boolean defaultValue) {
        Object value = overrides.get(key);
        if (value != null) {
            return (Boolean) value;
        }
        return present(key) ? config.getBoolean(key) : defaultValue;
    }

    /** A list of numbers that may be absent, e.g. {@code trained_betas}. */
    double[] getOptionalDoubles(String key) {
        if (!present(key)) {
            return null;
        }
        return config.getDoubleList(key).stream().mapToDouble(Double::doubleValue).toArray();
    }

    String getString(String key, String defaultValue) {
        Object value = overrides.get(key);
        if (value != null) {
            return (String) value;
        }
        return present(key) ? config.getString(key) : defaultValue;
    }

    /** The value of a string option, which must be one of {@code supported}. */
    @SafeVarargs
    final <E extends ConfigChoice> E choice(String key, E defaultValue, E... supported) {
        String value = getString(key, defaultValue.configName());
        List<String> names = new ArrayList<>();
        for (E candidate : supported) {
            if (candidate.configName().equals(value)) {
                return candidate;
            }
            names.add(candidate.configName());
        }
        throw unsupported(key, "'" + value + "'", names);
    }

    /** A number option restricted to a few values, e.g. {@code solver_order}. */
    int intChoice(String key, int defaultValue, List<Integer> supported) {
        int value = getInt(key, defaultValue);
        if (!supported.contains(value)) {
            throw unsupported(key, Integer.toString(value), supported);
        }
        return value;
    }

    /** A boolean option this engine only supports in its default (false) state, e.g. {@code thresholding}. */
    void requireFalse(String key) {
        if (getBoolean(key, false)) {
            throw unsupported(key, "true", List.of(false));
        }
    }

    /** A string option this engine supports in one state only, e.g. {@code timestep_type} "discrete". */
    void requireString(String key, String only) {
        String value = getString(key, only);
        if (!value.equals(only)) {
            throw unsupported(key, "'" + value + "'", List.of(only));
        }
    }

    /** An option this engine supports only when unset (null), e.g. {@code variance_type} of DPM-Solver. */
    void requireUnset(String key) {
        if (present(key)) {
            throw unsupported(key, "'" + getString(key, "") + "'", List.of("null"));
        }
    }

    IllegalArgumentException unsupported(String key, String value, List<?> supported) {
        return new IllegalArgumentException("scheduler config " + source() + ": '" + key + "' = " + value
                + " is not supported; valid: " + supported);
    }

    private boolean present(String key) {
        return !savedAsDefault.contains(key) && config.has(key);
    }
}
