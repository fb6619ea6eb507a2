package dev.tuneforge.api.assets;

import java.nio.file.Path;

/** One file of an upload, already on local disk: the name the client gave it (a zip entry's path) and its size. */
public record UploadedFile(String name, Path path, long size) {
}
