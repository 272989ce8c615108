package io.baton.common;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a Temporal frontend, waiting until it answers: plain TCP for the dev server or a private network,
 * mTLS (client certificate and key, PEM/PKCS8, and the cluster's CA) for a cluster.
 */
public final class TemporalConnection {
    private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);

    /** mTLS files; all blank means plain TCP. */
    public record Tls(String clientCert, String clientKey, String serverCa) {
        public static final Tls NONE = new Tls("", "", "");

        boolean enabled() {
            return !blank(clientCert) || !blank(serverCa);
        }
    }

    private TemporalConnection() {}

    public static WorkflowServiceStubs connect(String target, Tls tls, Duration patience) throws IOException {
        WorkflowServiceStubsOptions.Builder options =
                WorkflowServiceStubsOptions.newBuilder().setTarget(target);
        if (tls != null && tls.enabled()) {
            options.setSslContext(sslContext(tls));
        }
        WorkflowServiceStubsOptions built = options.build();
        Retry retry = Retry.every(Duration.ofMillis(500), patience);
        while (true) {
            try {
                return WorkflowServiceStubs.newConnectedServiceStubs(built, Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                if (retry.spent()) {
                    throw new IOException("Temporal at " + target + " does not answer: " + e.getMessage(), e);
                }
                log.info("waiting for Temporal at {} ({})", target, e.getMessage());
                try {
                    retry.pause();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Temporal", ie);
                }
            }
        }
    }

    private static SslContext sslContext(Tls tls) throws IOException {
        try {
            SimpleSslContextBuilder builder;
            if (!blank(tls.clientCert())) {
                try (InputStream cert = Files.newInputStream(Path.of(tls.clientCert()));
                        InputStream key = Files.newInputStream(Path.of(tls.clientKey()))) {
                    builder = SimpleSslContextBuilder.forPKCS8(cert, key);
                }
            } else {
                builder = SimpleSslContextBuilder.noKeyOrCertChain();
            }
            if (!blank(tls.serverCa())) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream ca = Files.newInputStream(Path.of(tls.serverCa()))) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(ca)) {
                        store.setCertificateEntry("ca-" + i++, c);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                builder.setTrustManager(tmf.getTrustManagers()[0]);
            }
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw new IOException("bad TLS settings for Temporal: " + e.getMessage(), e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
