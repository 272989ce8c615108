package io.baton.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.glassfish.jersey.uri.UriTemplate;
import org.junit.jupiter.api.Test;

/** How the audit filter names a route, its object and the object's id parts. */
class AuditFilterTest {
    @Test
    void aRouteIsItsTemplatesFromTheClassDown() {
        // Jersey lists the matched templates innermost first
        assertThat(AuditFilter.template(List.of(new UriTemplate("/{id}/cancel"), new UriTemplate("/api/v1/runs"))))
                .isEqualTo("/api/v1/runs/{id}/cancel");
        assertThat(AuditFilter.template(
                        List.of(new UriTemplate("projects/{project}/members/{member}"), new UriTemplate("/api/v1/"))))
                .isEqualTo("/api/v1/projects/{project}/members/{member}");
    }

    @Test
    void theObjectIsTheFirstCollectionInTheSingular() {
        assertThat(AuditFilter.objectType("/api/v1/runs/{id}/cancel")).isEqualTo("run");
        assertThat(AuditFilter.objectType("/api/v1/models/{name}/aliases/{alias}"))
                .isEqualTo("model");
        assertThat(AuditFilter.objectType("/api/v1/login")).isEqualTo("login");
        assertThat(AuditFilter.objectType("/api/2.0/mlflow/registered-models/alias"))
                .isEqualTo("registered-model");
        assertThat(AuditFilter.paramNames("/api/v1/runs/{runId}/steps/{step}/attempts/{number: [0-9]+}"))
                .containsExactly("runId", "step", "number");
    }
}
