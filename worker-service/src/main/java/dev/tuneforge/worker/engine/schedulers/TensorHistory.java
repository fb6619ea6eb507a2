package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few arrays a multistep scheduler must remember between steps. The caller runs every step
 * in its own short-lived manager, so entries are copied into a manager owned here, and handed back
 * as copies owned by the caller's manager.
 */
final class TensorHistory implements AutoCloseable {

    private final int capacity;
    private final List<NDArray> entries = new ArrayList<>();
    private NDManager manager;

    TensorHistory(int capacity) {
        this.capacity = capacity;
    }

    /** Remembers a copy of {@code value}, forgetting the oldest entry beyond capacity. */
    void push(NDArray value) {
        if (manager == null) {
            manager = NDManager.newBaseManager(value.getDevice(), value.getManager().getEngine().getEngineName());
        }
        NDArray kept = value.duplicate();
        kept.attach(manager);
        entries.add(kept);
        if (entries.size() > capacity) {
            entries.remove(0).close();
        }
    }

    int size() {
        return entries.size();
    }

    /** A copy, owned by {@code owner}, of the entry {@code back} places before the newest (0 = newest). */
    NDArray recent(int back, NDManager owner) {
        NDArray copy = entries.get(entries.size() - 1 - back).duplicate();
        copy.attach(owner);
        return copy;
    }

    void clear() {
        entries.forEach(NDArray::close);
        entries.clear();
    }

    @Override
    public void close() {
        clear();
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }
}
