package io.baton.cli;

/** A failure the CLI reports as {@code baton: <message>} on stderr and ends with {@code exitCode} (contract 3). */
public class CliException extends RuntimeException {
    public static final int FAILED = 1;
    public static final int CANCELLED = 2;
    public static final int BAD_INPUT = 3;
    public static final int OTHER = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException badInput(String message) {
        return new CliException(BAD_INPUT, message);
    }
}
