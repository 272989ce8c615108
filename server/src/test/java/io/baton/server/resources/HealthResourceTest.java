package io.baton.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.health.HealthChecks;
import io.baton.server.health.TemporalHealthCheck;
import io.baton.server.temporal.TemporalService;
import io.baton.server.temporal.TemporalSettings;
import io.baton.workflows.PayloadKeys;
import io.baton.workflows.SealedPayloads;
import io.dropwizard.jdbi3.JdbiHealthCheck;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/v1/health} reads the registered health checks: a Temporal that does not answer is a 503. */
@ExtendWith(DropwizardExtensionsSupport.class)
class HealthResourceTest {
    private static final HealthCheckRegistry checks = new HealthCheckRegistry();

    static {
        Jdbi h2 = Jdbi.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        checks.register(HealthChecks.DATABASE, new JdbiHealthCheck(h2, Optional.empty()));
        // never started: it has no connection to Temporal, so it answers as a Temporal that is away
        TemporalService away = new TemporalService(
                new TemporalSettings(),
                null,
                null,
                new SealedPayloads(PayloadKeys.parse(PayloadKeys.generate("health1")), false));
        checks.register(HealthChecks.TEMPORAL, new TemporalHealthCheck(away));
    }

    static final ResourceExtension resource =
            ResourceExtension.builder().addResource(new HealthResource(checks)).build();

    @Test
    void aTemporalThatDoesNotAnswerMakesTheServerUnavailable() {
        Response answer = resource.target("/api/v1/health").request().get();
        assertThat(answer.getStatus()).isEqualTo(503);
        JsonNode health = answer.readEntity(JsonNode.class);
        assertThat(health.get("status").asText()).isEqualTo("unavailable");
        assertThat(health.get("database").asText()).isEqualTo("ok");
        assertThat(health.get("temporal").asText()).isEqualTo("unavailable");
        assertThat(health.get("version").asText()).isNotBlank();
    }
}
