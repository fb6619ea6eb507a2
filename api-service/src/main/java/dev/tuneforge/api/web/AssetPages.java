package dev.tuneforge.api.web;

import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.AssetEntity;
import dev.tuneforge.api.persistence.AssetPosition;
import java.util.List;
import java.util.function.Function;

/** Cursor pagination of dataset and model lists, the same way as jobs: newest first, keyset on (created_at, id). */
final class AssetPages {
    private AssetPages() {
    }

    /** One page of views and the cursor of the next page (null on the last). */
    record Slice<V>(List<V> items, String next) {
    }

    /** The page size asked for: {@code limit} within the job lists' bounds. */
    static int size(String limit, ApiConfig config) {
        return QueryParams.intParam("limit", limit, config.jobs().defaultPageSize(), 1, config.jobs().maxPageSize());
    }

    /** Where the page starts: after the row the cursor names, or at the newest. */
    static AssetPosition after(String cursor) {
        return cursor == null || cursor.isBlank() ? null : PageCursor.decodeAsset(cursor);
    }

    /** {@code rows} as read with one row more than {@code size}, so the extra row tells whether a next page exists. */
    static <E extends AssetEntity, V> Slice<V> slice(List<E> rows, int size, Function<E, V> view) {
        boolean more = rows.size() > size;
        List<E> page = more ? rows.subList(0, size) : rows;
        E last = more ? page.get(page.size() - 1) : null;
        return new Slice<>(page.stream().map(view).toList(),
                last == null ? null : PageCursor.encode(new AssetPosition(last.createdAt, last.id)));
    }
}
