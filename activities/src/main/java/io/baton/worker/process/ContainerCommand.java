package io.baton.worker.process;

import io.baton.worker.workspace.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container runner's command line: {@code docker run} (or podman) of a step's image, its workspace mounted, its
 * variables and GPUs passed one by one; nothing goes through a shell.
 */
public final class ContainerCommand {
    static final String MOUNT = "/workspace";

    private ContainerCommand() {}

    /** A stable container name, so that a cancel can {@code docker kill} it. */
    static String name(String runId, String step, int attempt) {
        return ("baton-" + runId + "-" + Workspace.safe(step) + "-" + attempt).replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    static List<String> build(
            String runtime,
            String name,
            String image,
            Path workspace,
            List<String> command,
            Map<String, String> env,
            List<Integer> gpus,
            String network,
            String user) {
        return build(runtime, name, image, workspace, command, env, Set.of(), gpus, network, user);
    }

    /**
     * @param runtime {@code docker} or {@code podman}
     * @param fromClient variables passed by name only ({@code --env NAME}): the runtime's client reads their values
     *     from its own environment, so that they never show on a command line (the step's secrets)
     * @param network {@code none}, {@code bridge}, {@code host} or the name of a network
     * @param env the step's environment, with paths already rewritten for inside the container
     */
    static List<String> build(
            String runtime,
            String name,
            String image,
            Path workspace,
            List<String> command,
            Map<String, String> env,
            Set<String> fromClient,
            List<Integer> gpus,
            String network,
            String user) {
        List<String> line = new ArrayList<>(List.of(
                runtime,
                "run",
                "--rm",
                "--init",
                "--name",
                name,
                "--network",
                network,
                "--workdir",
                MOUNT + "/code",
                "--volume",
                workspace.toAbsolutePath() + ":" + MOUNT));
        if (user != null && !user.isBlank()) {
            line.addAll(List.of("--user", user));
        }
        if (!gpus.isEmpty()) {
            line.addAll(List.of(
                    "--gpus",
                    "\"device="
                            + String.join(
                                    ",", gpus.stream().map(String::valueOf).toList()) + "\""));
        }
        env.forEach((key, value) -> line.addAll(List.of("--env", key + "=" + value)));
        fromClient.forEach(key -> line.addAll(List.of("--env", key)));
        line.add(image);
        line.addAll(command);
        return line;
    }

    /** The step's variables as the container sees them: workspace paths under {@code /workspace}. */
    public static Map<String, String> insideEnv(Map<String, String> stepEnv, Workspace workspace) {
        Map<String, String> inside = new LinkedHashMap<>();
        stepEnv.forEach((key, value) -> {
            if (key.startsWith("BATON_") || !System.getenv().containsKey(key)) {
                inside.put(key, value.replace(workspace.root().toAbsolutePath().toString(), MOUNT));
            }
        });
        inside.remove("PATH"); // the image's own PATH
        return inside;
    }
}
