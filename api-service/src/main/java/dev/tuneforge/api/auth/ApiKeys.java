package dev.tuneforge.api.auth;

import dev.tuneforge.api.persistence.ApiKeyRepository;
import dev.tuneforge.api.support.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** API keys: only their SHA-256 is stored, so the lookup is by hash. */
@ApplicationScoped
public class ApiKeys {
    private final ApiKeyRepository keys;

    ApiKeys(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /** The caller a presented secret stands for; empty when the key is unknown or revoked. */
    public Optional<Caller> authenticate(String secret) {
        return keys.findActiveByHash(Sha256.hex(secret)).map(key -> new Caller(key.tenantId, key.name));
    }

    /** Registers {@code secret} unless its hash is already known; returns whether a row was added. */
    public boolean register(String tenantId, String name, String secret) {
        return keys.insertIfAbsent(tenantId, name, Sha256.hex(secret));
    }
}
