package io.baton.server.temporal;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The server's Temporal settings ({@code temporal:} in the YAML): the cluster, local mode's dev server, payload keys. */
public class TemporalSettings {
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
}
