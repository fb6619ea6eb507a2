package dev.tuneforge.worker.engine.eval;

import java.util.List;

/**
 * The face embeddings of a training set (one per photo with a face: its most confident face) and
 * how the photos fared.
 */
record TrainingFaces(List<float[]> embeddings, TrainingSummary summary) {

    TrainingFaces {
        embeddings = List.copyOf(embeddings);
    }
}
