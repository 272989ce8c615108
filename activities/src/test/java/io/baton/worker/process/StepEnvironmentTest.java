package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepEnvironmentTest {
    private static final Map<String, String> OPERATORS = Map.of(
            "PATH",
            "/usr/bin:/bin",
            "LANG",
            "C.UTF-8",
            "LC_ALL",
            "C.UTF-8",
            "TZ",
            "UTC",
            "BATON_TOKEN",
            "worker-token",
            "BATON_DATABASE_PASSWORD",
            "db-password",
            "AWS_SECRET_ACCESS_KEY",
            "aws-key",
            "HOME",
            "/root",
            "JAVA_TOOL_OPTIONS",
            "-Dx=y",
            "HF_HOME",
            "/models");

    @Test
    void aStepGetsOnlyTheAllowedVariablesOfTheWorkersEnvironment() {
        Map<String, String> env = StepEnvironment.base(OPERATORS, List.of("/opt/tools/bin"), List.of());

        assertThat(env)
                .containsOnly(
                        Map.entry("PATH", "/opt/tools/bin:/usr/bin:/bin"),
                        Map.entry("LANG", "C.UTF-8"),
                        Map.entry("LC_ALL", "C.UTF-8"),
                        Map.entry("TZ", "UTC"));
    }

    @Test
    void theOperatorPassesMoreByNameButNeverAWorkerSetting() {
        Map<String, String> env = StepEnvironment.base(OPERATORS, List.of(), List.of("HF_HOME", "BATON_TOKEN"));

        assertThat(env).containsEntry("HF_HOME", "/models").doesNotContainKey("BATON_TOKEN");
    }

    @Test
    void aWorkerWithoutPathGivesStepsTheUsualOne() {
        assertThat(StepEnvironment.base(Map.of(), List.of(), List.of()))
                .containsOnly(Map.entry("PATH", StepEnvironment.DEFAULT_PATH));
    }
}
