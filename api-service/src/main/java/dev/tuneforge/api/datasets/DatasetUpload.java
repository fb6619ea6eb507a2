package dev.tuneforge.api.datasets;

import dev.tuneforge.api.assets.RejectedFile;
import dev.tuneforge.api.persistence.DatasetEntity;
import java.util.List;

/** A stored dataset, the files it took, and the files skipped ({@code skipInvalid=true}) with their reasons. */
public record DatasetUpload(DatasetEntity dataset, List<String> accepted, List<RejectedFile> skipped) {
}
