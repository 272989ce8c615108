package io.baton.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.AttemptEnvironment;
import io.baton.protocol.AttemptHardware;
import io.baton.protocol.GpuInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptFactsTest {
    private final AttemptFacts facts =
            new AttemptFacts("w1", List.of(new GpuInfo(0, "NVIDIA H100", 80L << 30, "GPU-a")));

    @Test
    void environmentHoldsTheGivenVariablesRedactedThePythonAndTheVersions() {
        Map<String, String> given = Map.of("BATON_STEP", "train", "WANDB_API_KEY", "secret");

        AttemptEnvironment environment = facts.environment(
                "python:3.11-slim", given, Map.of("PATH", System.getenv("PATH"), "BATON_TOKEN", "bt_secret"), false);

        assertThat(environment.image()).isEqualTo("python:3.11-slim");
        assertThat(environment.variables())
                .containsOnly(Map.entry("BATON_STEP", "train"), Map.entry("WANDB_API_KEY", "<redacted>"));
        assertThat(environment.python().version()).startsWith("3.");
        assertThat(environment.batonVersion())
                .as("the Maven project version, filtered into version.properties")
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(environment.java()).startsWith(System.getProperty("java.version"));
        assertThat(environment.os().name()).isEqualTo(System.getProperty("os.name"));
    }

    @Test
    void aStepInItsImageHasNoPythonTheWorkerCouldDescribe() {
        AttemptEnvironment environment =
                facts.environment("python:3.11-slim", Map.of(), Map.of("PATH", System.getenv("PATH")), true);

        assertThat(environment.python()).isNull();
        assertThat(environment.pythonProblem()).contains("runs in image python:3.11-slim");
    }

    @Test
    void hardwareIsTheWorkersMachineAndTheGpusOfTheAttempt() {
        AttemptHardware hardware = facts.hardware(List.of(0));

        assertThat(hardware.worker()).isEqualTo("w1");
        assertThat(hardware.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(hardware.memoryBytes()).isPositive();
        assertThat(hardware.gpus()).extracting(GpuInfo::name).containsExactly("NVIDIA H100");
        assertThat(hardware.stepGpus()).containsExactly(0);
        if (System.getProperty("os.arch").matches("amd64|x86_64")) {
            assertThat(hardware.cpuModel()).isNotBlank();
        }
    }
}
