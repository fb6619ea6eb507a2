package dev.tuneforge.api.models;

import java.util.Map;
import java.util.Optional;

/** A model folder to check before registering it: an unpacked zip, or an S3 prefix. */
interface ModelFolder {
    /** Every file, by path relative to the folder ({@code unet/config.json}), with its size. */
    Map<String, Long> files();

    /** Up to {@code length} bytes of a file from {@code offset}; empty when the file is missing. */
    Optional<byte[]> read(String path, long offset, long length);
}
