package dev.tuneforge.api.web;

import dev.tuneforge.api.assets.UploadedFile;
import java.util.List;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Multipart parts, as Quarkus stored them on disk, handed to the layers below without JAX-RS types. */
final class Uploads {
    private Uploads() {
    }

    static List<UploadedFile> files(List<FileUpload> parts) {
        return parts == null ? List.of() : parts.stream().map(Uploads::file).toList();
    }

    static UploadedFile file(FileUpload part) {
        String name = part.fileName() == null || part.fileName().isBlank() ? part.name() : part.fileName();
        return new UploadedFile(name, part.uploadedFile(), part.size());
    }
}
