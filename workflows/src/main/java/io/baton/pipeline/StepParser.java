package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one {@code steps[i]} entry into a {@link Draft}: the step's values plus the nodes the cross-step checks
 * ({@link SpecChecks}) need for positions. Checks that only need the step itself and the parameter names are done
 * here.
 */
final class StepParser {
    static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    static final String STEP_NAME_RULE =
            "letters, digits, '_', '.' and '-', starting with a letter or digit, at most 63 characters";
    static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern MATRIX_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final int MAX_RETRIES = 100;
    /** Far more than any machine has; a bound keeps a step's shape ({@code TaskQueues.cpuShape}) a valid int. */
    static final int MAX_CPUS = 4096;

    private static final List<String> STEP_KEYS = List.of(
            "name",
            "command",
            "needs",
            "pool",
            "image",
            "inputs",
            "outputs",
            "env",
            "resources",
            "retries",
            "timeout",
            "heartbeatTimeout",
            "cache",
            "approval",
            "matrix",
            "register",
            "secrets");
    private static final List<String> REGISTER_KEYS = List.of("model", "path", "description");
    private static final List<String> RESOURCE_KEYS = List.of("cpus", "memory", "gpus");
    private static final List<String> RETRY_KEYS = List.of("retries", "backoff", "maxBackoff");

    private final NodeReader reader;
    private final Problems problems;
    private final Set<String> parameterNames;

    StepParser(NodeReader reader, Set<String> parameterNames) {
        this.reader = reader;
        this.problems = reader.problems;
        this.parameterNames = parameterNames;
    }

    /** A step being read: the values for {@link StepSpec} (null where invalid) and nodes for positions. */
    static final class Draft {
        String path;
        Node node;
        String name;
        Node nameNode;
        List<String> command;
        String pool = StepSpec.DEFAULT_POOL;
        String image;
        final List<String> needs = new ArrayList<>();
        final List<Node> needNodes = new ArrayList<>();
        /** Each need's index in the YAML list (invalid entries are skipped, so it may differ from its index here). */
        final List<Integer> needIndexes = new ArrayList<>();

        final Map<String, String> inputs = new LinkedHashMap<>();
        final Map<String, Node> inputNodes = new LinkedHashMap<>();
        final List<String> outputs = new ArrayList<>();
        final Map<String, String> env = new LinkedHashMap<>();
        ResourcesSpec resources = ResourcesSpec.DEFAULT;
        RetrySpec retries = RetrySpec.NONE;
        Duration timeout;
        Duration heartbeatTimeout;
        boolean cache;
        boolean approval;
        final Map<String, List<Object>> matrix = new LinkedHashMap<>();
        RegisterSpec register;
        final List<String> secrets = new ArrayList<>();

        StepSpec toSpec() {
            return new StepSpec(
                    name,
                    command,
                    pool,
                    needs,
                    env,
                    retries,
                    timeout,
                    heartbeatTimeout,
                    image,
                    inputs,
                    outputs,
                    resources,
                    cache,
                    approval,
                    matrix,
                    register,
                    secrets);
        }
    }

    Draft step(Node node, String path) {
        Draft d = new Draft();
        d.path = path;
        d.node = node;
        MappingNode map = reader.mapping(node, path, "a step (a mapping with at least name and command)");
        if (map == null) {
            return d;
        }
        Map<String, NodeReader.Entry> e = reader.entries(map, path, STEP_KEYS);
        if (reader.require(e, "name", map, path)) {
            d.nameNode = e.get("name").value();
            d.name = reader.name(d.nameNode, e.get("name").path(), STEP_NAME, STEP_NAME_RULE);
        }
        // matrix before command: the command's {matrix.NAME} placeholders are checked against its keys.
        if (e.containsKey("matrix")) {
            matrix(e.get("matrix"), d);
        }
        if (reader.require(e, "command", map, path)) {
            d.command = command(e.get("command"), d);
        }
        if (e.containsKey("needs")) {
            needs(e.get("needs"), d);
        }
        if (e.containsKey("pool")) {
            NodeReader.Entry p = e.get("pool");
            d.pool = reader.name(
                    p.value(),
                    p.path(),
                    POOL_NAME,
                    "lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters");
        }
        if (e.containsKey("image")) {
            d.image = reader.text(e.get("image").value(), e.get("image").path(), "an image name (a string)");
        }
        if (e.containsKey("inputs")) {
            inputs(e.get("inputs"), d);
        }
        if (e.containsKey("outputs")) {
            outputs(e.get("outputs"), d);
        }
        if (e.containsKey("env")) {
            env(e.get("env"), d);
        }
        if (e.containsKey("secrets")) {
            secrets(e.get("secrets"), d);
        }
        if (e.containsKey("resources")) {
            d.resources = resources(e.get("resources"));
        }
        if (e.containsKey("retries")) {
            d.retries = retries(e.get("retries"));
        }
        if (e.containsKey("timeout")) {
            d.timeout = duration(e.get("timeout"));
        }
        if (e.containsKey("heartbeatTimeout")) {
            d.heartbeatTimeout = duration(e.get("heartbeatTimeout"));
        }
        if (e.containsKey("cache")) {
            d.cache = Boolean.TRUE.equals(
                    reader.bool(e.get("cache").value(), e.get("cache").path()));
        }
        if (e.containsKey("approval")) {
            d.approval = Boolean.TRUE.equals(
                    reader.bool(e.get("approval").value(), e.get("approval").path()));
        }
        if (e.containsKey("register")) {
            d.register = register(e.get("register"), d);
        }
        return d;
    }

    /** {@code register: model-name} or {@code register: {model, path, description}}; needs declared outputs. */
    private RegisterSpec register(NodeReader.Entry e, Draft d) {
        String model;
        String path = null;
        String description = null;
        Node modelNode;
        String modelPath;
        if (e.value() instanceof ScalarNode) {
            modelNode = e.value();
            modelPath = e.path();
        } else {
            MappingNode map = reader.mapping(e.value(), e.path(), "a model name or {model, path, description}");
            if (map == null) {
                return null;
            }
            Map<String, NodeReader.Entry> r = reader.entries(map, e.path(), REGISTER_KEYS);
            if (!reader.require(r, "model", map, e.path())) {
                return null;
            }
            modelNode = r.get("model").value();
            modelPath = r.get("model").path();
            if (r.containsKey("path")) {
                NodeReader.Entry p = r.get("path");
                path = reader.text(p.value(), p.path(), "an output file or glob (a string)");
                String problem = path == null ? null : Outputs.problem(path);
                if (problem != null) {
                    problems.add(p.path(), p.value(), "path '" + abbreviate(path, SPEC) + "' " + problem);
                    return null;
                }
                if (path == null) {
                    return null;
                }
            }
            if (r.containsKey("description")) {
                description = reader.text(
                        r.get("description").value(), r.get("description").path(), "a string");
            }
        }
        model = reader.name(modelNode, modelPath, RegisterSpec.NAME, RegisterSpec.NAME_RULE);
        if (model == null) {
            return null;
        }
        if (d.outputs.isEmpty()) {
            problems.add(e.path(), e.value(), "a step that registers a model must declare the files in 'outputs'");
            return null;
        }
        return new RegisterSpec(model, path, description);
    }

    /** A list of scalars, or one string split shell-style; placeholders are checked per argument. */
    private List<String> command(NodeReader.Entry e, Draft d) {
        Node value = e.value();
        List<String> args = new ArrayList<>();
        if (value instanceof ScalarNode scalar
                && (Tag.INT.equals(scalar.getTag())
                        || Tag.FLOAT.equals(scalar.getTag())
                        || Tag.BOOL.equals(scalar.getTag()))) {
            problems.add(
                    e.path(),
                    value,
                    "expected a command (a list of arguments or one string), found " + YamlNodes.describe(value));
            return null;
        }
        if (value instanceof ScalarNode) {
            String text = reader.text(value, e.path(), "a command (a list of arguments or one string)");
            if (text == null) {
                return null;
            }
            try {
                args.addAll(ShellWords.split(text));
            } catch (IllegalArgumentException ex) {
                problems.add(e.path(), value, "cannot split the command: " + ex.getMessage());
                return null;
            }
            if (args.isEmpty()) {
                problems.add(e.path(), value, "command must not be empty");
                return null;
            }
            boolean ok = true;
            for (String arg : args) {
                ok &= placeholders(arg, e.path(), value, d);
            }
            return ok ? args : null;
        }
        SequenceNode list = reader.sequence(value, e.path(), "a command (a list of arguments or one string)");
        if (list == null) {
            return null;
        }
        if (list.getValue().isEmpty()) {
            problems.add(e.path(), value, "command must not be empty");
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String itemPath = NodeReader.index(e.path(), i);
            String arg = reader.text(item, itemPath, "an argument (a string or number)");
            if (arg == null) {
                ok = false;
                continue;
            }
            ok &= placeholders(arg, itemPath, item, d);
            args.add(arg);
        }
        return ok ? args : null;
    }

    private boolean placeholders(String arg, String path, Node at, Draft d) {
        boolean ok = true;
        for (Placeholders.Placeholder p : Placeholders.find(arg)) {
            if (p.kind().equals("parameters") && !parameterNames.contains(p.name())) {
                problems.add(path, at, "unknown placeholder " + p + ": no parameter '" + p.name() + "' is declared");
                ok = false;
            } else if (p.kind().equals("matrix") && !d.matrix.containsKey(p.name())) {
                problems.add(
                        path, at, "unknown placeholder " + p + ": the step's matrix has no key '" + p.name() + "'");
                ok = false;
            }
        }
        return ok;
    }

    private void needs(NodeReader.Entry e, Draft d) {
        SequenceNode list = reader.sequence(e.value(), e.path(), "a list of step names");
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String itemPath = NodeReader.index(e.path(), i);
            String need = reader.text(item, itemPath, "a step name");
            if (need == null) {
                continue;
            }
            if (d.needs.contains(need)) {
                problems.add(itemPath, item, "'" + need + "' is listed twice in needs");
                continue;
            }
            d.needs.add(need);
            d.needNodes.add(item);
            d.needIndexes.add(i);
        }
    }

    /** Input name -> reference; the reference's form is checked here, its step and path in {@link SpecChecks}. */
    private void inputs(NodeReader.Entry e, Draft d) {
        MappingNode map = reader.mapping(e.value(), e.path(), "a mapping of input name to reference");
        if (map == null) {
            return;
        }
        for (NodeReader.Entry input : reader.entries(map, e.path(), null).values()) {
            if (!INPUT_NAME.matcher(input.key()).matches()) {
                problems.add(
                        input.path(),
                        input.keyNode(),
                        "'" + abbreviate(input.key(), SPEC)
                                + "' is not a valid input name: letters, digits, '_', '.' and '-'");
                continue;
            }
            String ref = reader.text(input.value(), input.path(), "an input reference (a string)");
            if (ref == null) {
                continue;
            }
            try {
                InputReference.parse(ref);
            } catch (IllegalArgumentException ex) {
                problems.add(input.path(), input.value(), ex.getMessage());
                continue;
            }
            d.inputs.put(input.key(), ref);
            d.inputNodes.put(input.key(), input.value());
        }
    }

    private void outputs(NodeReader.Entry e, Draft d) {
        SequenceNode list = reader.sequence(e.value(), e.path(), "a list of output paths");
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String itemPath = NodeReader.index(e.path(), i);
            String out = reader.text(item, itemPath, "an output path (a string)");
            if (out == null) {
                continue;
            }
            String problem = Outputs.problem(out);
            if (problem != null) {
                problems.add(itemPath, item, "output '" + abbreviate(out, SPEC) + "' " + problem);
                continue;
            }
            d.outputs.add(out);
        }
    }

    private void env(NodeReader.Entry e, Draft d) {
        MappingNode map = reader.mapping(e.value(), e.path(), "a mapping of NAME: value");
        if (map == null) {
            return;
        }
        // entries() drops null values, but an env var written without a value is a mistake worth naming.
        for (var tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && YamlNodes.isNull(tuple.getValueNode())) {
                problems.add(
                        NodeReader.child(e.path(), k.getValue()),
                        tuple.getValueNode(),
                        "environment variable '" + k.getValue() + "' has no value; write \"\" for an empty one");
            }
        }
        for (NodeReader.Entry var : reader.entries(map, e.path(), null).values()) {
            if (!ENV_NAME.matcher(var.key()).matches()) {
                problems.add(
                        var.path(),
                        var.keyNode(),
                        "'" + abbreviate(var.key(), SPEC)
                                + "' is not a valid environment variable name: letters, digits and '_', not starting with a digit");
                continue;
            }
            if (var.key().startsWith("BATON_")) {
                problems.add(
                        var.path(),
                        var.keyNode(),
                        "'" + var.key() + "' is reserved: names starting with BATON_ are set by Baton");
                continue;
            }
            String value = reader.text(var.value(), var.path(), "a value (a string, number or boolean)");
            if (value != null) {
                d.env.put(var.key(), value);
            }
        }
    }

    /** {@code secrets: [NAME, ...]}: the project's secrets the step gets as variables (values never in the spec). */
    private void secrets(NodeReader.Entry e, Draft d) {
        SequenceNode list = reader.sequence(e.value(), e.path(), "a list of secret names");
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String itemPath = NodeReader.index(e.path(), i);
            String name = reader.text(item, itemPath, "a secret's name (a string)");
            if (name == null) {
                continue;
            }
            if (!StepSpec.SECRET_NAME.matcher(name).matches()) {
                problems.add(
                        itemPath,
                        item,
                        "'" + abbreviate(name, SPEC) + "' is not a secret's name: " + StepSpec.SECRET_NAME_RULE);
            } else if (name.startsWith("BATON_")) {
                problems.add(itemPath, item, "'" + name + "' is reserved: names starting with BATON_ are set by Baton");
            } else if (d.secrets.contains(name)) {
                problems.add(itemPath, item, "secret '" + name + "' is listed twice");
            } else if (d.env.containsKey(name)) {
                problems.add(itemPath, item, "'" + name + "' is both in 'env' and in 'secrets'; a step gets one value");
            } else {
                d.secrets.add(name);
            }
        }
    }

    private ResourcesSpec resources(NodeReader.Entry e) {
        MappingNode map = reader.mapping(e.value(), e.path(), "a mapping with cpus, memory and/or gpus");
        if (map == null) {
            return ResourcesSpec.DEFAULT;
        }
        Map<String, NodeReader.Entry> r = reader.entries(map, e.path(), RESOURCE_KEYS);
        double cpus = ResourcesSpec.DEFAULT.cpus();
        long memory = ResourcesSpec.DEFAULT.memoryBytes();
        int gpus = ResourcesSpec.DEFAULT.gpus();
        if (r.containsKey("cpus")) {
            NodeReader.Entry c = r.get("cpus");
            Double v = reader.number(c.value(), c.path());
            if (v != null && v <= 0) {
                problems.add(c.path(), c.value(), "cpus must be positive, found " + YamlNodes.text(c.value()));
            } else if (v != null && v > MAX_CPUS) {
                problems.add(
                        c.path(),
                        c.value(),
                        "cpus must be at most " + MAX_CPUS + ", found " + YamlNodes.text(c.value()));
            } else if (v != null) {
                cpus = v;
            }
        }
        if (r.containsKey("memory")) {
            NodeReader.Entry m = r.get("memory");
            String text = reader.text(m.value(), m.path(), "a memory quantity such as 512Mi or 2Gi");
            if (text != null) {
                try {
                    memory = Quantities.parseBytes(text);
                } catch (IllegalArgumentException ex) {
                    problems.add(m.path(), m.value(), ex.getMessage());
                }
            }
        }
        if (r.containsKey("gpus")) {
            NodeReader.Entry g = r.get("gpus");
            Long v = reader.integer(g.value(), g.path());
            if (v != null && (v < 0 || v > Integer.MAX_VALUE)) {
                problems.add(g.path(), g.value(), "gpus must be a non-negative whole number, found " + v);
            } else if (v != null) {
                gpus = v.intValue();
            }
        }
        return new ResourcesSpec(cpus, memory, gpus);
    }

    private RetrySpec retries(NodeReader.Entry e) {
        if (e.value() instanceof ScalarNode) {
            Integer n = retryCount(e.value(), e.path());
            return n == null
                    ? RetrySpec.NONE
                    : new RetrySpec(n, RetrySpec.DEFAULT_BACKOFF, RetrySpec.DEFAULT_MAX_BACKOFF);
        }
        MappingNode map = reader.mapping(e.value(), e.path(), "a number of retries or {retries, backoff, maxBackoff}");
        if (map == null) {
            return RetrySpec.NONE;
        }
        Map<String, NodeReader.Entry> r = reader.entries(map, e.path(), RETRY_KEYS);
        Integer n = reader.require(r, "retries", map, e.path())
                ? retryCount(r.get("retries").value(), r.get("retries").path())
                : null;
        Duration backoff = r.containsKey("backoff") ? duration(r.get("backoff")) : RetrySpec.DEFAULT_BACKOFF;
        Duration maxBackoff = r.containsKey("maxBackoff") ? duration(r.get("maxBackoff")) : null;
        if (backoff != null && maxBackoff != null && backoff.compareTo(maxBackoff) > 0) {
            problems.add(
                    r.get("maxBackoff").path(),
                    r.get("maxBackoff").value(),
                    "maxBackoff " + YamlNodes.text(r.get("maxBackoff").value()) + " is shorter than backoff "
                            + Durations.format(backoff));
        }
        if (n == null || backoff == null) {
            return RetrySpec.NONE;
        }
        if (maxBackoff == null) {
            // Left out: the default cap, but never below the backoff asked for (backoff: 5m alone must stay valid).
            maxBackoff = backoff.compareTo(RetrySpec.DEFAULT_MAX_BACKOFF) > 0 ? backoff : RetrySpec.DEFAULT_MAX_BACKOFF;
        }
        return new RetrySpec(n, backoff, maxBackoff);
    }

    private Integer retryCount(Node node, String path) {
        Long n = reader.integer(node, path);
        if (n == null) {
            return null;
        }
        if (n < 0 || n > MAX_RETRIES) {
            problems.add(path, node, "retries must be between 0 and " + MAX_RETRIES + ", found " + n);
            return null;
        }
        return n.intValue();
    }

    /** A positive duration such as 30s; null (with a problem) otherwise. */
    private Duration duration(NodeReader.Entry e) {
        String text = reader.text(e.value(), e.path(), "a duration such as 30s");
        if (text == null) {
            return null;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                problems.add(e.path(), e.value(), e.key() + " must be positive, found " + text);
                return null;
            }
            return d;
        } catch (IllegalArgumentException ex) {
            problems.add(e.path(), e.value(), ex.getMessage());
            return null;
        }
    }

    private void matrix(NodeReader.Entry e, Draft d) {
        MappingNode map = reader.mapping(e.value(), e.path(), "a mapping of name to a list of values");
        if (map == null) {
            return;
        }
        for (NodeReader.Entry axis : reader.entries(map, e.path(), null).values()) {
            if (!MATRIX_KEY.matcher(axis.key()).matches()) {
                problems.add(
                        axis.path(),
                        axis.keyNode(),
                        "'" + abbreviate(axis.key(), SPEC)
                                + "' is not a valid matrix key: letters, digits and '_', not starting with a digit");
                continue;
            }
            SequenceNode list = reader.sequence(axis.value(), axis.path(), "a list of values");
            if (list == null) {
                continue;
            }
            if (list.getValue().isEmpty()) {
                problems.add(axis.path(), axis.value(), "matrix key '" + axis.key() + "' has no values");
                continue;
            }
            List<Object> values = new ArrayList<>();
            List<String> rendered = new ArrayList<>();
            for (int i = 0; i < list.getValue().size(); i++) {
                Node item = list.getValue().get(i);
                String itemPath = NodeReader.index(axis.path(), i);
                Object v = reader.scalarValue(item, itemPath, "a value (a string, number or boolean)");
                if (v == null) {
                    continue;
                }
                // Two equal values would make two steps with the same name (train[lr=0.1] twice).
                String text = Parameters.render(v);
                if (rendered.contains(text)) {
                    problems.add(itemPath, item, "duplicate value " + text + " in matrix key '" + axis.key() + "'");
                    continue;
                }
                rendered.add(text);
                values.add(v);
            }
            d.matrix.put(axis.key(), values);
        }
        long size = Matrix.size(d.matrix);
        if (size > Matrix.MAX_COMBINATIONS) {
            problems.add(
                    e.path(),
                    e.value(),
                    "the matrix has " + (size == Long.MAX_VALUE ? "too many" : size) + " combinations; at most "
                            + Matrix.MAX_COMBINATIONS + " are allowed");
        }
    }
}
