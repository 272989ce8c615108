package io.baton.bench;

import io.baton.common.Hashing;
import io.baton.worker.client.ServerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A step's 1 GiB output: the worker's upload (streamed, hashed on the way; the server hashes and stores what it
 * receives) against {@code sha256sum} of the same file and against the worker's own hash of it, in one run.
 *
 * <p>Usage: {@code Upload API_BASE WORKER_TOKEN FILE}
 */
public final class Upload {
    public static void main(String[] args) throws Exception {
        ServerClient server = new ServerClient(args[0].replaceAll("/api/v1/?$", ""), args[1], Duration.ofMinutes(1));
        Path file = Path.of(args[2]);
        long size = Files.size(file);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("sha256sum", file.toString())
                .redirectErrorStream(true)
                .start();
        String expected = new String(p.getInputStream().readAllBytes()).split(" ")[0];
        p.waitFor();
        double sha256sum = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        String local = Hashing.sha256(file);
        double javaHash = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        ServerClient.Upload upload = server.upload(file);
        double uploadSeconds = (System.nanoTime() - t0) / 1e9;
        if (!upload.sha256().equals(expected) || !local.equals(expected)) {
            throw new IllegalStateException("hashes differ: " + expected + " " + local + " " + upload.sha256());
        }
        System.out.printf("output of %d MiB%n", size >> 20);
        System.out.printf("  sha256sum:                    %6.2f s%n", sha256sum);
        System.out.printf("  the worker's hash alone:      %6.2f s%n", javaHash);
        System.out.printf(
                "  upload, hashed on the way:    %6.2f s  (%.0f MiB/s)%n", uploadSeconds, (size >> 20) / uploadSeconds);
        System.out.printf("  ratio upload / sha256sum:     %6.2f  (goal: at most 1.3)%n", uploadSeconds / sha256sum);
    }
}
