package dev.tuneforge.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuneforge.api.support.Sha256;
import dev.tuneforge.common.events.EventCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SHA-256 of a submission in canonical form (object keys sorted, no whitespace), so a retried
 * request matches its original whatever the client's key order or formatting was.
 */
public final class RequestFingerprint {
    private static final ObjectMapper CANONICAL = EventCodec.newMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RequestFingerprint() {
    }

    public static String of(String kind, JsonNode spec) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind);
        request.put("spec", spec == null ? null : CANONICAL.convertValue(spec, Object.class));
        try {
            return Sha256.hex(CANONICAL.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed JSON tree", e);
        }
    }
}
