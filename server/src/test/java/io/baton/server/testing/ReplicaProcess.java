package io.baton.server.testing;

import io.dropwizard.testing.ResourceHelpers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for an endpoint's serving process: {@code serving/replica.py} (Python's HTTP server, HTTP/1.1), a real
 * process on a free port of 127.0.0.1 that answers every request with what reached it. {@link #kill()} is kill -9.
 */
public final class ReplicaProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;

    private ReplicaProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    public static ReplicaProcess start(String name) throws IOException {
        String script = ResourceHelpers.resourceFilePath("serving/replica.py");
        Process p = new ProcessBuilder("python3", script, name)
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            return null;
                        }
                    })
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("replica " + name + " did not start listening within 20 s", e);
        }
        if (line == null || !line.startsWith("listening ")) {
            p.destroyForcibly();
            throw new IOException("replica " + name + " did not start: " + line);
        }
        return new ReplicaProcess(
                name, p, Integer.parseInt(line.substring("listening ".length()).trim()));
    }

    public String name() {
        return name;
    }

    /** Where it listens, as a replica row holds it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** kill -9, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
