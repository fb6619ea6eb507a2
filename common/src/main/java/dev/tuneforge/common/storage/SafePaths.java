package dev.tuneforge.common.storage;

import java.nio.file.Path;

/** Guards every download: a path derived from an object key must stay inside its target directory. */
public final class SafePaths {
    private SafePaths() {
    }

    /** {@code directory/relative}, or an exception when {@code relative} would escape {@code directory}. */
    public static Path resolveInside(Path directory, String relative) {
        if (relative == null || relative.isEmpty()) {
            throw new IllegalArgumentException("empty relative path under " + directory);
        }
        Path base = directory.toAbsolutePath().normalize();
        Path candidate = base.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !candidate.startsWith(base) || candidate.equals(base)) {
            throw new IllegalArgumentException("path '" + relative + "' escapes " + base);
        }
        return candidate;
    }
}
