package io.baton.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.baton.server.audit.AuditSettings;
import io.baton.server.local.LocalWorkerSettings;
import io.baton.server.oidc.OidcSettings;
import io.baton.server.secrets.SecretSettings;
import io.baton.server.serving.ServingSettings;
import io.baton.server.temporal.TemporalSettings;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The server's settings: one YAML per mode under {@code config/}, with {@code ${VAR:-default}} substitution. */
public class BatonConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    public DataSourceFactory database = new DataSourceFactory();

    /**
     * The URL clients reach this server at (e.g. {@code https://baton.example.com}), for the absolute links it hands
     * out (MLflow's download URIs and artifact redirects), never taken from a request's {@code Host} header. Blank:
     * {@code http://127.0.0.1:<port>}, right for local mode ({@code ${BATON_PUBLIC_URL:-}} unset reads as null).
     */
    @JsonProperty
    public String publicUrl = "";

    /** Where blobs (bundles, artifacts) live, and in local mode everything else of Baton's. */
    @NotNull
    @JsonProperty
    public String dataDir = "./data";

    @Valid
    @NotNull
    @JsonProperty
    public LocalDatabaseSettings localDatabase = new LocalDatabaseSettings();

    @Valid
    @NotNull
    @JsonProperty
    public TemporalSettings temporal = new TemporalSettings();

    @Valid
    @NotNull
    @JsonProperty
    public LocalWorkerSettings localWorker = new LocalWorkerSettings();

    @Valid
    @NotNull
    @JsonProperty
    public AuthSettings auth = new AuthSettings();

    /** OIDC sign-in ({@code docs/security.md}); off while its issuer is empty. */
    @Valid
    @NotNull
    @JsonProperty
    public OidcSettings oidc = new OidcSettings();
    /** The key that seals project secrets (docs/security.md, "Secrets"). */
    @Valid
    @NotNull
    @JsonProperty
    public SecretSettings secrets = new SecretSettings();

    @Valid
    @NotNull
    @JsonProperty
    public Limits limits = new Limits();

    @Valid
    @NotNull
    @JsonProperty
    public WorkerSettings workers = new WorkerSettings();

    /** The audit log (docs/security.md, "Audit log"). */
    @Valid
    @NotNull
    @JsonProperty
    public AuditSettings audit = new AuditSettings();

    /** The {@code /serve} proxy in front of endpoints' replicas (docs/endpoints.md, "Traffic"). */
    @Valid
    @NotNull
    @JsonProperty
    public ServingSettings serving = new ServingSettings();

    /** How the server judges workers. */
    public static class WorkerSettings {
        /** A worker unheard of this long is OFFLINE (its heartbeats come every 10 s by default). */
        @JsonProperty
        public int offlineAfterSeconds = 30;
    }

    /**
     * Local mode's database: a MariaDB server of Baton's own, started as a child process with its data under
     * {@code dataDir/mariadb}; {@code database}'s URL, user and password are then set to reach it.
     */
    public static class LocalDatabaseSettings {
        @JsonProperty
        public boolean enabled = false;

        /** The TCP port on 127.0.0.1. */
        @JsonProperty
        public int port = 7306;

        /** InnoDB's buffer pool: local mode's metadata is small, and the machine runs the steps. */
        @NotNull
        @JsonProperty
        public String bufferPool = "64M";
    }

    public static class AuthSettings {
        /** Local mode writes the admin token here (mode 600) on first start; empty in production. */
        @JsonProperty
        public String adminTokenFile = "";

        /**
         * Production bootstrap: an admin token given by the operator (e.g. from a secret store); only its hash is
         * stored. Empty: none.
         */
        @JsonProperty
        public String bootstrapAdminToken = "";

        /** How long a session token from {@code POST /api/v1/login} lives. */
        @JsonProperty
        public int sessionHours = 12;

        /** Failed logins allowed per user name and per address within {@link #loginWindowSeconds}. */
        @JsonProperty
        public int loginFailures = 5;

        @JsonProperty
        public int loginWindowSeconds = 900;
    }

    public static class Limits {
        /** JSON request bodies, and a spec. */
        @JsonProperty
        public long maxRequestBytes = 1 << 20;

        /** An uploaded code bundle (compressed). */
        @JsonProperty
        public long maxBundleBytes = 256L << 20;

        /** An uploaded bundle unpacked. */
        @JsonProperty
        public long maxBundleUnpackedBytes = 2L << 30;

        @JsonProperty
        public int maxBundleFiles = 100_000;

        /** One uploaded artifact (a step's output file). */
        @JsonProperty
        public long maxArtifactBytes = 1L << 40;

        /** A request's body to an endpoint ({@code /serve/...}), which the proxy holds while it forwards it. */
        @JsonProperty
        public long maxServeBytes = 32L << 20;
    }
}
