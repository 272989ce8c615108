package io.baton.worker.process;

import io.baton.pipeline.Parameters;
import io.baton.protocol.MlflowRunIds;
import io.baton.worker.python.PythonOutput;
import io.baton.worker.python.PythonPackage;
import io.baton.worker.workspace.Workspace;
import io.baton.workflows.StepRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The environment variables of a step's process: what Baton gives the attempt, on top of {@link StepEnvironment}'s. */
public final class StepVariables {
    /** Worker settings a step must not see: the token is a secret, the rest means nothing to a step. */
    private static final Set<String> HIDDEN_ENV = Set.of(
            "BATON_TOKEN",
            "BATON_SERVER",
            "BATON_TEMPORAL",
            "BATON_POOLS",
            "BATON_WORKER_NAME",
            "BATON_SLOTS",
            "BATON_WORK_DIR",
            "BATON_ADMIN_TOKEN",
            "BATON_LAUNCHER",
            "BATON_PAYLOAD_KEY",
            "BATON_PAYLOAD_KEY_FILE",
            "MLFLOW_TRACKING_URI",
            "MLFLOW_TRACKING_TOKEN",
            "MLFLOW_RUN_ID");

    private final PythonOutput pythonOutput;
    private final PythonPackage pythonPackage;
    private final StepSandbox sandbox;
    private final String server;
    private final List<String> pathPrepend;
    private final List<String> passEnv;

    public StepVariables(
            PythonOutput pythonOutput,
            PythonPackage pythonPackage,
            StepSandbox sandbox,
            String server,
            List<String> pathPrepend,
            List<String> passEnv) {
        this.pythonOutput = pythonOutput;
        this.pythonPackage = pythonPackage;
        this.sandbox = sandbox;
        this.server = server;
        this.pathPrepend = pathPrepend;
        this.passEnv = passEnv;
    }

    /**
     * The variables Baton gives a step: its spec's {@code env}, its parameters and the {@code BATON_*} variables.
     * {@code gpus}: the GPUs the step was given, or null on a worker without GPUs.
     */
    public Map<String, String> given(
            StepRequest request, Workspace workspace, int attempt, boolean inImage, List<Integer> gpus) {
        Map<String, String> env = new LinkedHashMap<>(request.command().env());
        request.command()
                .parameters()
                .forEach((name, value) -> env.put(Parameters.envName(name), Parameters.render(value)));
        env.put("BATON_RUN_ID", request.runId());
        env.put("BATON_STEP", request.step());
        env.put("BATON_ATTEMPT", Integer.toString(attempt));
        env.put("BATON_OUTPUTS", workspace.outputs().toString());
        env.put("BATON_INPUTS", workspace.inputs().toString());
        env.put("BATON_CHECKPOINT_DIR", workspace.checkpoint().toString());
        env.put("BATON_PARAMETERS_FILE", workspace.parametersFile().toString());
        env.put("HOME", workspace.root().toString());
        env.put("TMPDIR", workspace.tmp().toString());
        pythonPackage.addTo(env, workspace, inImage); // import baton, after the spec's own PYTHONPATH
        // the API, reached from a network namespace through the relay; a container's runtime gives it its own network
        env.putAll(inImage ? StepSandbox.none().serverEnvironment(server) : sandbox.serverEnvironment(server));
        if (gpus != null) {
            // exactly the GPUs this step was given; none for a step that asked for none
            String visible = String.join(",", gpus.stream().map(String::valueOf).toList());
            env.put("CUDA_VISIBLE_DEVICES", visible);
            env.put("NVIDIA_VISIBLE_DEVICES", visible.isEmpty() ? "none" : visible);
        }
        return env;
    }

    /**
     * MLflow's variables for a started attempt, so that MLflow's tracking calls record into it: the project's tracking
     * URI as the step reaches the server ({@code server}, the step's BATON_SERVER), the attempt's own token (never the
     * worker's; not in the recorded environment, which is taken before the start) and the attempt as the active run.
     */
    public static Map<String, String> mlflow(
            String server, String project, String runId, String step, int attempt, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        if (server == null || project == null || token == null) {
            return env; // a server that does not name the project: MLflow's calls would land elsewhere
        }
        env.put("MLFLOW_TRACKING_URI", server.replaceAll("/+$", "") + "/p/" + project);
        env.put("MLFLOW_TRACKING_TOKEN", token);
        env.put("MLFLOW_RUN_ID", MlflowRunIds.of(runId, step, attempt));
        return env;
    }

    /**
     * The whole environment of a step's process: the few variables of the worker's own that {@link StepEnvironment}
     * allows, the folders it puts first on PATH, then {@code given} (the variables Baton gives it).
     */
    public Map<String, String> process(Map<String, String> given) {
        Map<String, String> env = StepEnvironment.base(System.getenv(), pathPrepend, passEnv);
        env.putAll(given);
        pythonOutput.apply(env, given);
        return env;
    }

    /** The variables passed into a step's container, one at a time. */
    Map<String, String> inImage(Map<String, String> env) {
        Map<String, String> inside = new LinkedHashMap<>(env);
        pythonOutput.applyInImage(inside);
        return inside;
    }

    /** The environment of a container runtime's client: the worker's own, without its settings. */
    static Map<String, String> containerClient() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.keySet().removeIf(HIDDEN_ENV::contains);
        return env;
    }
}
