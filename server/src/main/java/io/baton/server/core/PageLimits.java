package io.baton.server.core;

/** How many items a page of any list holds: runs, models, datasets, their versions. */
public final class PageLimits {
    public static final int DEFAULT = 50;
    public static final int MAX = 500;

    private PageLimits() {}

    /** {@code limit} when given (1 to {@link #MAX}), else {@link #DEFAULT}. */
    public static int size(Integer limit) {
        int n = limit == null ? DEFAULT : limit;
        if (n < 1 || n > MAX) {
            throw BatonException.badRequest("'limit' must be 1 to " + MAX + ", not " + n);
        }
        return n;
    }
}
