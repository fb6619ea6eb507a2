package dev.tuneforge.worker.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes LoRA weights in the peft, diffusers and kohya namings (see {@link LoraFormat}).
 *
 * <p>Only kohya files carry alpha. A peft or diffusers file without it means alpha = rank (scale 1),
 * as diffusers loads it, so saving in those namings folds alpha/rank into the up matrices: the file
 * then reproduces the adapter's output in every loader. Kohya files keep the matrices as trained and
 * alpha as a 0-dim tensor (int64 when whole, float32 otherwise); loading accepts either type.
 */
public final class LoraFiles {

    private static final Map<String, String> METADATA = Map.of("format", "pt");

    private enum Role { DOWN, UP, ALPHA }

    private record Slot(LoraComponent component, String module, Role role) {
    }

    private LoraFiles() {
    }

    /** Writes {@code weights} (per component, per module) to {@code file} in {@code format}. */
    public static void save(Path file, LoraFormat format, Map<LoraComponent, Map<String, LoraModuleWeights>> weights)
            throws IOException {
        SafeTensorsWriter writer = new SafeTensorsWriter();
        METADATA.forEach(writer::metadata);
        List<NDManager> scratch = new ArrayList<>();
        try {
            weights.forEach((component, modules) -> modules.forEach((module, w) -> {
                writer.add(format.downKey(component, module), w.down());
                if (format.storesAlpha()) {
                    writer.add(format.upKey(component, module), w.up());
                    writer.add(format.alphaKey(component, module), alphaTensor(w, scratch));
                } else {
                    writer.add(format.upKey(component, module), folded(w, scratch));
                }
            }));
            writer.write(file);
        } finally {
            scratch.forEach(NDManager::close);
        }
    }

    /**
     * Reads every LoRA module of {@code file}, in any of the three namings (also peft/diffusers keys
     * without the component prefix). {@code modules} lists, per component, the layer names the
     * model has, in model order: kohya's flattened names are resolved against them, and a key
     * that names no such layer fails, listing the offending keys.
     */
    public static Map<LoraComponent, Map<String, LoraModuleWeights>> load(
            Path file, Map<LoraComponent, ? extends Collection<String>> modules, NDManager manager) throws IOException {
        Map<String, Slot> slots = slots(modules);
        Map<Slot, NDArray> found = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
            for (String key : in.names()) {
                Slot slot = slots.get(key);
                if (slot == null) {
                    unknown.add(key);
                } else if (found.put(slot, in.load(key, manager)) != null) {
                    throw new IllegalArgumentException("LoRA file " + file + " holds " + slot.role() + " of '"
                            + slot.module() + "' twice (in two namings)");
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("LoRA file " + file + ": " + unknown.size() + " keys name no linear layer"
                    + " of the model in the peft, diffusers or kohya naming, e.g. " + unknown.subList(0,
                    Math.min(8, unknown.size())));
        }
        return assemble(file, modules, found);
    }

    private static Map<LoraComponent, Map<String, LoraModuleWeights>> assemble(
            Path file, Map<LoraComponent, ? extends Collection<String>> modules, Map<Slot, NDArray> found) {
        Map<LoraComponent, Map<String, LoraModuleWeights>> result = new EnumMap<>(LoraComponent.class);
        modules.forEach((component, names) -> {
            Map<String, LoraModuleWeights> byModule = new LinkedHashMap<>();
            for (String module : names) {
                NDArray down = found.get(new Slot(component, module, Role.DOWN));
                NDArray up = found.get(new Slot(component, module, Role.UP));
                NDArray alpha = found.get(new Slot(component, module, Role.ALPHA));
                if (down == null && up == null) {
                    if (alpha != null) {
                        throw new IllegalArgumentException("LoRA file " + file + " has an alpha but no matrices for '"
                                + module + "'");
                    }
                    continue;
                }
                if (down == null || up == null) {
                    throw new IllegalArgumentException("LoRA file " + file + " has only the " + (down == null ? "up" : "down")
                            + " matrix of " + component.prefix() + " module '" + module + "'");
                }
                double value = alpha == null ? down.getShape().get(0) : alpha.toType(DataType.FLOAT64, false).getDouble();
                byModule.put(module, new LoraModuleWeights(down, up, value));
            }
            if (!byModule.isEmpty()) {
                result.put(component, byModule);
            }
        });
        if (result.isEmpty()) {
            throw new IllegalArgumentException("LoRA file " + file + " holds no LoRA weights");
        }
        return result;
    }

    /** Every key any naming gives each module's down, up and alpha. */
    private static Map<String, Slot> slots(Map<LoraComponent, ? extends Collection<String>> modules) {
        Map<String, Slot> slots = new HashMap<>();
        modules.forEach((component, names) -> {
            for (String module : names) {
                Slot down = new Slot(component, module, Role.DOWN);
                Slot up = new Slot(component, module, Role.UP);
                for (LoraFormat format : LoraFormat.values()) {
                    withAndWithoutPrefix(slots, component, format.downKey(component, module), down);
                    withAndWithoutPrefix(slots, component, format.upKey(component, module), up);
                }
                // diffusers names the text encoder's pair like the UNet's in some versions, and vice versa.
                String other = component == LoraComponent.UNET ? "lora_linear_layer" : "lora";
                withAndWithoutPrefix(slots, component, component.prefix() + "." + module + "." + other + ".down.weight", down);
                withAndWithoutPrefix(slots, component, component.prefix() + "." + module + "." + other + ".up.weight", up);
                Slot alpha = new Slot(component, module, Role.ALPHA);
                slots.put(LoraFormat.KOHYA.alphaKey(component, module), alpha);
                withAndWithoutPrefix(slots, component, component.prefix() + "." + module + ".alpha", alpha);
            }
        });
        return slots;
    }

    private static void withAndWithoutPrefix(Map<String, Slot> slots, LoraComponent component, String key, Slot slot) {
        slots.put(key, slot);
        String prefix = component.prefix() + ".";
        if (key.startsWith(prefix)) {
            slots.putIfAbsent(key.substring(prefix.length()), slot);
        }
    }

    private static NDArray alphaTensor(LoraModuleWeights w, List<NDManager> scratch) {
        NDManager manager = newScratch(w.down(), scratch);
        double alpha = w.alpha();
        return alpha == Math.rint(alpha) ? manager.create((long) alpha) : manager.create((float) alpha);
    }

    /** B scaled by alpha/rank, so a loader that assumes alpha = rank reproduces the adapter. */
    private static NDArray folded(LoraModuleWeights w, List<NDManager> scratch) {
        if (w.alpha() == w.rank()) {
            return w.up();
        }
        NDManager manager = newScratch(w.up(), scratch);
        NDArray up = w.up().duplicate();
        up.attach(manager);
        return up.mul(w.scaling());
    }

    private static NDManager newScratch(NDArray like, List<NDManager> scratch) {
        NDManager manager = like.getManager().newSubManager();
        scratch.add(manager);
        return manager;
    }
}
