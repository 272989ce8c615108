package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses and validates {@code baton.yaml} (see API.md, "The spec"). Every problem is reported at once, each with a
 * path such as {@code steps[1].needs[0]} and the 1-based line and column where it is in the text. Pure: no I/O.
 */
public final class SpecParser {
    static final Pattern PIPELINE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final String PIPELINE_NAME_RULE =
            "lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters";
    static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    static final String PARAMETER_NAME_RULE =
            "letters, digits and '_', not starting with a digit, at most 63 characters";
    private static final String GLOBAL_TAG = "Global tag is not allowed:";
    private static final List<String> TOP_KEYS = List.of("name", "description", "parameters", "steps");
    private static final List<String> PARAMETER_KEYS =
            List.of("name", "type", "default", "min", "max", "choices", "description");

    private SpecParser() {}

    /** @throws SpecException carrying every problem found, in document order */
    public static PipelineSpec parse(String yamlText) {
        Result result = run(yamlText);
        if (!result.problems.isEmpty()) {
            throw new SpecException(result.problems);
        }
        return result.spec;
    }

    /** Every problem of the spec in document order; empty when it is valid. */
    public static List<SpecProblem> validate(String yamlText) {
        return run(yamlText).problems;
    }

    private record Result(PipelineSpec spec, List<SpecProblem> problems) {}

    private static Result run(String yamlText) {
        Node root;
        try {
            root = YamlNodes.compose(yamlText == null ? "" : yamlText);
        } catch (YAMLException e) {
            return new Result(null, List.of(notYaml(e)));
        }
        Problems problems = new Problems();
        NodeReader reader = new NodeReader(problems);
        if (root == null || YamlNodes.isNull(root)) {
            problems.add(
                    new SpecProblem("", 1, 1, "the spec is empty; expected a mapping with at least name and steps"));
            return new Result(null, problems.sorted());
        }
        MappingNode top = reader.mapping(root, "", "a mapping with at least name and steps at the top of the spec");
        if (top == null) {
            return new Result(null, problems.sorted());
        }
        Map<String, NodeReader.Entry> entries = reader.entries(top, "", TOP_KEYS);

        String name = null;
        if (reader.require(entries, "name", top, "")) {
            name = reader.name(entries.get("name").value(), "name", PIPELINE_NAME, PIPELINE_NAME_RULE);
        }
        if (entries.containsKey("description")) {
            reader.text(entries.get("description").value(), "description", "a string");
        }
        List<ParameterSpec> parameters = new ArrayList<>();
        Map<String, Node> parameterNames = new LinkedHashMap<>();
        if (entries.containsKey("parameters")) {
            NodeReader.Entry e = entries.get("parameters");
            SequenceNode list = reader.sequence(e.value(), "parameters", "a list of parameters");
            if (list != null) {
                for (int i = 0; i < list.getValue().size(); i++) {
                    ParameterSpec p = parameter(
                            reader, list.getValue().get(i), NodeReader.index("parameters", i), parameterNames);
                    if (p != null) {
                        parameters.add(p);
                    }
                }
            }
        }

        List<StepParser.Draft> steps = new ArrayList<>();
        NodeReader.Entry stepsEntry = entries.get("steps");
        SequenceNode stepList =
                stepsEntry == null ? null : reader.sequence(stepsEntry.value(), "steps", "a list of steps");
        if (stepsEntry == null || (stepList != null && stepList.getValue().isEmpty())) {
            problems.add("steps", stepsEntry == null ? top : stepsEntry.value(), "the spec has no steps");
        }
        if (stepList != null) {
            StepParser stepParser = new StepParser(reader, parameterNames.keySet());
            for (int i = 0; i < stepList.getValue().size(); i++) {
                steps.add(stepParser.step(stepList.getValue().get(i), NodeReader.index("steps", i)));
            }
            SpecChecks.check(steps, problems);
        }

        if (!problems.isEmpty()) {
            return new Result(null, problems.sorted());
        }
        List<StepSpec> stepSpecs = steps.stream().map(StepParser.Draft::toSpec).toList();
        return new Result(new PipelineSpec(name, parameters, stepSpecs), List.of());
    }

    /** Not YAML at all: one problem at the position SnakeYAML stopped, saying why. */
    private static SpecProblem notYaml(YAMLException e) {
        if (e instanceof MarkedYAMLException m) {
            Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
            StringBuilder why = new StringBuilder();
            if (m.getContext() != null) {
                why.append(m.getContext());
            }
            if (m.getProblem() != null) {
                why.append(why.length() > 0 ? ", " : "").append(m.getProblem());
            }
            String message = "not valid YAML: " + why.toString().trim();
            String problem = m.getProblem() == null ? "" : m.getProblem();
            if (problem.startsWith(GLOBAL_TAG)) {
                // SnakeYAML's tag inspector refuses class tags (!!java.net.URL ...) while composing; say so plainly.
                message = YamlNodes.unsupportedTag(
                        problem.substring(GLOBAL_TAG.length()).trim());
            }
            if (mark == null) {
                return new SpecProblem("", null, null, message);
            }
            return new SpecProblem("", mark.getLine() + 1, mark.getColumn() + 1, message);
        }
        return new SpecProblem("", null, null, "not valid YAML: " + e.getMessage());
    }

    /** One {@code parameters[i]} entry; null when it has problems (they are recorded). */
    private static ParameterSpec parameter(NodeReader reader, Node node, String path, Map<String, Node> seen) {
        Problems problems = reader.problems;
        int before = problems.size();
        MappingNode map = reader.mapping(node, path, "a parameter (a mapping with at least a name)");
        if (map == null) {
            return null;
        }
        Map<String, NodeReader.Entry> e = reader.entries(map, path, PARAMETER_KEYS);
        String name = null;
        if (reader.require(e, "name", map, path)) {
            Node nameNode = e.get("name").value();
            name = reader.name(nameNode, NodeReader.child(path, "name"), PARAMETER_NAME, PARAMETER_NAME_RULE);
            if (name != null && seen.containsKey(name)) {
                problems.add(
                        NodeReader.child(path, "name"),
                        nameNode,
                        "duplicate parameter name '" + name + "' (first at line " + YamlNodes.line(seen.get(name))
                                + ")");
            } else if (name != null) {
                seen.put(name, nameNode);
            }
        }
        ParameterType type = ParameterType.STRING;
        if (e.containsKey("type")) {
            type = type(reader, e.get("type"));
        }
        String description = e.containsKey("description")
                ? reader.text(e.get("description").value(), e.get("description").path(), "a string")
                : null;

        List<Object> choices = type == null ? null : choices(reader, e, type, map, path);
        Double min = bound(reader, e.get("min"), type);
        Double max = bound(reader, e.get("max"), type);
        if (min != null && max != null && min > max) {
            problems.add(
                    e.get("max").path(),
                    e.get("max").value(),
                    "max " + YamlNodes.text(e.get("max").value()) + " is less than min "
                            + YamlNodes.text(e.get("min").value()));
        }

        Object defaultValue = null;
        NodeReader.Entry d = e.get("default");
        if (d != null && type != null && choices != null) {
            ParameterSpec shape = new ParameterSpec(name == null ? "?" : name, type, null, min, max, choices, null);
            defaultValue = defaultValue(reader, d, shape);
        }
        if (problems.size() > before) {
            return null;
        }
        return new ParameterSpec(name, type, defaultValue, min, max, choices, description);
    }

    private static ParameterType type(NodeReader reader, NodeReader.Entry e) {
        String text = reader.text(e.value(), e.path(), "a type");
        if (text == null) {
            return null;
        }
        for (ParameterType t : ParameterType.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(text)) {
                return t;
            }
        }
        reader.problems.add(
                e.path(),
                e.value(),
                "unknown type '" + abbreviate(text, SPEC) + "'; allowed: string, integer, float, boolean, enum");
        return null;
    }

    /** An enum's choices (required, non-empty, distinct scalars); an empty list for other types; null on problems. */
    private static List<Object> choices(
            NodeReader reader, Map<String, NodeReader.Entry> e, ParameterType type, MappingNode map, String path) {
        NodeReader.Entry c = e.get("choices");
        if (type != ParameterType.ENUM) {
            if (c != null) {
                reader.problems.add(c.path(), c.keyNode(), "choices is only allowed for enum parameters");
                return null;
            }
            return List.of();
        }
        if (c == null) {
            reader.problems.add(NodeReader.child(path, "choices"), map, "an enum parameter needs choices");
            return null;
        }
        SequenceNode list = reader.sequence(c.value(), c.path(), "a list of choices");
        if (list == null) {
            return null;
        }
        if (list.getValue().isEmpty()) {
            reader.problems.add(c.path(), c.value(), "choices must not be empty");
            return null;
        }
        List<Object> choices = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String itemPath = NodeReader.index(c.path(), i);
            Object value = reader.scalarValue(item, itemPath, "a choice (a string, number or boolean)");
            if (value == null) {
                ok = false;
                continue;
            }
            String rendered = Parameters.render(value);
            if (seen.containsKey(rendered)) {
                reader.problems.add(itemPath, item, "duplicate choice " + rendered);
                ok = false;
                continue;
            }
            seen.put(rendered, i);
            choices.add(value);
        }
        return ok ? choices : null;
    }

    private static Double bound(NodeReader reader, NodeReader.Entry e, ParameterType type) {
        if (e == null) {
            return null;
        }
        if (type != ParameterType.INTEGER && type != ParameterType.FLOAT) {
            if (type != null) {
                reader.problems.add(
                        e.path(), e.keyNode(), e.key() + " is only allowed for integer and float parameters");
            }
            return null;
        }
        return reader.number(e.value(), e.path());
    }

    /** The default, converted strictly to the parameter's type and checked against choices and min/max. */
    private static Object defaultValue(NodeReader reader, NodeReader.Entry d, ParameterSpec shape) {
        Object raw = shape.type() == ParameterType.STRING
                ? reader.text(d.value(), d.path(), "a string")
                : reader.scalarValue(
                        d.value(),
                        d.path(),
                        "a value of type " + shape.type().name().toLowerCase(Locale.ROOT));
        if (raw == null) {
            return null;
        }
        try {
            Object value = Parameters.coerce(shape, raw, true);
            String range = Parameters.rangeProblem(shape, value);
            if (range != null) {
                reader.problems.add(d.path(), d.value(), "default: " + range);
                return null;
            }
            return value;
        } catch (IllegalArgumentException ex) {
            reader.problems.add(d.path(), d.value(), "default: " + ex.getMessage());
            return null;
        }
    }
}
