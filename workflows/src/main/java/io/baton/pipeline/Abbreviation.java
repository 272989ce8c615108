package io.baton.pipeline;

/** Cuts a name or value quoted in an error message to a readable length. */
public final class Abbreviation {
    /** How much of a value a pipeline spec's problem quotes, beside the value's path in the spec. */
    public static final int SPEC = 60;
    /** How much of a name or value an API error quotes. */
    public static final int API = 80;

    private Abbreviation() {}

    /** {@code text} when at most {@code max} characters, else its start and "...", {@code max} characters in all. */
    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
