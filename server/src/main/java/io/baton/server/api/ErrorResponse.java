package io.baton.server.api;

import java.util.List;

/** The API's one error shape. */
public record ErrorResponse(String error, String message, List<?> details) {}
