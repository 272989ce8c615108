package io.baton.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

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

    @Valid
    @NotNull
    @JsonProperty
    public Limits limits = new Limits();

    @Valid
    @NotNull
    @JsonProperty
    public WorkerSettings workers = new WorkerSettings();

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

    public static class TemporalSettings {
        /** host:port of the Temporal frontend. */
        @NotNull
        @JsonProperty
        public String target = "127.0.0.1:7233";

        @NotNull
        @JsonProperty
        public String namespace = "default";

        /** Base URL of the Temporal web UI, for the links Baton gives; empty when there is none. */
        @JsonProperty
        public String uiUrl = "http://127.0.0.1:8233";

        /** Workflow history retention Baton sets on its namespace when it may (the dev server); 0 leaves it. */
        @JsonProperty
        public int retentionDays = 30;

        @Valid
        @NotNull
        @JsonProperty
        public DevServerSettings devServer = new DevServerSettings();

        @Valid
        @NotNull
        @JsonProperty
        public TlsSettings tls = new TlsSettings();

        /**
         * The key that seals every payload crossing Temporal (AES-256-GCM), written {@code id:base64[,id:base64...]}
         * (the first seals, all open). Or {@link #payloadKeyFile}. Local mode with neither makes
         * {@code $BATON_DATA_DIR/payload.key} on first start.
         */
        @JsonProperty
        public String payloadKey = "";

        @JsonProperty
        public String payloadKeyFile = "";

        /**
         * Let the workflow worker open payloads that are not sealed: only while runs started before the payload key
         * existed finish (their histories hold plain payloads). Workers never do.
         */
        @JsonProperty
        public boolean acceptPlainPayloads = false;
    }

    /** Local mode: Baton starts Temporal's dev server as its child, with a file database. */
    public static class DevServerSettings {
        @JsonProperty
        public boolean enabled = false;

        /** The {@code temporal} CLI. */
        @JsonProperty
        public String binary = "temporal";

        @JsonProperty
        public int port = 7233;

        @JsonProperty
        public int uiPort = 8233;

        /** The server's codec route, given to the dev server's UI so that it can show sealed payloads; empty: none. */
        @JsonProperty
        public String uiCodecEndpoint = "";
    }

    /** mTLS to a Temporal cluster; all empty means plain TCP (the dev server, or a private network). */
    public static class TlsSettings {
        @JsonProperty
        public String clientCert = "";

        @JsonProperty
        public String clientKey = "";

        @JsonProperty
        public String serverCa = "";
    }

    /** Local mode's in-process worker. */
    public static class LocalWorkerSettings {
        @JsonProperty
        public boolean enabled = false;

        @JsonProperty
        public List<String> pools = List.of("cpu");

        /** 0: one per CPU. */
        @JsonProperty
        public int slots = 0;

        /** Folders put first on the PATH of steps (local mode: the tools environment with numpy, scikit-learn). */
        @JsonProperty
        public List<String> pathPrepend = List.of();

        /**
         * The network of steps: {@code isolated} (loopback only: no Temporal, no API, no egress), {@code egress} (and
         * the outside world through slirp4netns) or {@code host}.
         */
        @JsonProperty
        public String stepNetwork = "isolated";

        /** {@code UID:GID} steps run as when the server runs as root; empty: root without capabilities. */
        @JsonProperty
        public String stepUser = "";
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
    }
}
