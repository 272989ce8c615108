package io.baton.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A user's or a project's quota ({@code kind} user or project; null caps: none), a project's fair {@code share}, and
 * what {@code running} counts against the caps now.
 */
public record QuotaView(
        String kind,
        String name,
        Integer steps,
        Integer gpus,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double share,
        Running running,
        String setBy,
        Instant setAt) {
    /** Steps and GPUs running at once now. */
    public record Running(int steps, int gpus) {}
}
