package dev.tuneforge.api.assets;

import java.util.List;
import java.util.UUID;

/** A delete refused because jobs that have not ended name the asset. */
public class AssetInUseException extends RuntimeException {
    private final transient List<UUID> jobIds;

    public AssetInUseException(AssetKind kind, String id, List<UUID> jobIds) {
        super(kind.noun() + " '" + id + "' is used by " + jobIds.size() + " job(s) that have not ended: " + jobIds
                + "; cancel them or wait for them to end");
        this.jobIds = List.copyOf(jobIds);
    }

    public List<UUID> jobIds() {
        return jobIds;
    }
}
