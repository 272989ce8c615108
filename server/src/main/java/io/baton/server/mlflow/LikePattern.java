package io.baton.server.mlflow;

/** SQL {@code LIKE} matching in time at worst the text's length times the pattern's: no regular expression. */
final class LikePattern {
    /** Longer patterns are refused: nothing the registry stores needs one. */
    static final int MAX_LENGTH = 500;

    private LikePattern() {}

    static boolean matches(String pattern, String text, boolean ignoreCase) {
        int[] p = pattern.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        int pi = 0;
        int ti = 0;
        int star = -1; // the pattern index of the last % seen
        int resume = 0; // where in the text that % matches up to now
        while (ti < t.length) {
            if (pi < p.length && p[pi] != '%' && (p[pi] == '_' || same(p[pi], t[ti], ignoreCase))) {
                pi++;
                ti++;
            } else if (pi < p.length && p[pi] == '%') {
                star = pi++;
                resume = ti;
            } else if (star >= 0) {
                pi = star + 1; // let the last % take one more character
                ti = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '%') {
            pi++;
        }
        return pi == p.length;
    }

    private static boolean same(int a, int b, boolean ignoreCase) {
        return a == b
                || ignoreCase
                        && (Character.toLowerCase(a) == Character.toLowerCase(b)
                                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }
}
