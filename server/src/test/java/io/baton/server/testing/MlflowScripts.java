package io.baton.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Scripts of {@code src/test/resources/mlflow} run with MLflow's own client (the pinned one) as a notebook would. */
public final class MlflowScripts {
    private MlflowScripts() {}

    /** MLflow's client's Python, which {@code ./baton test} installs into the checkout. */
    public static Path python(TestCluster cluster) {
        Path python = cluster.repo().resolve(".baton/mlflow-client/bin/python").toAbsolutePath();
        assertThat(Files.isExecutable(python))
                .as("MLflow's client is missing at %s: './baton test' installs it", python)
                .isTrue();
        return python;
    }

    /** Runs {@code script} against project {@code tests}'s tracking URI with {@code token}; reads the JSON it prints. */
    public static JsonNode run(TestCluster cluster, String token, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                python(cluster).toString(),
                Path.of("src/test/resources/mlflow/" + script).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("MLFLOW_TRACKING_URI", cluster.apiBase().replace("/api/v1", "/p/tests"));
        env.put("MLFLOW_TRACKING_TOKEN", token);
        env.put("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0");
        env.put("MLFLOW_HTTP_REQUEST_TIMEOUT", "30");
        env.remove("MLFLOW_RUN_ID");
        Path stdout = Files.createTempFile("mlflow-script", ".json");
        Path stderr = Files.createTempFile("mlflow-script", ".log");
        Process process = builder.redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        String errors = Files.readString(stderr);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended)
                .as("the MLflow script %s to end; stderr:\n%s", script, errors)
                .isTrue();
        assertThat(process.exitValue())
                .as("the MLflow script %s's exit code; stderr:\n%s", script, errors)
                .isZero();
        return new ObjectMapper().readTree(Files.readString(stdout));
    }
}
