package io.baton.server.serving;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** A replica's answer as the proxy hands it on: status, headers (hop-by-hop ones removed), body, and who served it. */
public record ServeAnswer(
        int status, Map<String, List<String>> headers, InputStream body, int version, String replicaId) {}
