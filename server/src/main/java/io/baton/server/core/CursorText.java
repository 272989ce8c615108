package io.baton.server.core;

import io.baton.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one encoding of every list cursor and page token: base64url of the position and a check of it, so that a
 * cursor that this server did not give out (made up, cut short, edited) is refused rather than read as some other
 * position. The check is not a secret: a cursor only says where a page starts, never what a caller may read.
 */
public final class CursorText {
    private static final int CHECK_BYTES = 4;

    private CursorText() {}

    public static String encode(String position) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((position + "\n" + check(position)).getBytes(StandardCharsets.UTF_8));
    }

    /** The position in {@code cursor}; null when it was none given (the first page). */
    public static String decode(String name, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end >= 0 && text.substring(end + 1).equals(check(text.substring(0, end)))) {
                return text.substring(0, end);
            }
        } catch (IllegalArgumentException notBase64) {
            // answered below
        }
        throw BatonException.badRequest(
                "'" + name + "' is not one this server gave out; pass the cursor of the" + " previous page as it is");
    }

    private static String check(String position) {
        return Hashing.sha256("baton cursor\n" + position).substring(0, 2 * CHECK_BYTES);
    }
}
