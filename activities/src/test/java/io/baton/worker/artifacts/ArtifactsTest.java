package io.baton.worker.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.baton.common.Hashing;
import io.baton.worker.client.ServerClient;
import io.baton.workflows.StagedInput;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {
    @TempDir
    Path tmp;

    /** {@code ./baton demo} gives the data folder as {@code ./data}: its inputs folder is not normalized. */
    @Test
    void inputsAreStagedIntoAFolderGivenWithDotSegmentsAndNeverOutsideIt() throws Exception {
        Path work = tmp.resolve("work");
        Artifacts artifacts = new Artifacts(new ServerClient("http://127.0.0.1:9", "t", java.time.Duration.ZERO), work);
        byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256(Files.write(tmp.resolve("data.csv"), content));
        Files.copy(tmp.resolve("data.csv"), work.resolve("blobs").resolve(sha)); // in this worker's cache already
        Path inputs =
                tmp.resolve(".").resolve("ws").resolve("..").resolve("ws2").resolve("inputs");

        artifacts.stage(List.of(new StagedInput("iris", null, "iris.csv", sha, content.length)), inputs);

        assertThat(inputs.normalize().resolve("iris").resolve("iris.csv")).hasBinaryContent(content);
        assertThatThrownBy(() -> artifacts.stage(
                        List.of(new StagedInput("iris", null, "../../escaped.csv", sha, content.length)), inputs))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("leaves the inputs folder");
        assertThat(tmp.resolve("ws2").resolve("escaped.csv")).doesNotExist();
    }

    /**
     * A step running as the worker's user can make the cached blob writable, rewrite it with bytes of the same size
     * and set its mode and mtime back: the next staging still gives the genuine bytes (fetched again), and a worker
     * started later on the same folder hashes what it finds once rather than trusting it.
     */
    @Test
    void aCachedBlobRewrittenByAStepIsNeverStagedAgain() throws Exception {
        byte[] genuine = "genuine weights\n".getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256(Files.write(tmp.resolve("model.bin"), genuine));
        AtomicInteger downloads = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/artifacts/" + sha, exchange -> {
            downloads.incrementAndGet();
            exchange.sendResponseHeaders(200, genuine.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(genuine);
            }
        });
        server.start();
        try {
            ServerClient client =
                    new ServerClient("http://127.0.0.1:" + server.getAddress().getPort(), "t", Duration.ofSeconds(5));
            Path work = tmp.resolve("work");
            Artifacts artifacts = new Artifacts(client, work);
            List<StagedInput> input = List.of(new StagedInput("model", null, "model.bin", sha, genuine.length));
            artifacts.stage(input, tmp.resolve("ws1"));
            Path cached = work.resolve("blobs").resolve(sha);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cached)))
                    .isEqualTo("r--r--r--");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cached.getParent())))
                    .isEqualTo("rwx------");
            assertThat(downloads).hasValue(1);

            // the "step": a real process, as the worker's user, covering its tracks as well as a process can
            Process step = new ProcessBuilder(
                            "sh",
                            "-c",
                            "m=$(stat -c %y \"$1\"); chmod u+w \"$1\""
                                    + " && printf 'tampered weights\\n' > \"$1\" && chmod 0444 \"$1\" && touch -d \"$m\" \"$1\"",
                            "step",
                            cached.toString())
                    .inheritIO()
                    .start();
            assertThat(step.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(step.exitValue()).isZero();
            assertThat(Files.readString(cached)).isEqualTo("tampered weights\n"); // same size, same mtime

            artifacts.stage(input, tmp.resolve("ws2"));
            assertThat(tmp.resolve("ws2").resolve("model").resolve("model.bin")).hasBinaryContent(genuine);
            assertThat(cached).hasBinaryContent(genuine);
            assertThat(downloads).hasValue(2);

            // deleted (a step can, as the worker's user): fetched again
            Process delete = new ProcessBuilder("rm", "-f", cached.toString())
                    .inheritIO()
                    .start();
            assertThat(delete.waitFor(30, TimeUnit.SECONDS)).isTrue();
            artifacts.stage(input, tmp.resolve("ws2b"));
            assertThat(tmp.resolve("ws2b").resolve("model").resolve("model.bin"))
                    .hasBinaryContent(genuine);
            assertThat(downloads).hasValue(3);

            // a later worker process on the same folder knows no stamp: it hashes the blob once, and keeps it
            new Artifacts(client, work).stage(input, tmp.resolve("ws3"));
            assertThat(tmp.resolve("ws3").resolve("model").resolve("model.bin")).hasBinaryContent(genuine);
            assertThat(downloads).hasValue(3);
        } finally {
            server.stop(0);
        }
    }
}
