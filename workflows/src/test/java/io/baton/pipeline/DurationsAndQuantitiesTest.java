package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsAndQuantitiesTest {
    @Test
    void parsesDurationsInEveryUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejectsMalformedDurationsWithAClearMessage() {
        for (String bad : new String[] {"30", "s", "1.5h", "-1s", "10 m", "1h30m", "10M", "2w", ""}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a duration: expected a whole number followed by ms, s, m, h or d"
                            + " (e.g. 500ms, 30s, 10m, 2h)");
        }
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse("999999999999999999d")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsDurationsInTheSpecForm() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofDays(3))).isEqualTo("3d");
    }

    @Test
    void parsesMemoryQuantities() {
        assertThat(Quantities.parseBytes("1000")).isEqualTo(1000L);
        assertThat(Quantities.parseBytes("512Mi")).isEqualTo(536_870_912L);
        assertThat(Quantities.parseBytes("2Gi")).isEqualTo(2_147_483_648L);
        assertThat(Quantities.parseBytes("1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.parseBytes("4Ki")).isEqualTo(4096L);
        assertThat(Quantities.parseBytes("3K")).isEqualTo(3000L);
        assertThat(Quantities.parseBytes("5M")).isEqualTo(5_000_000L);
        assertThat(Quantities.parseBytes("1Ti")).isEqualTo(1L << 40);
        assertThat(Quantities.parseBytes("2T")).isEqualTo(2_000_000_000_000L);
        assertThat(Quantities.parseBytes("1.5Gi")).isEqualTo(1_610_612_736L);
        assertThat(Quantities.parseBytes("0")).isZero();
    }

    @Test
    void rejectsMalformedQuantities() {
        for (String bad : new String[] {"2GB", "1 Gi", "-1Gi", "Gi", "1gi", "1e9", ""}) {
            assertThatThrownBy(() -> Quantities.parseBytes(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'" + bad + "' is not a memory quantity");
        }
        assertThatThrownBy(() -> Quantities.parseBytes("0.1Ki"))
                .hasMessage("memory quantity '0.1Ki' is not a whole number of bytes");
        assertThatThrownBy(() -> Quantities.parseBytes("9999999Ti"))
                .hasMessage("memory quantity '9999999Ti' is too large");
    }
}
