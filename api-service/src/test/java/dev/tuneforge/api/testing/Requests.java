package dev.tuneforge.api.testing;

/** Job request bodies as a client would send them. */
public final class Requests {
    private Requests() {
    }

    public static String train(String specFields) {
        return "{\"kind\":\"train\",\"spec\":{\"modelId\":\"sd15\",\"datasetId\":\"alice\"" + prefixComma(specFields) + "}}";
    }

    public static String train() {
        return train("");
    }

    public static String generate() {
        return "{\"kind\":\"generate\",\"spec\":{\"modelId\":\"sd15\",\"sampling\":{\"prompts\":[\"a photo of a cat\"]}}}";
    }

    private static String prefixComma(String fields) {
        return fields.isBlank() ? "" : "," + fields;
    }
}
