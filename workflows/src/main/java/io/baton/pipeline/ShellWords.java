package io.baton.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one command string into arguments the way a POSIX shell tokenises words, and does nothing else: no
 * variable, command, glob or tilde expansion, no redirections, no operators. {@code ;}, {@code |}, {@code $(...)}
 * are ordinary characters. The result is handed to a process directly, never to a shell.
 */
public final class ShellWords {
    private ShellWords() {}

    /**
     * Rules: unquoted whitespace separates words; {@code '...'} is literal; inside {@code "..."} a backslash escapes
     * only {@code " \ $ `} (and a newline, which it removes), otherwise it stays; outside quotes a backslash makes the
     * next character literal (a backslash-newline is removed). Adjacent quoted and unquoted parts form one word, and
     * {@code ''} alone is an empty argument.
     *
     * @throws IllegalArgumentException for an unterminated quote or a trailing backslash
     */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false; // distinguishes "no word yet" from an empty quoted word such as ''
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote at character " + (i + 1));
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("the command ends with a lone backslash");
                }
                char next = text.charAt(i + 1);
                if (next != '\n') {
                    word.append(next);
                    inWord = true;
                }
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the content of the double-quoted part starting at {@code open}; returns the index after it. */
    private static int doubleQuoted(String text, int open, StringBuilder word) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == '"' || next == '\\' || next == '$' || next == '`') {
                    word.append(next);
                    i += 2;
                    continue;
                }
                if (next == '\n') {
                    i += 2;
                    continue;
                }
            }
            word.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated double quote at character " + (open + 1));
    }
}
