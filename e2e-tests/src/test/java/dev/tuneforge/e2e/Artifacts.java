package dev.tuneforge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.storage.ObjectKeys;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the platform stored in S3, read the way a client with bucket access would. */
final class Artifacts {

    /** The tenant of the bootstrap API key. */
    static final String TENANT = "local";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MinioClient s3;

    Artifacts(E2ePlatform platform) {
        this.s3 = platform.s3();
    }

    /** Keys under {@code prefix}, sorted. */
    List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(ObjectKeys.BUCKET).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(item.get().objectName());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list s3://" + ObjectKeys.BUCKET + "/" + prefix, e);
        }
        keys.sort(null);
        return keys;
    }

    byte[] read(String key) {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(ObjectKeys.BUCKET).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read s3://" + ObjectKeys.BUCKET + "/" + key, e);
        }
    }

    JsonNode readJson(String key) {
        try {
            return JSON.readTree(read(key));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("s3://" + ObjectKeys.BUCKET + "/" + key + " is not JSON", e);
        }
    }

    /** The object key of an {@code s3://tuneforge/<key>} location. */
    static String keyOf(String location) {
        String prefix = "s3://" + ObjectKeys.BUCKET + "/";
        if (location == null || !location.startsWith(prefix)) {
            throw new IllegalArgumentException("not a location in the platform's bucket: " + location);
        }
        return location.substring(prefix.length());
    }

    /**
     * The F32 tensors of a safetensors file by name (8-byte little-endian header length, JSON
     * header, data). Only what the comparison of two LoRA files needs: another dtype fails by name.
     */
    static Map<String, float[]> f32Tensors(byte[] file) {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buffer.getLong(0));
        JsonNode header;
        try {
            header = JSON.readTree(new String(file, 8, headerLength, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("safetensors header is not JSON", e);
        }
        Map<String, float[]> tensors = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            String dtype = entry.getValue().get("dtype").asText();
            if (!dtype.equals("F32")) {
                throw new IllegalArgumentException("tensor " + entry.getKey() + " is " + dtype + ", only F32 is compared");
            }
            long start = entry.getValue().get("data_offsets").get(0).asLong();
            long end = entry.getValue().get("data_offsets").get(1).asLong();
            float[] values = new float[Math.toIntExact((end - start) / 4)];
            ByteBuffer data = ByteBuffer.wrap(file, Math.toIntExact(8 + headerLength + start),
                    Math.toIntExact(end - start)).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().get(values);
            tensors.put(entry.getKey(), values);
        }
        return tensors;
    }

    /** The largest absolute difference between same-named tensors; the names must match. */
    static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new AssertionError("tensor names differ: " + a.keySet() + " vs " + b.keySet());
        }
        double max = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            if (x.length != y.length) {
                throw new AssertionError(e.getKey() + ": " + x.length + " vs " + y.length + " values");
            }
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs((double) x[i] - y[i]));
            }
        }
        return max;
    }
}
