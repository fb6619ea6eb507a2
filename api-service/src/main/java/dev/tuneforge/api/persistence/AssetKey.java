package dev.tuneforge.api.persistence;

import java.io.Serializable;

/** Primary key of {@code datasets} and {@code models}: ids are unique per tenant. */
public record AssetKey(String tenantId, String id) implements Serializable {
}
