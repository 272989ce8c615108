package io.baton.server.registry;

import io.baton.server.core.BatonException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque list cursors: the sort key of the last item of a page, base64url-encoded. */
final class Cursors {
  private Cursors() {
  }

  static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The key in a cursor, null for the first page. */
  static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw BatonException.badRequest("'cursor' is not a cursor this server gave out; pass nextCursor as it is");
    }
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
