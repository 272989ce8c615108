package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.worker.workspace.Workspace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exact command line of the container runner (no Docker engine exists on the build machine). */
class ContainerCommandTest {
    @Test
    void gpuStepRunsItsImageWithItsWorkspaceItsGpusAndNoNetwork() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BATON_OUTPUTS", "/workspace/outputs");
        env.put("LR", "0.1; rm -rf /");
        List<String> line = ContainerCommand.build(
                "docker",
                "baton-run1-train-2",
                "pytorch/pytorch:2.4",
                Path.of("/var/lib/w/ws/run1/train-2"),
                List.of("python3", "train.py", "--lr", "$(id)"),
                env,
                List.of(2, 3),
                "none",
                null);
        assertThat(line)
                .containsExactly(
                        "docker",
                        "run",
                        "--rm",
                        "--init",
                        "--name",
                        "baton-run1-train-2",
                        "--network",
                        "none",
                        "--workdir",
                        "/workspace/code",
                        "--volume",
                        "/var/lib/w/ws/run1/train-2:/workspace",
                        "--gpus",
                        "\"device=2,3\"",
                        "--env",
                        "BATON_OUTPUTS=/workspace/outputs",
                        "--env",
                        "LR=0.1; rm -rf /",
                        "pytorch/pytorch:2.4",
                        "python3",
                        "train.py",
                        "--lr",
                        "$(id)");
    }

    @Test
    void cpuStepWithPodmanGetsNoGpusAndTheConfiguredNetworkAndUser() {
        List<String> line = ContainerCommand.build(
                "podman",
                "n",
                "python:3.11-slim",
                Path.of("/w"),
                List.of("python3", "-c", "print(1)"),
                Map.of(),
                List.of(),
                "bridge",
                "1000:1000");
        assertThat(line)
                .doesNotContain("--gpus")
                .containsSequence("--network", "bridge")
                .containsSequence("--user", "1000:1000")
                .startsWith("podman", "run");
        assertThat(line.subList(line.indexOf("python:3.11-slim"), line.size()))
                .containsExactly("python:3.11-slim", "python3", "-c", "print(1)");
    }

    @Test
    void containerNamesAreSafeForTheRuntime() {
        assertThat(ContainerCommand.name("01a2-b3", "train[lr=0.1]", 2))
                .matches("[A-Za-z0-9_.-]+")
                .startsWith("baton-01a2-b3-train")
                .endsWith("-2");
    }

    @Test
    void pathsOfTheWorkspaceBecomePathsInsideTheContainer() {
        Workspace ws = new Workspace(Path.of("/var/lib/w/ws/r/s-1"));
        Map<String, String> inside = ContainerCommand.insideEnv(
                Map.of("BATON_OUTPUTS", "/var/lib/w/ws/r/s-1/outputs", "BATON_RUN_ID", "r", "PATH", "/usr/bin"), ws);
        assertThat(inside)
                .containsEntry("BATON_OUTPUTS", "/workspace/outputs")
                .containsEntry("BATON_RUN_ID", "r")
                .doesNotContainKey("PATH");
    }

    @Test
    void secretsArePassedByNameOnlySoThatTheirValuesNeverShowOnTheCommandLine() {
        List<String> line = ContainerCommand.build(
                "docker",
                "baton-run1-use-1",
                "alpine:3",
                Path.of("/w/ws/run1/use-1"),
                List.of("sh", "-c", "use"),
                Map.of("LR", "0.1"),
                Set.of("API_TOKEN"),
                List.of(),
                "none",
                null);
        assertThat(String.join(" ", line)).contains("--env LR=0.1 --env API_TOKEN alpine:3");
    }
}
