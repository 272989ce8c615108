package io.baton.worker.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.baton.common.Hashing;
import io.baton.common.Retry;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import io.baton.protocol.ReplicaReady;
import io.baton.protocol.WorkerHeartbeat;
import io.baton.protocol.WorkerRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the worker API: registration, heartbeats, attempt reports, logs and blob downloads. Calls
 * are retried while the server is unreachable or answers 5xx (it may be restarting), up to {@code patience}.
 */
public final class ServerClient implements AttemptReports {
    private static final Logger log = LoggerFactory.getLogger(ServerClient.class);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final String base;
    private final String token;
    private final Duration patience;

    public ServerClient(String serverUrl, String token, Duration patience) {
        this.base = serverUrl.replaceAll("/+$", "") + "/api/v1";
        this.token = token;
        this.patience = patience;
    }

    /** Thrown when the server refused a call (4xx) or stayed unreachable past the client's patience. */
    public static final class ServerException extends IOException {
        private final int status;

        public ServerException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public void register(String worker, WorkerRegistration registration) throws IOException {
        send("PUT", "/workers/" + seg(worker), registration);
    }

    /** Sends a heartbeat; true when the server asks this worker to drain. */
    public boolean heartbeat(String worker, WorkerHeartbeat heartbeat) throws IOException {
        byte[] answer = send("POST", "/workers/" + seg(worker) + "/heartbeat", heartbeat);
        return answer.length > 0 && json.readTree(answer).path("drain").asBoolean(false);
    }

    /** Tells the server that a replica of an endpoint answers at {@code ready.address()}; 404 or 409: it refused. */
    public void replicaReady(String worker, String replicaId, ReplicaReady ready) throws IOException {
        send("POST", "/workers/" + seg(worker) + "/replicas/" + seg(replicaId), ready);
    }

    @Override
    public void attemptWaiting(String runId, String step, int attempt, AttemptWaiting waiting) throws IOException {
        send("POST", attemptsPath(runId, step) + "/" + attempt + "/waiting", waiting);
    }

    @Override
    public AttemptStarted attemptStarted(String runId, String step, AttemptStart start) throws IOException {
        return json.readValue(send("POST", attemptsPath(runId, step), start), AttemptStarted.class);
    }

    @Override
    public void attemptFinished(String runId, String step, int attempt, AttemptFinish finish) throws IOException {
        send("POST", attemptsPath(runId, step) + "/" + attempt + "/finish", finish);
    }

    @Override
    public void appendLogs(String runId, String step, int attempt, LogBatch batch) throws IOException {
        send("POST", attemptsPath(runId, step) + "/" + attempt + "/logs", batch);
    }

    /** Streams a blob to {@code sink}; never holds it whole in memory. */
    public void download(String sha256, Path target) throws IOException {
        HttpRequest request =
                authorized(URI.create(base + "/artifacts/" + seg(sha256))).GET().build();
        HttpResponse<InputStream> response = withRetries(
                "GET artifact " + sha256, () -> http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream body = response.body()) {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A blob the server now holds: its sha256 (checked against the one computed here while sending) and size. */
    public record Upload(String sha256, long size) {}

    /**
     * Streams a file to the server's blob store, hashing it on the way (one read of the file); the server hashes
     * what it receives, and both must agree.
     */
    public Upload upload(Path file) throws IOException {
        long size = Files.size(file);
        MessageDigest[] digest = new MessageDigest[1];
        HttpRequest.Builder request = authorized(URI.create(base + "/blobs"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> {
                            try {
                                digest[0] = Hashing.sha256();
                                return new DigestInputStream(Files.newInputStream(file), digest[0]);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }),
                        size));
        HttpResponse<InputStream> response = withRetries(
                "upload " + file.getFileName(),
                () -> http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        Upload upload;
        try (InputStream in = response.body()) {
            upload = json.readValue(in, Upload.class);
        }
        String local = HexFormat.of().formatHex(digest[0].digest());
        if (!local.equals(upload.sha256()) || upload.size() != size) {
            throw new IOException("upload of " + file + " was corrupted: sent sha256 " + local + " (" + size
                    + " bytes), the server stored " + upload.sha256() + " (" + upload.size() + " bytes)");
        }
        return upload;
    }

    private byte[] send(String method, String path, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        HttpRequest request = authorized(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        HttpResponse<InputStream> response =
                withRetries(method + " " + path, () -> http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        try (InputStream in = response.body()) {
            return in.readAllBytes();
        }
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
    }

    private interface Call {
        HttpResponse<InputStream> run() throws IOException, InterruptedException;
    }

    private HttpResponse<InputStream> withRetries(String what, Call call) throws IOException {
        Retry waiting = waitingOut(patience);
        while (true) {
            String problem;
            try {
                HttpResponse<InputStream> response = call.run();
                int status = response.statusCode();
                if (status < 300) {
                    return response;
                }
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                if (status < 500) {
                    throw new ServerException(what + " refused with " + status + ": " + body, status);
                }
                problem = "status " + status + ": " + body;
            } catch (ServerException e) {
                throw e;
            } catch (IOException e) {
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(what + " interrupted", e);
            }
            log.debug("{} failed ({}), retrying", what, problem);
            pauseOrGiveUp(waiting, what, problem);
        }
    }

    /**
     * How long a worker waits out a server (or, in process, a database) that is away: pauses that double from 200 ms
     * up to 2 s between tries, for {@code patience}.
     */
    public static Retry waitingOut(Duration patience) {
        return Retry.doubling(Duration.ofMillis(200), Duration.ofSeconds(2), patience);
    }

    /**
     * Waits before the next try of {@code what}, which failed with {@code problem}; fails as unavailable (503) once
     * patience is spent.
     */
    public static void pauseOrGiveUp(Retry retry, String what, String problem) throws IOException {
        if (retry.spent()) {
            throw new ServerException(what + " failed: " + problem, 503);
        }
        try {
            retry.pause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        }
    }

    private static String attemptsPath(String runId, String step) {
        return "/runs/" + seg(runId) + "/steps/" + seg(step) + "/attempts";
    }

    /** Encodes one path segment (step names hold characters such as '[' and '='). */
    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
