package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paths and queries as the server must read them, and its errors as exit codes. */
class ApiClientTest {
    @Test
    void encodesStepNamesAsOnePathSegment() {
        assertThat(ApiClient.segment("train[lr=0.1]")).isEqualTo("train%5Blr%3D0.1%5D");
        assertThat(ApiClient.segment("a b/c?d#e%")).isEqualTo("a%20b%2Fc%3Fd%23e%25");
        assertThat(ApiClient.segment("plain-name_1.2")).isEqualTo("plain-name_1.2");
    }

    @Test
    void buildsQueriesFromTheValuesGivenOnly() {
        assertThat(ApiClient.query("/runs", ApiClient.params("project", "p 1", "status", null, "limit", 5)))
                .isEqualTo("/runs?project=p%201&limit=5");
        assertThat(ApiClient.query("/runs?x=1", ApiClient.params("param", List.of("a:eq:1", "b:gt:2"))))
                .isEqualTo("/runs?x=1&param=a%3Aeq%3A1&param=b%3Agt%3A2");
    }

    @Test
    void badInputExitsThreeAndTheRestFour() {
        byte[] body =
                "{\"error\":\"bad\",\"message\":\"spec is invalid\",\"details\":[{\"line\":3,\"column\":5,\"message\":\"m\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
        ApiClient.ApiException invalid = ApiClient.error(400, body);
        assertThat(invalid.exitCode()).isEqualTo(3);
        assertThat(invalid.getMessage()).isEqualTo("spec is invalid");
        assertThat(Details.line("baton.yaml", invalid.details().get(0))).isEqualTo("baton.yaml:3:5: m");
        assertThat(ApiClient.error(413, body).exitCode()).isEqualTo(3);
        assertThat(ApiClient.error(404, body).exitCode()).isEqualTo(4);
        assertThat(ApiClient.error(401, "not json".getBytes(StandardCharsets.UTF_8))
                        .getMessage())
                .contains("HTTP 401", "baton login");
    }
}
