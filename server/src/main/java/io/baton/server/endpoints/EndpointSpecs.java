package io.baton.server.endpoints;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import io.baton.pipeline.Durations;
import io.baton.pipeline.InputReference;
import io.baton.pipeline.Quantities;
import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.EndpointRequest;
import io.baton.server.api.EndpointView;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BundleService;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.db.EndpointRow;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.workers.PoolService;
import io.baton.workflows.ArtifactRef;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks what a request asks an endpoint to serve, whole, before anything is written. */
public final class EndpointSpecs {
    static final int MAX_REPLICAS = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern HEALTH = Pattern.compile("/[A-Za-z0-9/_.~-]{0,199}");
    private static final int MAX_ARGS = 64;
    private static final int MAX_VALUE = 4096;
    private static final int MAX_ENV = 64;
    private static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(60);

    private final ModelRegistry models;
    private final BundleService bundles;
    private final PoolService pools;
    private final Access access;

    public EndpointSpecs(ModelRegistry models, BundleService bundles, PoolService pools, Access access) {
        this.models = models;
        this.bundles = bundles;
        this.pools = pools;
        this.access = access;
    }

    /** A model version an endpoint may serve: its project and name, the alias it follows (or null), its files. */
    record Model(String project, String name, String alias, int version, List<ArtifactRef> files) {
        boolean sameModel(String otherProject, String otherName) {
            return project.equals(otherProject) && name.equals(otherName);
        }
    }

    static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw BatonException.badRequest("'name' must be 1-63 letters, digits, '_', '.' or '-', starting with a"
                    + " letter (it is part of the endpoint's URL), not " + shown(name));
        }
        return name;
    }

    /** {@code name@alias}, {@code name/N}, {@code project/name@alias} or {@code project/name/N}. */
    Model model(String reference, String project, Caller caller) {
        if (reference == null || reference.isBlank()) {
            throw BatonException.badRequest("'model' is required: name@alias or name/<version> (e.g."
                    + " iris-classifier@production, iris-classifier/3)");
        }
        InputReference parsed;
        try {
            parsed = InputReference.parse("model://" + reference);
        } catch (IllegalArgumentException e) {
            throw BatonException.badRequest("'model' must be name@alias, name/<version>, project/name@alias or"
                    + " project/name/<version>, not " + shown(reference));
        }
        String modelProject = parsed.project() == null ? project : parsed.project();
        if (!modelProject.equals(project) && !access.can(caller, modelProject, Permission.READ)) {
            throw BatonException.badRequest("there is no model '" + modelProject + "/" + parsed.name() + "'");
        }
        ModelRegistry.Resolved resolved = models.resolve(modelProject, parsed.name(), parsed.version(), parsed.alias());
        return new Model(modelProject, parsed.name(), parsed.alias(), versionOf(resolved), files(resolved, reference));
    }

    /** Version {@code version} of a model, for a canary or an alias that moved. */
    Model version(String project, String model, int version) {
        if (version < 1) {
            throw BatonException.badRequest("a model version is a number from 1, not " + version);
        }
        ModelRegistry.Resolved resolved = models.resolve(project, model, (long) version, null);
        return new Model(project, model, null, version, files(resolved, model + "/" + version));
    }

    private static int versionOf(ModelRegistry.Resolved resolved) {
        String source = resolved.source(); // model:project/name/3
        return Integer.parseInt(source.substring(source.lastIndexOf('/') + 1));
    }

    private static List<ArtifactRef> files(ModelRegistry.Resolved resolved, String reference) {
        if (resolved.files().isEmpty()) {
            throw BatonException.badRequest("model version " + resolved.source().substring("model:".length()) + " ("
                    + shown(reference) + ") has no files to serve");
        }
        return resolved.files();
    }

    /** {@code base} (null for a new endpoint) with what the request changes, for the model version {@code model}. */
    RevisionSpec revision(RevisionSpec base, Model model, EndpointRequest request, String project, Caller caller) {
        String bundle = base == null ? null : base.bundle();
        if (request.bundle() != null || base == null) {
            bundle = bundle(request.bundle(), project, caller);
        }
        List<String> command = request.command() != null || base == null ? command(request.command()) : base.command();
        Map<String, String> env = request.env() != null || base == null ? env(request.env()) : base.env();
        String health = request.health() != null || base == null ? health(request.health()) : base.health();
        long healthTimeout = request.healthTimeout() != null || base == null
                ? healthTimeout(request.healthTimeout())
                : base.healthTimeoutMs();
        double cpus = request.cpus() != null || base == null ? cpus(request.cpus()) : base.cpus();
        long memory = request.memory() != null || base == null ? memory(request.memory()) : base.memoryBytes();
        int gpus = request.gpus() != null || base == null ? gpus(request.gpus()) : base.gpus();
        int version = model.version() > 0 ? model.version() : base.version();
        List<ArtifactRef> files = model.version() > 0 ? model.files() : base.files();
        return new RevisionSpec(
                model.project(),
                model.name(),
                version,
                files,
                bundle,
                command,
                env,
                health,
                healthTimeout,
                cpus,
                memory,
                gpus);
    }

    private String bundle(String bundle, String project, Caller caller) {
        if (bundle == null) {
            throw BatonException.badRequest("'bundle' is required: the sha256 of the code that serves the model, from"
                    + " POST /api/v1/bundles?project=" + project);
        }
        if (!FolderBlobStore.isSha256(bundle)) {
            throw BatonException.badRequest(
                    "'bundle' must be the sha256 (64 lower-case hex digits) that POST" + " /api/v1/bundles returned");
        }
        if (!bundles.exists(bundle)
                || bundles.projects(bundle).stream().noneMatch(p -> access.can(caller, p, Permission.READ))) {
            throw BatonException.badRequest(
                    "no bundle with sha256 " + bundle + "; upload it with POST /api/v1/bundles?project=" + project);
        }
        return bundle;
    }

    static List<String> command(List<String> command) {
        if (command == null || command.isEmpty()) {
            throw BatonException.badRequest("'command' is required: the serving command as a list of arguments, with"
                    + " {port} where it takes its port and {model} where it takes the model file");
        }
        if (command.size() > MAX_ARGS) {
            throw BatonException.badRequest("'command' has " + command.size() + " arguments; at most " + MAX_ARGS);
        }
        for (String arg : command) {
            if (arg == null || arg.isEmpty() || arg.length() > MAX_VALUE || arg.indexOf('\0') >= 0) {
                throw BatonException.badRequest("each argument of 'command' must be 1-" + MAX_VALUE
                        + " characters without NUL, not " + shown(arg));
            }
        }
        if (command.stream().noneMatch(a -> a.contains("{port}"))) {
            throw BatonException.badRequest("'command' must take its port: put {port} where the serving process reads"
                    + " the port to listen on (the worker picks a free one)");
        }
        return List.copyOf(command);
    }

    static Map<String, String> env(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        if (env.size() > MAX_ENV) {
            throw BatonException.badRequest("'env' has " + env.size() + " variables; at most " + MAX_ENV);
        }
        Map<String, String> checked = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k == null || !ENV_NAME.matcher(k).matches() || k.startsWith("BATON_")) {
                throw BatonException.badRequest("'env' names must be letters, digits and '_' (not starting with a"
                        + " digit, nor with BATON_, which Baton sets), not " + shown(k));
            }
            if (v == null || v.length() > MAX_VALUE || v.indexOf('\0') >= 0) {
                throw BatonException.badRequest(
                        "'env' value of " + k + " must be a string of at most " + MAX_VALUE + " characters");
            }
            checked.put(k, v);
        });
        return checked;
    }

    static String health(String health) {
        if (health == null) {
            return "/health";
        }
        if (!HEALTH.matcher(health).matches() || health.contains("..")) {
            throw BatonException.badRequest("'health' must be a path such as /health (letters, digits, '/', '_', '.',"
                    + " '~', '-'), not " + shown(health));
        }
        return health;
    }

    static long healthTimeout(String text) {
        if (text == null) {
            return DEFAULT_HEALTH_TIMEOUT.toMillis();
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw BatonException.badRequest("'healthTimeout' must be a duration such as 60s or 5m, not " + shown(text));
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(30)) > 0) {
            throw BatonException.badRequest("'healthTimeout' must be between 1s and 30m, not " + shown(text));
        }
        return d.toMillis();
    }

    static double cpus(Double cpus) {
        if (cpus == null) {
            return 1;
        }
        if (!(cpus > 0) || cpus > 256) {
            throw BatonException.badRequest("'cpus' must be more than 0 and at most 256, not " + cpus);
        }
        return cpus;
    }

    static long memory(String memory) {
        if (memory == null) {
            return 0;
        }
        try {
            long bytes = Quantities.parseBytes(memory);
            if (bytes <= 0 || bytes > (1L << 40)) {
                throw new IllegalArgumentException("out of range");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw BatonException.badRequest(
                    "'memory' must be a size such as 512Mi or 2Gi (at most 1Ti), not " + shown(memory));
        }
    }

    static int gpus(Integer gpus) {
        if (gpus == null) {
            return 0;
        }
        if (gpus < 0 || gpus > 8) {
            throw BatonException.badRequest("'gpus' must be 0 to 8, not " + gpus);
        }
        return gpus;
    }

    static int replicas(Integer replicas, int otherwise) {
        if (replicas == null) {
            return otherwise;
        }
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw BatonException.badRequest("'replicas' must be 1 to " + MAX_REPLICAS + ", not " + replicas
                    + " (delete an endpoint to stop it)");
        }
        return replicas;
    }

    static int percent(Integer percent) {
        if (percent == null || percent < 1 || percent > 99) {
            throw BatonException.badRequest(
                    "'canary.percent' must be 1 to 99 (the share of requests the canary" + " takes), not " + percent);
        }
        return percent;
    }

    /** The pool the replicas run on (default {@code cpu}): one a worker has served, open to the project. */
    String pool(String pool, String project) {
        String name = pool == null ? "cpu" : pool;
        boolean known = pools.list().stream().anyMatch(p -> p.name().equals(name));
        if (!known) {
            throw BatonException.badRequest("no worker serves pool " + shown(name) + "; start one with"
                    + " BATON_POOLS=" + (NAME.matcher(name).matches() ? name : "<pool>"));
        }
        List<String> limited = pools.limitedTo(name);
        if (limited != null && !limited.isEmpty() && !limited.contains(project)) {
            throw BatonException.badRequest("pool '" + name + "' runs only the work of projects " + limited);
        }
        return name;
    }

    static EndpointView.Desired desired(EndpointRow row, RevisionSpec spec) {
        return new EndpointView.Desired(
                row.revision(),
                spec.version(),
                spec.bundle(),
                spec.command(),
                row.pool(),
                row.replicas(),
                spec.health(),
                Durations.format(Duration.ofMillis(spec.healthTimeoutMs())),
                spec.cpus(),
                spec.memoryBytes(),
                spec.gpus(),
                spec.env());
    }

    private static String shown(String value) {
        return value == null ? "nothing" : "'" + abbreviate(value, API) + "'";
    }
}
