package io.baton.server.registry;

import io.baton.server.core.BatonException;
import io.baton.server.core.CursorText;

/** Cursors of the registry's lists: the sort key of the last item of a page ({@link CursorText}). */
final class Cursors {
    private Cursors() {}

    static String encode(String key) {
        return CursorText.encode(key);
    }

    /** The key in a cursor, null for the first page. */
    static String decode(String cursor) {
        return CursorText.decode("cursor", cursor);
    }

    static int decodeNumber(String cursor) {
        String key = decode(cursor);
        if (key == null) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw BatonException.badRequest("'cursor' is not a cursor this server gave out; pass nextCursor as it is");
        }
    }
}
