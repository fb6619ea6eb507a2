package dev.tuneforge.infra;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The servers of the embedded platform. */
public enum Component {
    KAFKA, POSTGRES, S3;

    /** Lower-case name as used on the command line and the control channel. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Component fromId(String id) {
        return Arrays.stream(values())
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown platform component '" + id + "', expected one of "
                        + Arrays.stream(values()).map(Component::id).collect(Collectors.joining(", "))));
    }

    /** {@code kafka,postgres}: the inverse of {@link #formatList}. */
    public static Set<Component> parseList(String ids) {
        EnumSet<Component> components = EnumSet.noneOf(Component.class);
        Arrays.stream(ids.split(",")).map(String::trim).map(Component::fromId).forEach(components::add);
        return components;
    }

    public static String formatList(Set<Component> components) {
        return components.stream().sorted().map(Component::id).collect(Collectors.joining(","));
    }
}
