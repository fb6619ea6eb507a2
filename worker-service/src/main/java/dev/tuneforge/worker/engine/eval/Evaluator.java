package dev.tuneforge.worker.engine.eval;

import dev.tuneforge.worker.engine.clip.ClipScorer;
import dev.tuneforge.worker.engine.face.Face;
import dev.tuneforge.worker.engine.face.FacePipeline;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint evaluation of the reference homework (DESIGN §6): for generated images with
 * their prompts and the training photos, the face distance (mean over all generated-face ×
 * training-face pairs of the distance between L2-normalised embeddings), the CLIP score (mean
 * {@code logits_per_image} of each image with a face against its own prompt) and the faceless
 * count; besides, the CLIP score over all images with a prompt, face or not, for subjects without a face. Each image is scored by its most confident face. Bad images become per-image errors;
 * a metric that cannot be computed says why, and the others are still reported.
 */
public final class Evaluator {

    private final FacePipeline faces;
    private final ClipScorer clip;
    private final TrainingFacesCache cache;

    private Evaluator(FacePipeline faces, ClipScorer clip, Path cacheDir) {
        this.faces = faces;
        this.clip = clip;
        this.cache = new TrainingFacesCache(cacheDir);
    }

    /**
     * @param clip the CLIP model for the CLIP score, or null to skip it
     * @param cacheDir where training-set embeddings persist between processes, or null for memory only
     */
    public static Evaluator of(FacePipeline faces, ClipScorer clip, Path cacheDir) {
        return new Evaluator(faces, clip, cacheDir);
    }

    /** The face model's description as the report and cache keys give it. */
    public String faceModel() {
        return faces.detector().name() + " + " + faces.embedder().name();
    }

    public EvaluationReport evaluate(List<GeneratedSample> generated, List<ImageInput> training) {
        if (generated.isEmpty()) {
            throw new IllegalArgumentException("the set of generated images is empty: nothing to evaluate");
        }
        TrainingFaces train = trainingFaces(training);
        List<Scored> scored = new ArrayList<>();
        for (GeneratedSample sample : generated) {
            scored.add(scoreFaces(sample, train));
        }
        String clipError = scoreClip(scored);
        return report(scored, train, clipError);
    }

    /** The training embeddings, from the cache when these photos were seen with this face model. */
    private TrainingFaces trainingFaces(List<ImageInput> training) {
        List<RgbImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ImageInput input : training) {
            try {
                images.add(input.read());
                names.add(input.name());
            } catch (IOException | RuntimeException e) {
                errors.add(input.name() + ": " + e.getMessage());
            }
        }
        String key = TrainingFacesCache.key(faceModel(), images, errors);
        TrainingFaces cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<float[]> embeddings = new ArrayList<>();
        List<String> faceless = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            try {
                List<Face> found = faces.faces(images.get(i));
                if (found.isEmpty()) {
                    faceless.add(names.get(i));
                } else {
                    embeddings.add(found.get(0).embedding());
                }
            } catch (RuntimeException e) {
                errors.add(names.get(i) + ": " + e.getMessage());
            }
        }
        TrainingFaces computed = new TrainingFaces(embeddings,
                new TrainingSummary(training.size(), embeddings.size(), faceless, errors));
        cache.put(key, computed);
        return computed;
    }

    private Scored scoreFaces(GeneratedSample sample, TrainingFaces train) {
        String name = sample.image().name();
        RgbImage image;
        try {
            image = sample.image().read();
        } catch (IOException | RuntimeException e) {
            return Scored.failed(name, sample.prompt(), e.getMessage());
        }
        try {
            List<Face> found = faces.faces(image);
            if (found.isEmpty()) {
                return new Scored(name, sample.prompt(), image, found, null, null);
            }
            Double distance = train.embeddings().isEmpty() ? null
                    : FaceDistance.meanOverPairs(List.of(found.get(0).embedding()), train.embeddings());
            return new Scored(name, sample.prompt(), image, found, distance, null);
        } catch (RuntimeException e) {
            return Scored.failed(name, sample.prompt(), "face analysis failed: " + e.getMessage());
        }
    }

    /** Scores every readable image that has a prompt; returns why the aggregate is missing, or null. */
    private String scoreClip(List<Scored> scored) {
        if (clip == null) {
            return "no CLIP model given";
        }
        List<Scored> prompted = scored.stream().filter(s -> s.image != null && s.prompt != null).toList();
        if (prompted.isEmpty()) {
            return "no generated image has a prompt";
        }
        float[] scores = clip.score(prompted.stream().map(s -> s.image).toList(),
                prompted.stream().map(s -> s.prompt).toList());
        for (int i = 0; i < scores.length; i++) {
            prompted.get(i).clipScore = (double) scores[i];
        }
        return null;
    }

    private EvaluationReport report(List<Scored> scored, TrainingFaces train, String clipError) {
        int unreadable = (int) scored.stream().filter(s -> s.error != null).count();
        List<Scored> withFace = scored.stream().filter(s -> s.faces != null && !s.faces.isEmpty()).toList();
        int faceless = scored.size() - unreadable - withFace.size();
        Double faceDistance = null;
        String faceError = null;
        if (train.embeddings().isEmpty()) {
            faceError = "no face found in any of the " + train.summary().images() + " training images";
        } else if (withFace.isEmpty()) {
            faceError = "no face found in any of the " + scored.size() + " generated images";
        } else {
            faceDistance = FaceDistance.meanOverPairs(withFace.stream().map(s -> s.faces.get(0).embedding()).toList(),
                    train.embeddings());
        }
        Double clipScore = null;
        String faceClipError = clipError;
        List<Double> clipScores = withFace.stream().map(s -> s.clipScore).filter(s -> s != null).toList();
        if (faceClipError == null && withFace.isEmpty()) {
            faceClipError = "no generated image has a face";
        } else if (faceClipError == null && clipScores.isEmpty()) {
            faceClipError = "no generated image with a face has a prompt";
        } else if (faceClipError == null) {
            clipScore = mean(clipScores);
        }
        // scoreClip scored every readable prompted image, so without its error there is at least one score.
        Double clipScoreAll = clipError != null ? null
                : mean(scored.stream().map(s -> s.clipScore).filter(s -> s != null).toList());
        return new EvaluationReport(faceDistance, faceError, clipScore, faceClipError, clipScoreAll, clipError,
                faceless, scored.size(), withFace.size(), unreadable, train.summary(), faceModel(),
                scored.stream().map(Scored::result).toList());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** One generated image on its way through the metrics. */
    private static final class Scored {
        final String name;
        final String prompt;
        final RgbImage image;
        final List<Face> faces;
        final Double faceDistance;
        final String error;
        Double clipScore;

        Scored(String name, String prompt, RgbImage image, List<Face> faces, Double faceDistance, String error) {
            this.name = name;
            this.prompt = prompt;
            this.image = image;
            this.faces = faces;
            this.faceDistance = faceDistance;
            this.error = error;
        }

        static Scored failed(String name, String prompt, String error) {
            return new Scored(name, prompt, null, null, null, error);
        }

        ImageResult result() {
            if (error != null) {
                return ImageResult.failed(name, prompt, error);
            }
            if (faces.isEmpty()) {
                return new ImageResult(name, prompt, false, 0, null, null, null, clipScore, null);
            }
            Face best = faces.get(0);
            return new ImageResult(name, prompt, true, faces.size(), best.detection().score(), best.detection().box(),
                    faceDistance, clipScore, null);
        }
    }
}
