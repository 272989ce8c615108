package io.baton.server.core;

import java.net.URI;

/**
 * The base of the absolute links the server hands out: the configured {@code publicUrl}, or this server's own
 * address; never a request's {@code Host} header.
 */
public final class PublicUrl {
    private volatile URI base;

    public PublicUrl(String configured) {
        this.base = configured == null || configured.isBlank()
                ? null
                : URI.create(configured.endsWith("/") ? configured : configured + "/");
    }

    /** Called once the server listens: the base when none is configured. */
    public void listening(int port) {
        if (base == null) {
            base = URI.create("http://127.0.0.1:" + port + "/");
        }
    }

    /** {@code path} (absolute, e.g. {@code /api/v1/...}) on this server's public URL. */
    public URI resolve(String path) {
        URI at = base == null ? URI.create("http://127.0.0.1/") : base;
        return at.resolve(at.getPath() + path.replaceFirst("^/", ""));
    }
}
