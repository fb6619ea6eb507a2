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

    /** A new tenant with one key. */
    public static Key newTenant(Db db) {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        db.update("INSERT INTO tenants (id, name) VALUES (?, ?)", tenant, "Test tenant " + tenant);
        return newKey(db, tenant);
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
