package dev.tuneforge.worker.engine.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** face-api's greedy non-maximum suppression: keep the best box, drop those overlapping it by more than the IoU threshold, repeat. */
final class NonMaxSuppression {

    private NonMaxSuppression() {
    }

    /** The kept detections, most confident first. */
    static List<FaceDetection> apply(List<FaceDetection> candidates, double iouThreshold) {
        List<FaceDetection> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        List<FaceDetection> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            FaceDetection best = remaining.remove(0);
            kept.add(best);
            remaining.removeIf(d -> best.box().iou(d.box()) > iouThreshold);
        }
        return kept;
    }
}
