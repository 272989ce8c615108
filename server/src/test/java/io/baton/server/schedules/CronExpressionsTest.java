package io.baton.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "0 3 * * *",
                "*/15 * * * *",
                "0 0 1 1 *",
                "59 23 31 12 7",
                "0 9-17 * * MON-FRI",
                "0,30 8,12,18 * JAN,jul *",
                "5-55/10 */2 1-15 */3 0",
                "0 0 * * sun",
                "@daily",
                "@Hourly",
                "@yearly",
                "@annually",
                "@monthly",
                "@weekly",
                "@midnight"
            })
    void acceptsWhatTemporalRuns(String cron) {
        assertThat(CronExpressions.check(cron)).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "61 * * * *|minute",
                "* 24 * * *|hour",
                "* * 0 * *|day of month",
                "* * 32 * *|day of month",
                "* * * 13 *|month",
                "* * * FOO *|month",
                "* * * * 8|day of week",
                "* * * * MOON|day of week",
                "*/0 * * * *|step",
                "*/61 * * * *|step",
                "10-5 * * * *|ends before it starts",
                "* * *|five",
                "* * * * * *|five",
                "@sometimes|macro",
                "@every 5m|macro",
                "1,,2 * * * *|minute",
                "L * * * *|minute",
                "? * * * *|minute",
                "-1 * * * *|minute"
            })
    void refusesSayingWhichFieldIsWrong(String cron, String says) {
        assertThatThrownBy(() -> CronExpressions.check(cron))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(says);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void refusesAnEmptyExpression(String cron) {
        assertThatThrownBy(() -> CronExpressions.check(cron)).hasMessageContaining("empty");
    }

    @Test
    void normalizesSpacesAndMacros() {
        assertThat(CronExpressions.check("  0   3 * *  * ")).isEqualTo("0 3 * * *");
        assertThat(CronExpressions.check("@DAILY")).isEqualTo("@daily");
        assertThatThrownBy(() -> CronExpressions.check(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> CronExpressions.check("0 ".repeat(120))).hasMessageContaining("200");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0 3 * * *|Europe/Berlin|2026-12-01T00:00:00Z|2026-12-08T00:00:00Z|7",
                "*/15 * * * *|UTC|2026-12-07T00:00:00Z|2026-12-07T02:00:00Z|8",
                "@hourly|UTC|2026-12-07T00:00:00Z|2026-12-08T00:00:00Z|24",
                "0 0 1,15 * MON|UTC|2026-12-01T00:00:00Z|2027-01-01T00:00:00Z|6",
                "0 9-17/4 * * 1-5|UTC|2026-12-07T00:00:00Z|2026-12-14T00:00:00Z|15",
                "30 2 * * *|Europe/Berlin|2026-03-28T00:00:00Z|2026-03-31T00:00:00Z|2",
                "* * * * *|UTC|2026-12-07T00:00:00Z|2026-12-08T00:00:00Z|1001",
                "@yearly|UTC|2026-01-01T00:00:00Z|2028-01-01T00:00:00Z|1001"
            })
    void countsTheFiresOfARangeForABackfillsBound(String cron, String zone, String from, String to, long fires) {
        assertThat(CronExpressions.fires(cron, ZoneId.of(zone), Instant.parse(from), Instant.parse(to), 1000))
                .isEqualTo(fires);
    }
}
