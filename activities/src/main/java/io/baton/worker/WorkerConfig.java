package io.baton.worker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.baton.common.TemporalConnection;
import io.baton.worker.hardware.HostInfo;
import io.baton.worker.process.StepSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.text.StringSubstitutor;

/**
 * A worker's settings: {@code config/worker.yml} after {@code ${VAR:-default}} substitution, so the environment
 * variables of API.md override the file. The token and the payload key are secrets: never logged nor given to a step.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record WorkerConfig(
        String server,
        String token,
        String temporal,
        String namespace,
        List<String> pools,
        String name,
        int slots,
        String workDir,
        List<String> pathPrepend,
        Integer heartbeatSeconds,
        Integer killGraceSeconds,
        Boolean keepWorkspaces,
        TemporalConnection.Tls tls,
        Integer checkpointSeconds,
        String gpus,
        String runner,
        String containerRuntime,
        String containerNetwork,
        String containerUser,
        String stepNetwork,
        List<String> stepHide,
        List<String> passEnv,
        String stepUser,
        String payloadKey,
        String payloadKeyFile,
        Integer servingSlots,
        String advertiseHost) {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public WorkerConfig {
        stepNetwork = stepNetwork == null || stepNetwork.isBlank() ? StepSandbox.ISOLATED : stepNetwork;
        if (!List.of(StepSandbox.ISOLATED, StepSandbox.EGRESS, StepSandbox.HOST).contains(stepNetwork)) {
            throw new IllegalArgumentException(
                    "stepNetwork must be 'isolated', 'egress' or 'host', not '" + stepNetwork + "'");
        }
        stepHide = stepHide == null
                ? List.of()
                : stepHide.stream().filter(p -> !p.isBlank()).toList();
        passEnv = passEnv == null
                ? List.of()
                : passEnv.stream().filter(p -> !p.isBlank()).toList();
        stepUser = stepUser == null || stepUser.isBlank() ? null : stepUser.trim();
        if (stepUser != null && !stepUser.matches("\\d{1,9}:\\d{1,9}")) {
            throw new IllegalArgumentException("stepUser must be UID:GID (numbers), not '" + stepUser + "'");
        }
        pools = pools == null ? List.of("cpu") : List.copyOf(pools);
        servingSlots = servingSlots == null ? 4 : servingSlots;
        if (servingSlots < 0) {
            throw new IllegalArgumentException("servingSlots must be 0 or more, not " + servingSlots);
        }
        advertiseHost = advertiseHost == null || advertiseHost.isBlank() ? null : advertiseHost.trim();
        pathPrepend = pathPrepend == null ? List.of() : existingFolders(pathPrepend);
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        heartbeatSeconds = heartbeatSeconds == null ? 10 : heartbeatSeconds;
        killGraceSeconds = killGraceSeconds == null ? 10 : killGraceSeconds;
        keepWorkspaces = keepWorkspaces != null && keepWorkspaces;
        tls = tls == null ? TemporalConnection.Tls.NONE : tls;
        checkpointSeconds = checkpointSeconds == null || checkpointSeconds < 1 ? 5 : checkpointSeconds;
        runner = runner == null || runner.isBlank() ? "process" : runner;
        if (!runner.equals("process") && !runner.equals("container")) {
            throw new IllegalArgumentException("runner must be 'process' or 'container', not '" + runner + "'");
        }
        containerRuntime = containerRuntime == null || containerRuntime.isBlank() ? "docker" : containerRuntime;
        containerNetwork = containerNetwork == null || containerNetwork.isBlank() ? "none" : containerNetwork;
        if (slots <= 0) {
            slots = Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        if (name == null || name.isBlank()) {
            name = HostInfo.hostname();
        }
        if (workDir == null || workDir.isBlank()) {
            workDir = Path.of(System.getProperty("java.io.tmpdir"), "baton-worker-" + name)
                    .toString();
        }
    }

    public static WorkerConfig load(Path file, Map<String, String> env) throws IOException {
        String text = substitute(Files.readString(file), env);
        ObjectMapper yaml =
                new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        return yaml.readValue(text, WorkerConfig.class);
    }

    /**
     * Expands {@code ${VAR}} and {@code ${VAR:-default}} as Dropwizard's {@code EnvironmentVariableSubstitutor} does
     * (strict, values inserted as they are), from {@code env}; an empty variable takes the default too.
     */
    static String substitute(String text, Map<String, String> env) {
        StringSubstitutor substitutor = new StringSubstitutor(name -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                return "${" + name + "}"; // not a variable: left as it is
            }
            String value = env.get(name);
            return value == null || value.isEmpty() ? null : value;
        });
        substitutor.setValueDelimiter(":-");
        substitutor.setEnableUndefinedVariableException(true);
        substitutor.setDisableSubstitutionInValues(true);
        try {
            return substitutor.replace(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration needs an environment variable: " + e.getMessage(), e);
        }
    }

    /**
     * The folders of {@code pathPrepend} that exist, made absolute: a relative entry on a step's PATH would be looked
     * up in the step's own workspace, and the default (the checkout's tools environment) is absent from a worker image.
     */
    private static List<String> existingFolders(List<String> folders) {
        return folders.stream()
                .filter(f -> f != null && !f.isBlank())
                .map(f -> Path.of(f).toAbsolutePath().normalize())
                .filter(Files::isDirectory)
                .map(Path::toString)
                .toList();
    }

    /** A comma-separated list as {@code BATON_POOLS} gives it ("cpu,gpu"). */
    public static List<String> splitList(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** The work folder, absolute and normalized: paths under it are compared as such ({@code ./data} is allowed). */
    public Path workPath() {
        return Path.of(workDir).toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return "WorkerConfig[name=" + name + ", server=" + server + ", temporal=" + temporal + ", namespace="
                + namespace + ", pools=" + pools + ", slots=" + slots + ", servingSlots=" + servingSlots + ", workDir="
                + workDir + ", pathPrepend="
                + pathPrepend
                + "]";
    }
}
