package io.baton.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
