package io.baton.server.health;

import com.codahale.metrics.health.HealthCheck;
import io.baton.server.temporal.TemporalService;

/** Healthy while Temporal's frontend answers (within two seconds); runs start and end only through it. */
public final class TemporalHealthCheck extends HealthCheck {
    private final TemporalService temporal;

    public TemporalHealthCheck(TemporalService temporal) {
        this.temporal = temporal;
    }

    @Override
    protected Result check() {
        return temporal.healthy() ? Result.healthy() : Result.unhealthy("Temporal does not answer");
    }
}
