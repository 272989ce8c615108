package io.baton.server.serving;

import java.util.List;
import java.util.Map;

/**
 * A request to an endpoint as the proxy forwards it: method, the path after the endpoint's name and the query, both
 * as the client sent them (still percent-encoded; the query null when there is none), headers and body.
 */
public record ServeRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {}
