package dev.tuneforge.api.web;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of models, newest first. */
@Schema(name = "ModelPage")
public record ModelPage(
        List<ModelView> items,
        @Schema(description = "Pass as ?cursor= for the next page; null on the last page") String next) {
}
