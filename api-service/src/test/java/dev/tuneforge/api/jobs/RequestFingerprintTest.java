package dev.tuneforge.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void ignoresKeyOrderAndFormatting() throws Exception {
        JsonNode a = mapper.readTree("{\"modelId\":\"sd\",\"lora\":{\"rank\":8,\"alpha\":4},\"datasetId\":\"d\"}");
        JsonNode b = mapper.readTree("{ \"datasetId\" : \"d\", \"lora\": {\"alpha\":4, \"rank\":8}, \"modelId\":\"sd\" }");
        assertThat(RequestFingerprint.of("train", a)).isEqualTo(RequestFingerprint.of("train", b)).hasSize(64);
    }

    @Test
    void differsForAnotherValueOrKind() throws Exception {
        JsonNode spec = mapper.readTree("{\"modelId\":\"sd\",\"datasetId\":\"d\"}");
        JsonNode other = mapper.readTree("{\"modelId\":\"sd\",\"datasetId\":\"e\"}");
        assertThat(RequestFingerprint.of("train", spec)).isNotEqualTo(RequestFingerprint.of("train", other));
        assertThat(RequestFingerprint.of("train", spec)).isNotEqualTo(RequestFingerprint.of("evaluate", spec));
    }
}
