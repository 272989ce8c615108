package io.baton.server.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import java.util.NoSuchElementException;

/** The names of the health checks that {@code GET /api/v1/health} reports, and how it reads them. */
public final class HealthChecks {
    /** Dropwizard's own check of the JDBI pool ({@code JdbiHealthCheck}), registered by {@code JdbiFactory}. */
    public static final String DATABASE = "database";
    /** {@link TemporalHealthCheck}. */
    public static final String TEMPORAL = "temporal";

    private HealthChecks() {}

    /** True when the check of that name passes now; a check that was never registered is a wiring mistake. */
    public static boolean healthy(HealthCheckRegistry registry, String name) {
        HealthCheck.Result result;
        try {
            result = registry.runHealthCheck(name);
        } catch (NoSuchElementException e) {
            throw new IllegalStateException("no health check named '" + name + "' is registered", e);
        }
        return result.isHealthy();
    }
}
