package dev.tuneforge.worker.engine.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What a run trains (LoRA adapters, or a whole UNet) and how its weights are saved. */
interface Trainables extends AutoCloseable {

    /** The optimizer's parameter groups, with their base learning rates. */
    List<AdamW.Group> groups();

    /** Training mode (dropout on) or inference mode (validation renders). */
    void setTraining(boolean on);

    /** The weight files of a checkpoint, by file name. */
    Map<String, CheckpointStore.FileWriter> checkpointFiles();

    /** Writes the finished weights into {@code dir} in the formats users load. */
    void writeFinal(Path dir) throws IOException;

    @Override
    void close();
}
