package dev.tuneforge.api.assets;

/** The tenant already has a dataset or model with this id. */
public class AssetExistsException extends RuntimeException {
    public AssetExistsException(AssetKind kind, String id) {
        super("a " + kind.noun() + " with id '" + id + "' already exists; delete it first or choose another id");
    }
}
