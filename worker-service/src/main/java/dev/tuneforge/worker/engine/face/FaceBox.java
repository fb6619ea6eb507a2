package dev.tuneforge.worker.engine.face;

/** An axis-aligned box in pixels: top-left corner and size. */
public record FaceBox(double x, double y, double width, double height) {

    public double right() {
        return x + width;
    }

    public double bottom() {
        return y + height;
    }

    public double area() {
        return width * height;
    }

    /** Intersection over union, face-api's {@code iou}. */
    public double iou(FaceBox other) {
        double w = Math.max(0, Math.min(right(), other.right()) - Math.max(x, other.x));
        double h = Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
        double intersection = w * h;
        return intersection / (area() + other.area() - intersection);
    }

    /** This box scaled by (sx, sy), e.g. from relative to pixel coordinates. */
    public FaceBox scale(double sx, double sy) {
        return new FaceBox(x * sx, y * sy, width * sx, height * sy);
    }
}
