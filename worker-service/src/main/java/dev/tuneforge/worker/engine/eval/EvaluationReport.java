package dev.tuneforge.worker.engine.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * The evaluation of one set of generated images (a checkpoint) against the training photos.
 *
 * @param faceDistance mean face distance over all (generated face, training face) pairs; lower is better
 * @param faceDistanceError why there is no face distance
 * @param clipScore mean {@code logits_per_image} (100 · cos for OpenAI CLIP) over the generated images with a face
 * @param clipScoreError why there is no CLIP score
 * @param clipScoreAllImages mean {@code logits_per_image} over every scored generated image, face or not: the
 *        selection metric for subjects without a face (styles, objects) and for the random demo model
 * @param clipScoreAllImagesError why there is no CLIP score over all images
 * @param faceless readable generated images in which no face was found
 * @param generated generated images given
 * @param withFace generated images with a face
 * @param unreadable generated images that could not be read or evaluated (see their {@code error})
 * @param faceModel the detector and embedder used
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationReport(Double faceDistance, String faceDistanceError, Double clipScore, String clipScoreError,
                               Double clipScoreAllImages, String clipScoreAllImagesError, int faceless, int generated, int withFace, int unreadable, TrainingSummary training,
                               String faceModel, List<ImageResult> images) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvaluationReport {
        images = List.copyOf(images);
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the evaluation report", e);
        }
    }
}
