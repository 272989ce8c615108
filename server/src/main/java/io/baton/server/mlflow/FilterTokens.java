package io.baton.server.mlflow;

import java.util.ArrayList;
import java.util.List;

/** Reads an MLflow filter left to right: keys, operators, quoted strings and lists of them. */
final class FilterTokens {
    private final String text;
    private int at;

    FilterTokens(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    int position() {
        return at;
    }

    boolean atEnd() {
        skipSpace();
        return at == text.length();
    }

    /** A key: a word such as {@code name} or {@code tag.a.b}, where a part may be back-quoted: {@code tag.`a b`}. */
    String key() {
        skipSpace();
        StringBuilder key = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '`') {
                key.append(quoted('`'));
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                key.append(c);
                at++;
            } else {
                break;
            }
        }
        if (key.isEmpty()) {
            throw expected("a key such as name or tag.<key>");
        }
        return key.toString();
    }

    /** {@code =}, {@code !=} or a word operator (LIKE, ILIKE, IN, ...). */
    String operator() {
        skipSpace();
        if (text.startsWith("!=", at)) {
            at += 2;
            return "!=";
        }
        if (text.startsWith("=", at)) {
            at++;
            return "=";
        }
        int start = at;
        while (at < text.length() && Character.isLetter(text.charAt(at))) {
            at++;
        }
        if (start == at) {
            throw expected("an operator (=, !=, LIKE, ILIKE, IN)");
        }
        return text.substring(start, at);
    }

    /** As {@link #operator}, with the comparisons of numbers too: {@code <}, {@code <=}, {@code >}, {@code >=}. */
    String comparison() {
        skipSpace();
        for (String op : List.of("<=", ">=", "<", ">")) {
            if (text.startsWith(op, at)) {
                at += op.length();
                return op;
            }
        }
        return operator();
    }

    /** A number, bare or quoted. */
    double number() {
        skipSpace();
        String value;
        if (at < text.length() && (text.charAt(at) == '\'' || text.charAt(at) == '"')) {
            value = quoted(text.charAt(at));
        } else {
            int start = at;
            while (at < text.length() && "+-.0123456789eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            value = text.substring(start, at);
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw expected("a number");
        }
    }

    /** A string in single or double quotes. */
    String string() {
        skipSpace();
        if (at < text.length() && (text.charAt(at) == '\'' || text.charAt(at) == '"')) {
            return quoted(text.charAt(at));
        }
        throw expected("a quoted string such as 'iris'");
    }

    /** {@code ('a', 'b')}. */
    List<String> stringList() {
        expect('(');
        List<String> values = new ArrayList<>();
        do {
            values.add(string());
            skipSpace();
        } while (take(','));
        expect(')');
        return List.copyOf(values);
    }

    /** Takes {@code word} (any case) when it comes next, as a whole word. */
    boolean takeWord(String word) {
        skipSpace();
        int end = at + word.length();
        if (text.regionMatches(true, at, word, 0, word.length())
                && (end == text.length() || Character.isWhitespace(text.charAt(end)))) {
            at = end;
            return true;
        }
        return false;
    }

    private String quoted(char quote) {
        int end = text.indexOf(quote, at + 1);
        if (end < 0) {
            throw SearchFilter.invalid(text, "the quote " + quote + " at position " + at + " is never closed");
        }
        String value = text.substring(at + 1, end);
        at = end + 1;
        return value;
    }

    private void expect(char c) {
        skipSpace();
        if (!take(c)) {
            throw expected("'" + c + "'");
        }
    }

    private boolean take(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private RuntimeException expected(String what) {
        return SearchFilter.invalid(text, "expected " + what + " at position " + at);
    }
}
