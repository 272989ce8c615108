package io.baton.server.resources;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies: 413 as soon as a body is known (Content-Length) or found (while streaming) to pass the
 * limit of its route: code bundles have their own, every other body the JSON limit.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public final class RequestLimits implements ContainerRequestFilter {
    private final long maxJsonBytes;
    private final long maxBundleBytes;
    private final long maxBlobBytes;
    private final long maxServeBytes;

    public RequestLimits(long maxJsonBytes, long maxBundleBytes, long maxBlobBytes, long maxServeBytes) {
        this.maxJsonBytes = maxJsonBytes;
        this.maxBundleBytes = maxBundleBytes;
        this.maxBlobBytes = maxBlobBytes;
        this.maxServeBytes = maxServeBytes;
    }

    /** A body past its limit. Unchecked, so that it passes through JSON parsers to the error mapper. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath().replaceAll("^/+", "");
        if (path.matches("api/v1/datasets/[^/]+/versions")
                && request.getMediaType() != null
                && request.getMediaType().getSubtype().endsWith("gzip")) {
            path = "api/v1/blobs"; // a dataset's files, as a tar.gz: as large as an artifact may be
        }
        if (path.matches("(p/[^/]+/)?api/2\\.0/mlflow-artifacts/artifacts/runs/.*")) {
            path = "api/v1/blobs"; // a file a step logs through MLflow (log_artifact): an artifact
        }
        if (path.startsWith("serve/")) {
            path = "serve"; // a request to an endpoint: its serving code's to read
        }
        long limit = switch (path) {
            case "api/v1/bundles" -> maxBundleBytes;
            case "api/v1/blobs" -> maxBlobBytes;
            case "serve" -> maxServeBytes;
            default -> maxJsonBytes;
        };
        String what = switch (path) {
            case "api/v1/bundles" -> "a code bundle";
            case "api/v1/blobs" -> "an artifact";
            case "serve" -> "a request to an endpoint";
            default -> "a request body";
        };
        if (request.getLength() > limit) {
            throw new TooLarge(what + " may be at most " + limit + " bytes; this one has " + request.getLength());
        }
        request.setEntityStream(new Limited(request.getEntityStream(), limit, what));
    }

    /** Counts what is read and stops at the limit. */
    static final class Limited extends FilterInputStream {
        private final long limit;
        private final String what;
        private long count;

        Limited(InputStream in, long limit, String what) {
            super(in);
            this.limit = limit;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new TooLarge(what + " may be at most " + limit + " bytes");
            }
        }
    }
}
