package dev.tuneforge.api.assets;

import dev.tuneforge.common.jobs.Violation;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Dataset and model ids: short slugs, valid as an object-key segment; chosen by the client or generated. */
public final class AssetIds {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private AssetIds() {
    }

    /** {@code requested} when it is a valid slug, a new random one when absent. */
    public static String resolve(AssetKind kind, String requested) {
        if (requested == null || requested.isBlank()) {
            return kind.noun().substring(0, 2) + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        if (!SLUG.matcher(requested).matches()) {
            throw new InvalidAssetRequestException(List.of(new Violation("id", "'" + requested
                    + "' is not an id: 1-63 lower-case letters, digits and '-', starting with a letter or digit")));
        }
        return requested;
    }

    /** The display name: the given one, else the id. */
    public static String name(String requested, String id) {
        return requested == null || requested.isBlank() ? id : requested.strip();
    }
}
