package io.baton.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values a client names: times, and the links built for it. */
class RequestValuesTest {
    @Test
    void timesOutsideYearsZeroTo9999AreRefused() {
        assertThat(Instants.parse("since", "2026-01-31T12:00:00Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(Instants.parse("since", null)).isNull();
        for (String far :
                List.of("+1000000000-12-31T00:00:00Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            assertThatThrownBy(() -> Instants.parse("until", far))
                    .as(far)
                    .isInstanceOf(BatonException.class)
                    .hasMessageContaining("'until' must be a time from 0000");
        }
        assertThatThrownBy(() -> Instants.parse("since", "yesterday")).hasMessageContaining("ISO-8601");
    }

    @Test
    void linksAreBuiltOnThePublicUrlWithItsPath() {
        assertThat(new PublicUrl("https://baton.example.com/ml").resolve("/api/v1/artifacts/ab"))
                .hasToString("https://baton.example.com/ml/api/v1/artifacts/ab");
        PublicUrl local = new PublicUrl("");
        local.listening(8080);
        assertThat(local.resolve("/api/v1/x")).hasToString("http://127.0.0.1:8080/api/v1/x");
    }
}
