package dev.tuneforge.infra;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Command line of {@link EmbeddedPlatform#main}. */
record PlatformOptions(Path root, int kafkaPort, int postgresPort, int s3Port, Set<Component> components, boolean controlled) {

    static final String USAGE = """
            usage: java -jar infra/target/infra-<version>.jar [options]
              --root DIR            data and platform.env (default .tuneforge/data)
              --kafka-port N        Kafka client port, 0 = any free port (default 19092)
              --postgres-port N     PostgreSQL port, 0 = any free port (default 15432)
              --s3-port N           S3 port, 0 = any free port (default 19000)
              --components LIST     comma-separated subset of kafka,postgres,s3, or none (default all)
              --controlled          run for a parent process: accept start/stop commands on a
                                    loopback port (written to <root>/control.port) and exit when
                                    standard input closes
            """;

    static PlatformOptions parse(String... args) {
        Path root = EmbeddedPlatform.DEFAULT_ROOT;
        int kafkaPort = EmbeddedPlatform.DEFAULT_KAFKA_PORT;
        int postgresPort = EmbeddedPlatform.DEFAULT_POSTGRES_PORT;
        int s3Port = EmbeddedPlatform.DEFAULT_S3_PORT;
        Set<Component> components = EnumSet.allOf(Component.class);
        boolean controlled = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--controlled")) {
                controlled = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--root" -> root = Path.of(value);
                case "--kafka-port" -> kafkaPort = port(option, value);
                case "--postgres-port" -> postgresPort = port(option, value);
                case "--s3-port" -> s3Port = port(option, value);
                case "--components" -> components = components(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new PlatformOptions(root, kafkaPort, postgresPort, s3Port, components, controlled);
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number 0..65535, got '" + value + "'");
        }
    }

    private static Set<Component> components(String value) {
        return value.equals("none") ? EnumSet.noneOf(Component.class) : Component.parseList(value);
    }
}
