package dev.tuneforge.infra;

import java.util.Map;

/**
 * Log levels of the platform process (slf4j-simple reads them from system properties): our own
 * messages and PostgreSQL's at INFO, the chatty broker and s3proxy internals at WARN. A {@code -D}
 * on the command line wins.
 */
final class LogDefaults {
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final String LOG4J_FACTORY = "log4j2.loggerContextFactory";
    private static final Map<String, String> DEFAULTS = Map.of(
            "defaultLogLevel", "info",
            "showDateTime", "true",
            "dateTimeFormat", "HH:mm:ss.SSS",
            "log.org.apache.kafka", "warn",
            "log.kafka", "warn",
            "log.state.change.logger", "warn",
            "log.org.gaul", "warn",
            "log.org.jclouds", "warn",
            "log.org.eclipse.jetty", "warn",
            "log.org.gaul.shaded", "warn");

    private LogDefaults() {
    }

    /** Must run before the first logger is created. */
    static void apply() {
        // Kafka touches the Log4j API; without log4j-core it would complain about a missing provider.
        if (System.getProperty(LOG4J_FACTORY) == null) {
            System.setProperty(LOG4J_FACTORY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
        DEFAULTS.forEach((key, value) -> {
            if (System.getProperty(PREFIX + key) == null) {
                System.setProperty(PREFIX + key, value);
            }
        });
    }
}
