package io.baton.server.core;

import java.util.List;

/**
 * A failure a client can act on: its HTTP status, a stable code and a sentence that says what is wrong and how to
 * fix it. Services throw it; one exception mapper turns it into the API's error shape.
 */
public class BatonException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<?> details;

    public BatonException(int status, String code, String message, List<?> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public BatonException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static BatonException badRequest(String message) {
        return new BatonException(400, ErrorCodes.BAD_REQUEST, message);
    }

    public static BatonException notFound(String message) {
        return new BatonException(404, ErrorCodes.NOT_FOUND, message);
    }

    public static BatonException conflict(String message) {
        return new BatonException(409, ErrorCodes.CONFLICT, message);
    }

    public static BatonException tooLarge(String message) {
        return new BatonException(413, ErrorCodes.TOO_LARGE, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<?> details() {
        return details;
    }
}
