package dev.tuneforge.api.models;

import dev.tuneforge.api.assets.UploadedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The files of an unpacked model zip, under the folder that holds {@code model_index.json}. */
final class LocalModelFolder implements ModelFolder {
    private final Map<String, UploadedFile> files = new LinkedHashMap<>();

    /** {@code root}: the entry-path prefix of the model folder inside the zip ("" or "sd15/"). */
    LocalModelFolder(Iterable<UploadedFile> entries, String root) {
        for (UploadedFile entry : entries) {
            if (entry.name().startsWith(root)) {
                files.put(entry.name().substring(root.length()), entry);
            }
        }
    }

    UploadedFile file(String path) {
        return files.get(path);
    }

    @Override
    public Map<String, Long> files() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        files.forEach((path, file) -> sizes.put(path, file.size()));
        return sizes;
    }

    @Override
    public Optional<byte[]> read(String path, long offset, long length) {
        UploadedFile file = files.get(path);
        if (file == null) {
            return Optional.empty();
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file.path())) {
            long available = Math.max(0, channel.size() - offset);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, available));
            channel.position(offset);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading until the buffer is full or the file ends
            }
            return Optional.of(buffer.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " of the uploaded model", e);
        }
    }

    /** The entry-path prefix of the shallowest {@code model_index.json}, or null when there is none. */
    static String rootOf(Iterable<UploadedFile> entries) {
        String best = null;
        for (UploadedFile entry : entries) {
            String name = entry.name();
            if (name.equals(DiffusersLayout.MODEL_INDEX) || name.endsWith("/" + DiffusersLayout.MODEL_INDEX)) {
                String root = name.substring(0, name.length() - DiffusersLayout.MODEL_INDEX.length());
                if (best == null || root.length() < best.length()) {
                    best = root;
                }
            }
        }
        return best;
    }

}
