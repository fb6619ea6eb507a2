package dev.tuneforge.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The connection settings of a running platform: written as {@code platform.env} ({@code KEY=value}
 * lines, exported by {@code ./tuneforge} to the services) and turned into Quarkus configuration
 * by the test resources. Each setting knows both its environment name and its config key, so the
 * two views cannot drift apart.
 */
public final class PlatformEnv {
    public static final String FILE_NAME = "platform.env";

    /** One connection setting, the component that provides it, and its Quarkus config key. */
    public enum Setting {
        KAFKA_BOOTSTRAP_SERVERS(Component.KAFKA, "kafka.bootstrap.servers"),
        QUARKUS_DATASOURCE_JDBC_URL(Component.POSTGRES, "quarkus.datasource.jdbc.url"),
        QUARKUS_DATASOURCE_USERNAME(Component.POSTGRES, "quarkus.datasource.username"),
        QUARKUS_DATASOURCE_PASSWORD(Component.POSTGRES, "quarkus.datasource.password"),
        TUNEFORGE_S3_ENDPOINT(Component.S3, "tuneforge.s3.endpoint"),
        TUNEFORGE_S3_ACCESS_KEY(Component.S3, "tuneforge.s3.access-key"),
        TUNEFORGE_S3_SECRET_KEY(Component.S3, "tuneforge.s3.secret-key"),
        TUNEFORGE_S3_BUCKET(Component.S3, "tuneforge.s3.bucket");

        private final Component component;
        private final String configKey;

        Setting(Component component, String configKey) {
            this.component = component;
            this.configKey = configKey;
        }

        public Component component() {
            return component;
        }

        public String configKey() {
            return configKey;
        }
    }

    private final Map<Setting, String> values;

    public PlatformEnv(Map<Setting, String> values) {
        this.values = Map.copyOf(values);
    }

    public String get(Setting setting) {
        String value = values.get(setting);
        if (value == null) {
            throw new IllegalStateException(setting + " is not set: is the platform's " + setting.component().id() + " running?");
        }
        return value;
    }

    /** Quarkus configuration ({@code kafka.bootstrap.servers=...}) for the settings of the given components. */
    public Map<String, String> config(Set<Component> components) {
        return Arrays.stream(Setting.values())
                .filter(s -> components.contains(s.component()))
                .collect(Collectors.toMap(Setting::configKey, this::get, (a, b) -> a, LinkedHashMap::new));
    }

    /** Replaces the file in one step, so a reader never sees half of it. */
    public void write(Path file) {
        List<String> lines = Arrays.stream(Setting.values())
                .filter(values::containsKey)
                .map(s -> s.name() + "=" + values.get(s))
                .toList();
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static PlatformEnv read(Path file) {
        Map<String, Setting> byName = Arrays.stream(Setting.values()).collect(Collectors.toMap(Setting::name, Function.identity()));
        Map<Setting, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                Setting setting = eq > 0 ? byName.get(line.substring(0, eq)) : null;
                if (setting == null) {
                    throw new IllegalStateException("unexpected line in " + file + ": '" + line + "'");
                }
                values.put(setting, line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new PlatformEnv(values);
    }
}
