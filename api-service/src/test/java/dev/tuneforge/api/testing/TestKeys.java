package dev.tuneforge.api.testing;

import dev.tuneforge.api.support.Sha256;
import java.util.UUID;

/** API keys for tests: each test makes its own tenant, so its jobs are its own. */
public final class TestKeys {
    private TestKeys() {
    }

    public record Key(String tenant, String name, String secret) {
        public String bearer() {
            return "Bearer " + secret;
        }
    }

    /**
     * A new tenant with one key, and the model {@code sd15} and dataset {@code alice} that
     * {@link Requests} name registered (rows only: job submission checks that they exist).
     */
    public static Key newTenant(Db db) {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        db.update("INSERT INTO tenants (id, name) VALUES (?, ?)", tenant, "Test tenant " + tenant);
        registerRequestAssets(db, tenant);
        return newKey(db, tenant);
    }

    /** Rows for the model {@code sd15} and dataset {@code alice} of {@link Requests}; a no-op when present. */
    public static void registerRequestAssets(Db db, String tenant) {
        db.update("INSERT INTO models (tenant_id, id, name, total_bytes, files) VALUES (?, 'sd15', 'sd15', 0, '[]')"
                + " ON CONFLICT DO NOTHING", tenant);
        db.update("INSERT INTO datasets (tenant_id, id, name, image_count, total_bytes, files)"
                + " VALUES (?, 'alice', 'alice', 0, 0, '[]') ON CONFLICT DO NOTHING", tenant);
    }

    public static Key newKey(Db db, String tenant) {
        String name = "key-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "tf_test_" + UUID.randomUUID().toString().replace("-", "");
        db.update("INSERT INTO api_keys (id, tenant_id, name, key_hash) VALUES (?, ?, ?, ?)",
                UUID.randomUUID(), tenant, name, Sha256.hex(secret));
        return new Key(tenant, name, secret);
    }

    public static void revoke(Db db, Key key) {
        db.update("UPDATE api_keys SET revoked_at = now() WHERE key_hash = ?", Sha256.hex(key.secret()));
    }
}
