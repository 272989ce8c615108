package io.baton.worker.artifacts;

import io.baton.bundle.BundleException;
import io.baton.bundle.BundleLimits;
import io.baton.bundle.BundlePacker;
import io.baton.bundle.Bundles;
import io.baton.common.Daemons;
import io.baton.worker.client.ServerClient;
import io.baton.workflows.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step's checkpoint folder, packed and uploaded in the background when it changes; the last upload's reference
 * travels in the activity's heartbeat, so that the retry of a lost attempt starts from it.
 */
public final class Checkpoints implements AutoCloseable {
    static final String NAME = "checkpoint.tar.gz";
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final Path dir;
    private final ServerClient server;
    private final long intervalMillis;
    private final ExecutorService uploader = Executors.newSingleThreadExecutor(Daemons.named("checkpoint-upload"));
    private volatile ArtifactRef latest;
    private String uploadedSignature = "";
    private long lastUploadAt;
    private Future<?> inFlight;

    public Checkpoints(Path dir, ServerClient server, long intervalMillis, ArtifactRef restored) {
        this.dir = dir;
        this.server = server;
        this.intervalMillis = intervalMillis;
        this.latest = restored;
    }

    /** Unpacks an earlier attempt's checkpoint into the (empty) checkpoint folder. */
    public static void restore(ArtifactRef ref, Path dir, Artifacts artifacts) throws IOException, BundleException {
        artifacts.use(ref.sha256(), file -> {
            try (InputStream in = Files.newInputStream(file)) {
                Bundles.unpack(in, dir, BundleLimits.DEFAULT);
            }
        });
    }

    /** The reference to hand to the heartbeat: the last checkpoint uploaded (or restored), null before any. */
    public ArtifactRef latest() {
        return latest;
    }

    /** Starts an upload when the folder changed and the interval has passed and no upload is running. */
    public synchronized void maybeUpload() {
        if (inFlight != null && !inFlight.isDone()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastUploadAt < intervalMillis) {
            return;
        }
        String signature = signature();
        if (signature.isEmpty() || signature.equals(uploadedSignature)) {
            return;
        }
        lastUploadAt = now;
        inFlight = uploader.submit(() -> upload(signature));
    }

    private void upload(String signature) {
        Path packed = null;
        try {
            packed = Files.createTempFile(dir.getParent(), "checkpoint-", ".tar.gz");
            try (OutputStream out = Files.newOutputStream(packed)) {
                BundlePacker.pack(dir, out);
            }
            ServerClient.Upload upload = server.upload(packed);
            latest = new ArtifactRef(NAME, upload.sha256(), upload.size());
            synchronized (this) {
                uploadedSignature = signature;
            }
            log.info("checkpoint uploaded: {} ({} bytes)", upload.sha256(), upload.size());
        } catch (IOException | RuntimeException e) {
            log.warn("checkpoint upload failed (the next change tries again): {}", e.getMessage());
        } finally {
            if (packed != null) {
                try {
                    Files.deleteIfExists(packed);
                } catch (IOException e) {
                    log.debug("cannot delete {}", packed);
                }
            }
        }
    }

    /** Changes when a file is added, removed, grows, shrinks or is rewritten; empty for an empty folder. */
    private String signature() {
        try (Stream<Path> files = Files.walk(dir)) {
            StringBuilder s = new StringBuilder();
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                try {
                    s.append(dir.relativize(f))
                            .append(':')
                            .append(Files.size(f))
                            .append(':')
                            .append(Files.getLastModifiedTime(f).toMillis())
                            .append('\n');
                } catch (IOException e) {
                    s.append(f).append(":gone\n"); // written while we look: the next look sees it
                }
            });
            return s.toString();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        uploader.shutdownNow();
    }
}
