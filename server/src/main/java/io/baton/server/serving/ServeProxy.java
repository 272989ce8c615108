package io.baton.server.serving;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.serving.EndpointRoutes.Routing;
import io.baton.server.serving.EndpointRoutes.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /serve/{project}/{name}/...}: picks a READY replica of the endpoint (the canary's for its share of
 * requests, round robin within a revision) and forwards the request to it. A replica that cannot be reached is
 * passed over for a few seconds and the request, never delivered, goes to another replica of the same revision.
 */
public final class ServeProxy {
    public static final String VERSION_HEADER = "X-Baton-Model-Version";
    public static final String REPLICA_HEADER = "X-Baton-Replica";
    private static final Logger log = LoggerFactory.getLogger(ServeProxy.class);
    private static final long BUFFERED_BYTES = 1 << 20;

    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the HTTP client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect");
    /** Never handed to the serving code, which is the endpoint owner's code: the caller's Baton token, cookies. */
    private static final Set<String> PRIVATE = Set.of("authorization", "cookie");

    private final Access access;
    private final EndpointRoutes routes;
    private final ServingMetrics metrics;
    private final HttpClient client;
    private final Duration timeout;
    private final long unhealthyNanos;
    private final Map<String, Long> unhealthyUntil = new ConcurrentHashMap<>();

    public ServeProxy(Access access, EndpointRoutes routes, ServingMetrics metrics, ServingSettings settings) {
        this.access = access;
        this.routes = routes;
        this.metrics = metrics;
        this.timeout = Duration.ofSeconds(settings.requestTimeoutSeconds);
        this.unhealthyNanos = settings.unhealthyMillis * 1_000_000L;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis))
                .followRedirects(HttpClient.Redirect.NEVER)
                // the client's own steps run on its selector thread, not handed to a pool between each
                .executor(Runnable::run)
                .build();
    }

    /** A replica that could not be reached (the request was not answered: it goes to another). */
    private static final class Unreachable extends Exception {
        Unreachable(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    public ServeAnswer forward(Caller caller, String project, String name, ServeRequest request) {
        access.require(caller, project, Permission.READ, () -> noEndpoint(project, name));
        long started = System.nanoTime();
        Routing routing = routes.find(project, name).orElseThrow(() -> noEndpoint(project, name));
        if ("STOPPED".equals(routing.status())) {
            throw failed(routing, routing.version(), started, 503, "endpoint '" + name + "' is stopped");
        }
        boolean toCanary =
                !routing.canary().isEmpty() && ThreadLocalRandom.current().nextInt(100) < routing.canaryPercent();
        List<Target> targets = toCanary ? routing.canary() : routing.stable();
        AtomicInteger next = toCanary ? routing.canaryNext() : routing.stableNext();
        if (targets.isEmpty()) {
            throw failed(routing, routing.version(), started, 503, noReplica(name, routing));
        }
        String pathAndQuery =
                "/" + uriSafe(request.path()) + (request.query() == null ? "" : "?" + uriSafe(request.query()));
        Target first = pick(targets, next, null);
        try {
            return send(routing, first, pathAndQuery, request, started);
        } catch (Unreachable unreachable) {
            passOver(first, unreachable);
            Target second = pick(targets, next, first);
            if (second == null) {
                throw failed(routing, first.version(), started, 503, unreachable(name, first, unreachable));
            }
            try {
                return send(routing, second, pathAndQuery, request, started);
            } catch (Unreachable again) {
                passOver(second, again);
                throw failed(routing, second.version(), started, 503, unreachable(name, second, again));
            }
        }
    }

    private ServeAnswer send(Routing routing, Target target, String pathAndQuery, ServeRequest request, long started)
            throws Unreachable {
        URI uri;
        try {
            uri = URI.create("http://" + target.address() + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw BatonException.badRequest("the path or query is not a valid URI part: " + e.getMessage());
        }
        if (!target.address().equals(uri.getRawAuthority())) { // the path only ever reaches the replica
            throw BatonException.badRequest("the path or query is not a valid URI part");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        copyHeaders(request.headers(), b);
        b.method(
                request.method(),
                request.body().length == 0 && !bodied(request.method())
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        HttpResponse<InputStream> response;
        try {
            response = client.send(b.build(), ServeProxy::body);
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable(e);
        } catch (HttpTimeoutException e) {
            throw failed(
                    routing,
                    target.version(),
                    started,
                    504,
                    "replica " + target.replicaId() + " of the endpoint did not answer within " + timeout.toSeconds()
                            + " s");
        } catch (IOException e) {
            throw new Unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(routing, target.version(), started, 503, "the server is stopping");
        }
        unhealthyUntil.remove(target.replicaId());
        metrics.record(
                routing.endpointId(), target.version(), System.nanoTime() - started, response.statusCode() >= 500);
        return new ServeAnswer(
                response.statusCode(),
                answerHeaders(response.headers().map()),
                response.body(),
                target.version(),
                target.replicaId());
    }

    /**
     * A small answer of known length is read whole before it is handed on (one hand-off between threads, where a
     * stream takes one per read); a larger or unbounded one is streamed.
     */
    private static HttpResponse.BodySubscriber<InputStream> body(HttpResponse.ResponseInfo info) {
        long length = info.headers().firstValueAsLong("content-length").orElse(-1);
        return length >= 0 && length <= BUFFERED_BYTES
                ? HttpResponse.BodySubscribers.mapping(
                        HttpResponse.BodySubscribers.ofByteArray(), ByteArrayInputStream::new)
                : HttpResponse.BodySubscribers.ofInputStream();
    }

    /** The next target by round robin, passing over those marked unreachable (all marked: the next one anyway). */
    private Target pick(List<Target> targets, AtomicInteger next, Target not) {
        int n = targets.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        long now = System.nanoTime();
        Target fallback = null;
        for (int i = 0; i < n; i++) {
            Target t = targets.get((start + i) % n);
            if (t.equals(not)) {
                continue;
            }
            Long until = unhealthyUntil.get(t.replicaId());
            if (until == null || until - now < 0) {
                return t;
            }
            if (fallback == null) {
                fallback = t;
            }
        }
        return fallback;
    }

    private void passOver(Target target, Unreachable why) {
        unhealthyUntil.put(target.replicaId(), System.nanoTime() + unhealthyNanos);
        if (unhealthyUntil.size() > 10_000) {
            unhealthyUntil.clear();
        }
        log.info(
                "replica {} at {} could not be reached ({}); passed over for a while",
                target.replicaId(),
                target.address(),
                why.getMessage());
    }

    private BatonException failed(Routing routing, int version, long started, int status, String message) {
        metrics.record(routing.endpointId(), version, System.nanoTime() - started, true);
        return new BatonException(status, status == 504 ? ErrorCodes.REPLICA_TIMEOUT : ErrorCodes.UNAVAILABLE, message);
    }

    private static void copyHeaders(Map<String, List<String>> headers, HttpRequest.Builder b) {
        Set<String> named = connectionNamed(headers);
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || PRIVATE.contains(lower) || named.contains(lower)) {
                return;
            }
            for (String v : values) {
                try {
                    b.header(name, v);
                } catch (IllegalArgumentException restricted) {
                    // a header the HTTP client sets itself, or a value it refuses: not forwarded
                }
            }
        });
    }

    /** The answer's headers minus hop-by-hop ones, cookies set on Baton's origin and Baton's own headers. */
    static Map<String, List<String>> answerHeaders(Map<String, List<String>> headers) {
        Set<String> named = connectionNamed(headers);
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((HOP_BY_HOP.contains(lower) && !lower.equals("content-length"))
                    || named.contains(lower)
                    || lower.equals("set-cookie")
                    || lower.startsWith("x-baton-")
                    || lower.startsWith(":")) {
                return;
            }
            out.put(name, values);
        });
        return out;
    }

    /** Headers a {@code Connection} header names are hop-by-hop too. */
    private static Set<String> connectionNamed(Map<String, List<String>> headers) {
        Set<String> named = new HashSet<>();
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("connection")) {
                for (String v : values) {
                    for (String token : v.split(",")) {
                        named.add(token.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        });
        return named;
    }

    private static boolean bodied(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * {@code raw} with every character a URI may not hold raw percent-encoded (as UTF-8); what is already encoded
     * stays as it is, so the replica gets the path and query as the client sent them.
     */
    static String uriSafe(String raw) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0;
            if (ok) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
            for (byte x : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
            }
            i = end - 1;
        }
        return out == null ? raw : out.toString();
    }

    static BatonException noEndpoint(String project, String name) {
        return BatonException.notFound("no endpoint '" + name + "' in project '" + project + "'");
    }

    private static String noReplica(String name, Routing routing) {
        String why = routing.message() == null || routing.message().isBlank()
                ? routing.status()
                : routing.status() + ": " + routing.message();
        return "endpoint '" + name + "' has no ready replica (" + why + ")";
    }

    private static String unreachable(String name, Target target, Unreachable why) {
        return "endpoint '" + name + "' has no replica that can be reached (replica " + target.replicaId() + ": "
                + why.getMessage() + ")";
    }
}
