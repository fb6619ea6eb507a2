package dev.tuneforge.api.assets;

/** No dataset or model with this id for the caller's tenant. */
public class AssetNotFoundException extends RuntimeException {
    public AssetNotFoundException(AssetKind kind, String id) {
        super("no " + kind.noun() + " '" + id + "'");
    }
}
