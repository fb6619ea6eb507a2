package dev.tuneforge.worker.engine.eval;

import java.util.List;

/**
 * The training photos as the face metrics saw them.
 *
 * @param images how many were given
 * @param withFace how many had a face (their most confident face is used)
 * @param faceless names of the readable photos without a detected face
 * @param errors photos that could not be read, as "name: reason"
 */
public record TrainingSummary(int images, int withFace, List<String> faceless, List<String> errors) {

    public TrainingSummary {
        faceless = List.copyOf(faceless);
        errors = List.copyOf(errors);
    }
}
