package dev.tuneforge.api.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.api.assets.RejectedFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that a folder is a Stable Diffusion pipeline in diffusers layout, as the worker will load
 * it: {@code model_index.json} names the five components; unet, vae and text_encoder each have
 * their {@code config.json} and a {@code *.safetensors} weights file whose header is readable
 * (8-byte little-endian length, then that many bytes of JSON); the scheduler has
 * {@code scheduler_config.json}; the tokenizer has {@code vocab.json} and {@code merges.txt}.
 * Every problem is reported, each naming the file or component.
 */
final class DiffusersLayout {
    static final String MODEL_INDEX = "model_index.json";
    static final List<String> COMPONENTS = List.of("unet", "vae", "text_encoder", "tokenizer", "scheduler");
    private static final List<String> WEIGHTED = List.of("unet", "vae", "text_encoder");
    private static final String SAFETENSORS = ".safetensors";
    /** Largest JSON file read for checking (CLIP's vocab.json is about 1 MB). */
    private static final long MAX_JSON = 16L * 1024 * 1024;

    private final ObjectMapper mapper;
    private final long maxHeader;

    DiffusersLayout(ObjectMapper mapper, long maxHeader) {
        this.mapper = mapper;
        this.maxHeader = maxHeader;
    }

    List<RejectedFile> problems(ModelFolder folder) {
        List<RejectedFile> problems = new ArrayList<>();
        modelIndex(folder, problems);
        for (String component : WEIGHTED) {
            jsonObject(folder, component + "/config.json", component, problems);
            weights(folder, component, problems);
        }
        jsonObject(folder, "scheduler/scheduler_config.json", "scheduler", problems);
        jsonObject(folder, "tokenizer/vocab.json", "tokenizer", problems);
        if (!folder.files().containsKey("tokenizer/merges.txt")) {
            problems.add(new RejectedFile("tokenizer/merges.txt", "missing component 'tokenizer': no tokenizer/merges.txt"));
        }
        return problems;
    }

    private void modelIndex(ModelFolder folder, List<RejectedFile> problems) {
        Optional<JsonNode> index = jsonObject(folder, MODEL_INDEX, "pipeline", problems);
        index.ifPresent(json -> COMPONENTS.stream().filter(c -> !json.has(c)).forEach(c -> problems.add(
                new RejectedFile(MODEL_INDEX, "missing component '" + c + "': model_index.json does not name it"))));
    }

    private Optional<JsonNode> jsonObject(ModelFolder folder, String path, String component, List<RejectedFile> problems) {
        Long size = folder.files().get(path);
        if (size == null) {
            problems.add(new RejectedFile(path, "missing component '" + component + "': no " + path));
            return Optional.empty();
        }
        if (size > MAX_JSON) {
            problems.add(new RejectedFile(path, size + " bytes; a JSON file here is at most " + MAX_JSON));
            return Optional.empty();
        }
        try {
            JsonNode json = mapper.readTree(folder.read(path, 0, size).orElseThrow());
            if (json == null || !json.isObject()) {
                problems.add(new RejectedFile(path, "not a JSON object"));
                return Optional.empty();
            }
            return Optional.of(json);
        } catch (JsonProcessingException e) {
            problems.add(new RejectedFile(path, "not valid JSON: " + e.getOriginalMessage()));
            return Optional.empty();
        } catch (java.io.IOException e) {
            problems.add(new RejectedFile(path, "cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private void weights(ModelFolder folder, String component, List<RejectedFile> problems) {
        List<Map.Entry<String, Long>> found = folder.files().entrySet().stream()
                .filter(f -> f.getKey().startsWith(component + "/") && f.getKey().endsWith(SAFETENSORS)
                        && f.getKey().indexOf('/', component.length() + 1) < 0)
                .toList();
        if (found.isEmpty()) {
            problems.add(new RejectedFile(component + "/", "missing component '" + component
                    + "': no weights file (*.safetensors) in " + component + "/"));
        }
        found.forEach(f -> safetensorsHeader(folder, f.getKey(), f.getValue()).ifPresent(problems::add));
    }

    /** The header must be an 8-byte little-endian length n, then n bytes of one JSON object; n fits the file. */
    private Optional<RejectedFile> safetensorsHeader(ModelFolder folder, String path, long size) {
        if (size < Long.BYTES) {
            return Optional.of(new RejectedFile(path, "not a safetensors file: " + size + " bytes, shorter than its header"));
        }
        long length = ByteBuffer.wrap(folder.read(path, 0, Long.BYTES).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
        if (length <= 0 || length > maxHeader || length > size - Long.BYTES) {
            return Optional.of(new RejectedFile(path, "not a safetensors file: header length " + length
                    + " does not fit (file " + size + " bytes, header limit " + maxHeader + ")"));
        }
        try {
            JsonNode header = mapper.readTree(folder.read(path, Long.BYTES, length).orElseThrow());
            return header != null && header.isObject() ? Optional.empty()
                    : Optional.of(new RejectedFile(path, "not a safetensors file: its header is not a JSON object"));
        } catch (java.io.IOException e) {
            return Optional.of(new RejectedFile(path, "not a safetensors file: its header is not JSON"));
        }
    }
}
