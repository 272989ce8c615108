package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code -p name=value}: numbers and booleans as JSON when they read back as typed, the rest as strings. */
class RunParametersTest {
    @Test
    void typesNumbersAndBooleansThatReadBackAsTyped() {
        assertThat(RunParameters.parse(List.of("lr=0.1", "depth=3", "neg=-2", "on=true", "name=tree", "url=a=b")))
                .containsExactly(
                        Map.entry("lr", 0.1),
                        Map.entry("depth", 3L),
                        Map.entry("neg", -2L),
                        Map.entry("on", true),
                        Map.entry("name", "tree"),
                        Map.entry("url", "a=b"));
    }

    @Test
    void keepsSpellingsANumberWouldLose() {
        for (String kept : List.of("007", "0.10", "1e5", "1.", ".5", "True", "", "3 ", "99999999999999999999")) {
            assertThat(RunParameters.typed(kept)).as(kept).isEqualTo(kept);
        }
    }

    @Test
    void refusesPairsWithoutANameAndNamesGivenTwice() {
        assertThatThrownBy(() -> RunParameters.parse(List.of("novalue")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("name=value");
        assertThatThrownBy(() -> RunParameters.parse(List.of("=3"))).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> RunParameters.parse(List.of("a=1", "a=2")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("twice");
    }
}
