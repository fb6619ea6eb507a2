package dev.tuneforge.common.workflows;

/**
 * Limits a checkpoint must meet to be selectable at all; null = no limit. {@code maxFaceless}: at
 * most this many rendered images without a detected face (the evaluate metric {@code faceless}).
 */
public record SelectionConstraints(Integer maxFaceless) {
    public static SelectionConstraints none() {
        return new SelectionConstraints(null);
    }
}
