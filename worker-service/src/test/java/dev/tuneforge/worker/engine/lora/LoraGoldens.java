package dev.tuneforge.worker.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code lora_unet/} and {@code lora_text_encoder/} share: the adapter values and alpha of
 * fixtures.json/safetensors, the three reference files and {@code lora_key_names.json}.
 */
final class LoraGoldens {

    /** The reference files and the lora_key_names.json list that names each one's keys. */
    static final Map<LoraFormat, String> FILES = Map.of(
            LoraFormat.PEFT, "lora_peft_naming.safetensors",
            LoraFormat.DIFFUSERS, "pytorch_lora_weights.safetensors",
            LoraFormat.KOHYA, "lora_kohya.safetensors");

    private static final Pattern ALPHA = Pattern.compile("alpha ([0-9.]+)");

    private final Fixtures fixtures;
    private final LoraComponent component;
    private final JsonNode keyNames;

    LoraGoldens(Fixtures fixtures, LoraComponent component) throws IOException {
        this.fixtures = fixtures;
        this.component = component;
        this.keyNames = new ObjectMapper().readTree(fixtures.dir().resolve("lora_key_names.json").toFile());
    }

    /** The modules fixtures.json gives adapters to, in its order. */
    List<String> modules() {
        List<String> modules = new ArrayList<>();
        keyNames.path("lora_target_modules").forEach(n -> modules.add(n.asText()));
        assertThat(modules).as("lora_target_modules").isNotEmpty();
        return modules;
    }

    /** alpha as the description states it ("rank R, alpha A ..."). */
    double alpha() {
        Matcher m = ALPHA.matcher(fixtures.description().path("lora").asText());
        assertThat(m.find()).as("alpha in description.lora").isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The reference A/B of every module ({@code lora.<module>.A/B}) with {@link #alpha()}. */
    Map<String, LoraModuleWeights> weights(NDManager manager) {
        Map<String, LoraModuleWeights> weights = new LinkedHashMap<>();
        for (String module : modules()) {
            weights.put(module, new LoraModuleWeights(fixtures.get("lora." + module + ".A", manager),
                    fixtures.get("lora." + module + ".B", manager), alpha()));
        }
        return weights;
    }

    Path file(LoraFormat format) {
        return fixtures.dir().resolve(FILES.get(format));
    }

    /** The key list lora_key_names.json gives for what our save in {@code format} must write. */
    Set<String> referenceKeys(LoraFormat format) {
        String list;
        switch (format) {
            case PEFT:
                list = "peft_with_" + component.prefix() + "_prefix";
                break;
            case DIFFUSERS:
                list = "diffusers_0_30_save_lora_weights";
                break;
            default:
                list = "kohya";
        }
        return names(list);
    }

    /** The keys peft's get_peft_model_state_dict returns: no component prefix. */
    Set<String> unprefixedPeftKeys() {
        return names("peft_get_peft_model_state_dict");
    }

    String kohyaAlphaDtype() {
        return keyNames.path("kohya_alpha_dtype").asText();
    }

    private Set<String> names(String list) {
        Set<String> keys = new TreeSet<>();
        keyNames.path(list).forEach(n -> keys.add(n.asText()));
        assertThat(keys).as("lora_key_names.json " + list).isNotEmpty();
        return keys;
    }

    /** Loads every reference file and checks A, B and alpha against the fixture values. */
    void assertReferenceFilesLoad(Collection<String> modelModules, NDManager manager) throws IOException {
        Map<String, LoraModuleWeights> expected = weights(manager);
        for (LoraFormat format : LoraFormat.values()) {
            Map<String, LoraModuleWeights> loaded = LoraFiles.load(file(format), Map.of(component, modelModules), manager)
                    .get(component);
            assertThat(loaded).as(format + " modules").isNotNull();
            assertThat(loaded.keySet()).as(format + " modules").containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, LoraModuleWeights> e : expected.entrySet()) {
                LoraModuleWeights got = loaded.get(e.getKey());
                Tensors.assertClose(got.down(), e.getValue().down(), 0, format + " down " + e.getKey());
                Tensors.assertClose(got.up(), e.getValue().up(), 0, format + " up " + e.getKey());
                assertThat(got.alpha() / got.rank()).as(format + " scaling " + e.getKey())
                        .isEqualTo(e.getValue().scaling());
            }
        }
    }

    /** Saves the fixture weights in each naming and compares keys and values with the reference files. */
    void assertSavesMatchReference(Path dir, NDManager manager) throws IOException {
        Map<LoraComponent, Map<String, LoraModuleWeights>> weights = Map.of(component, weights(manager));
        for (LoraFormat format : LoraFormat.values()) {
            Path saved = dir.resolve(format + ".safetensors");
            LoraFiles.save(saved, format, weights);
            try (SafeTensorsFile ours = SafeTensorsFile.open(saved); SafeTensorsFile theirs = SafeTensorsFile.open(file(format))) {
                assertThat(new TreeSet<>(ours.names())).as(format + " keys").isEqualTo(referenceKeys(format))
                        .isEqualTo(new TreeSet<>(theirs.names()));
                for (String key : theirs.names()) {
                    assertThat(ours.info(key).dtype()).as(format + " dtype of " + key).isEqualTo(theirs.info(key).dtype());
                    Tensors.assertClose(ours.load(key, manager), theirs.load(key, manager), 0, format + " " + key);
                }
            }
        }
    }

    /** A copy of the reference peft file with the keys peft's own state dict has (no component prefix). */
    Path unprefixedPeftFile(Path dir, NDManager manager) throws IOException {
        Path out = dir.resolve("unprefixed.safetensors");
        SafeTensorsWriter writer = new SafeTensorsWriter();
        String prefix = component.prefix() + ".";
        try (SafeTensorsFile peft = SafeTensorsFile.open(file(LoraFormat.PEFT))) {
            for (String key : peft.names()) {
                writer.add(key.substring(prefix.length()), peft.load(key, manager));
            }
        }
        writer.write(out);
        try (SafeTensorsFile written = SafeTensorsFile.open(out)) {
            assertThat(new TreeSet<>(written.names())).isEqualTo(unprefixedPeftKeys());
        }
        return out;
    }

    NDArray get(String name, NDManager manager) {
        return fixtures.get(name, manager);
    }
}
