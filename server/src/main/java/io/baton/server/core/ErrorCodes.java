package io.baton.server.core;

/** The stable {@code error} codes of the API's error answers ({@code docs/api.md}), one constant each. */
public final class ErrorCodes {
    public static final String BAD_REQUEST = "bad_request";
    public static final String BAD_JSON = "bad_json";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String CONFLICT = "conflict";
    public static final String TOO_LARGE = "too_large";
    public static final String TOO_MANY_REQUESTS = "too_many_requests";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String INVALID_SPEC = "invalid_spec";
    public static final String INVALID_PARAMETERS = "invalid_parameters";
    public static final String RUN_TOO_LARGE = "run_too_large";
    public static final String UNPLACEABLE = "unplaceable";
    public static final String UNKNOWN_SECRET = "unknown_secret";
    public static final String UNSAFE_BUNDLE = "unsafe_bundle";
    public static final String UNSAFE_ARCHIVE = "unsafe_archive";
    public static final String TOO_MANY_FOLLOWS = "too_many_follows";
    public static final String UNAVAILABLE = "unavailable";
    /** A replica of an endpoint did not answer in time (504). */
    public static final String REPLICA_TIMEOUT = "replica_timeout";

    public static final String INTERNAL = "internal";

    private ErrorCodes() {}
}
