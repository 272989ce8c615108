package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigSubstitutionTest {
    @Test
    void usesTheVariableWhenItIsSet() {
        assertThat(WorkerConfig.substitute(
                        "server: ${SERVER:-http://127.0.0.1:8080}", Map.of("SERVER", "https://b.example")))
                .isEqualTo("server: https://b.example");
        assertThat(WorkerConfig.substitute("a ${A} b ${B}", Map.of("A", "1", "B", "2")))
                .isEqualTo("a 1 b 2");
    }

    @Test
    void usesTheDefaultWhenTheVariableIsMissing() {
        assertThat(WorkerConfig.substitute("server: ${SERVER:-http://127.0.0.1:8080}", Map.of()))
                .isEqualTo("server: http://127.0.0.1:8080");
        assertThat(WorkerConfig.substitute("name: ${NAME:-}", Map.of())).isEqualTo("name: ");
    }

    @Test
    void anEmptyVariableFallsBackToTheDefault() {
        assertThat(WorkerConfig.substitute("slots: ${SLOTS:-4}", Map.of("SLOTS", "")))
                .isEqualTo("slots: 4");
    }

    @Test
    void aMissingVariableWithoutDefaultIsAnErrorNamingIt() {
        assertThatThrownBy(() -> WorkerConfig.substitute("token: ${BATON_TOKEN}", Map.of("OTHER", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BATON_TOKEN");
    }

    @Test
    void valuesAreInsertedLiterallyNeverExpandedAgain() {
        assertThat(WorkerConfig.substitute("p: ${P}", Map.of("P", "a$1\\b ${Q} $HOME")))
                .isEqualTo("p: a$1\\b ${Q} $HOME");
    }

    @Test
    void textWithoutVariablesIsUnchanged() {
        String text = "pools: [cpu]\n# costs $5 {not a variable} $NAME ${ not-a-name }\n";
        assertThat(WorkerConfig.substitute(text, Map.of())).isEqualTo(text);
    }
}
