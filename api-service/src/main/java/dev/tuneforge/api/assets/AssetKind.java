package dev.tuneforge.api.assets;

/** The two things a client registers before submitting jobs, and the spec field that names each. */
public enum AssetKind {
    DATASET("dataset", "datasetId"),
    MODEL("model", "modelId");

    private final String noun;
    private final String specField;

    AssetKind(String noun, String specField) {
        this.noun = noun;
        this.specField = specField;
    }

    public String noun() {
        return noun;
    }

    /** The top-level job spec field that names an asset of this kind. */
    public String specField() {
        return specField;
    }
}
