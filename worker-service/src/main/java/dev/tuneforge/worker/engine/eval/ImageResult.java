package dev.tuneforge.worker.engine.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuneforge.worker.engine.face.FaceBox;

/**
 * What the evaluation found in one generated image.
 *
 * @param faces how many faces the detector found (the most confident one is scored)
 * @param confidence the scored face's detector score
 * @param box the scored face, in pixels
 * @param faceDistance mean face distance from the scored face to every training face
 * @param clipScore {@code logits_per_image} of the image against its own prompt
 * @param error why the image could not be evaluated; the other fields are then absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageResult(String name, String prompt, Boolean faceFound, Integer faces, Double confidence,
                          FaceBox box, Double faceDistance, Double clipScore, String error) {

    static ImageResult failed(String name, String prompt, String error) {
        return new ImageResult(name, prompt, null, null, null, null, null, null, error);
    }
}
