package io.baton.server.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Local mode's in-process worker ({@code localWorker:} in the YAML). */
public class LocalWorkerSettings {
    @JsonProperty
    public boolean enabled = false;

    @JsonProperty
    public List<String> pools = List.of("cpu");

    /** 0: one per CPU. */
    @JsonProperty
    public int slots = 0;

    /** Replicas of endpoints it runs at once, beside its step slots; 0: it serves no endpoint. */
    @JsonProperty
    public int servingSlots = 4;

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
