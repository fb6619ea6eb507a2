package dev.tuneforge.worker.engine.training.data;

import java.nio.file.Path;

/** One bad file of a training dataset and what is wrong with it. */
public record DatasetIssue(Path file, String problem) {

    @Override
    public String toString() {
        return file.getFileName() + ": " + problem;
    }
}
