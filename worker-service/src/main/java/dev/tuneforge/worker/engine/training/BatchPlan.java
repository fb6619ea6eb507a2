package dev.tuneforge.worker.engine.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The data order: each epoch visits the dataset in a shuffled order (torch's DataLoader with
 * {@code shuffle=True}, last batch smaller), the shuffle seeded from the run's seed and the epoch
 * alone. Which rows micro-step {@code u} trains on is therefore a pure function of (seed, u), which
 * is what lets a resumed run see exactly the batches an uninterrupted run would.
 */
final class BatchPlan {

    private static final long ORDER = 0x4F52444552L;

    private final int size;
    private final int batchSize;
    private final long seed;

    BatchPlan(int size, int batchSize, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("a batch plan needs at least one example");
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    int batchesPerEpoch() {
        return (size + batchSize - 1) / batchSize;
    }

    int epochOf(long microStep) {
        return (int) (microStep / batchesPerEpoch());
    }

    int positionOf(long microStep) {
        return (int) (microStep % batchesPerEpoch());
    }

    /** The dataset indices of micro-step {@code microStep}'s batch. */
    int[] rows(long microStep) {
        int[] order = order(epochOf(microStep));
        int first = positionOf(microStep) * batchSize;
        return Arrays.copyOfRange(order, first, Math.min(size, first + batchSize));
    }

    /** The shuffled order of {@code epoch}. */
    int[] order(int epoch) {
        List<Integer> indices = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, new Random(Seeds.derive(seed, ORDER, epoch)));
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }
}
