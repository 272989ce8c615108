package io.baton.server.mlflow;

import io.baton.server.core.BatonException;
import io.baton.server.core.CursorText;
import java.util.List;

/** MLflow page tokens over a sorted list of search results: the offset of the next page in a {@link CursorText}. */
final class PageTokens {
    private PageTokens() {}

    /** One page of {@code sorted}, with the token of the next page (null on the last one). */
    record Slice<T>(List<T> items, String nextPageToken) {}

    static <T> Slice<T> slice(List<T> sorted, String pageToken, int maxResults) {
        int from = Math.min(offset(pageToken), sorted.size());
        int to = (int) Math.min((long) from + maxResults, sorted.size());
        String next = to < sorted.size() ? CursorText.encode(Integer.toString(to)) : null;
        return new Slice<>(sorted.subList(from, to), next);
    }

    private static int offset(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(CursorText.decode("page_token", pageToken));
            if (offset >= 0) {
                return offset;
            }
        } catch (IllegalArgumentException | BatonException e) {
            // not one of ours: answered below
        }
        throw BatonException.badRequest("invalid page_token: pass next_page_token from the previous answer as it is");
    }
}
