package dev.tuneforge.api.auth;

import dev.tuneforge.api.config.ApiConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Registers the local platform's key at start-up ({@code ./tuneforge up} generates it and passes it
 * in {@code TUNEFORGE_AUTH_BOOTSTRAP_KEY}), so a fresh platform can be used right away.
 */
@ApplicationScoped
public class BootstrapKey {
    static final String TENANT = "local";
    static final String NAME = "local-admin";
    private static final Logger LOG = Logger.getLogger(BootstrapKey.class);

    private final ApiKeys keys;
    private final ApiConfig config;

    BootstrapKey(ApiKeys keys, ApiConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @Transactional
    void onStart(@Observes StartupEvent start) {
        config.auth().bootstrapKey().filter(key -> !key.isBlank()).ifPresent(key -> {
            if (keys.register(TENANT, NAME, key)) {
                LOG.infof("registered the bootstrap API key as '%s' for tenant '%s'", NAME, TENANT);
            }
        });
    }
}
