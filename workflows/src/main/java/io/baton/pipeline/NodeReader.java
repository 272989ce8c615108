package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of YAML nodes that record a problem instead of throwing: each returns null when the node is not what
 * was expected, after adding a problem that says what was expected and what was found. This is what lets one pass
 * over a spec report every problem.
 */
final class NodeReader {
    final Problems problems;

    NodeReader(Problems problems) {
        this.problems = problems;
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /**
     * The entries of a mapping by key, in written order, with null values left out (a key with an empty value is the
     * same as no key). Non-string keys, duplicate keys and keys outside {@code allowed} are problems.
     */
    Map<String, Entry> entries(MappingNode node, String path, List<String> allowed) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, Node> seen = new LinkedHashMap<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode) || YamlNodes.isNull(keyNode)) {
                problems.add(path, keyNode, "keys must be plain strings, found " + YamlNodes.describe(keyNode));
                continue;
            }
            String key = YamlNodes.text(keyNode);
            if (seen.containsKey(key)) {
                problems.add(
                        child(path, key),
                        keyNode,
                        "duplicate key '" + key + "' (first at line " + YamlNodes.line(seen.get(key)) + ")");
                continue;
            }
            seen.put(key, keyNode);
            if (allowed != null && !allowed.contains(key)) {
                problems.add(
                        child(path, key),
                        keyNode,
                        "unknown key '" + abbreviate(key, SPEC) + "'; allowed: " + String.join(", ", allowed));
                continue;
            }
            if (!YamlNodes.isNull(tuple.getValueNode())) {
                entries.put(key, new Entry(key, keyNode, tuple.getValueNode(), child(path, key)));
            }
        }
        return entries;
    }

    /** One mapping entry: its key (and key node, for positions), value node and path. */
    record Entry(String key, Node keyNode, Node value, String path) {}

    MappingNode mapping(Node node, String path, String expected) {
        if (node instanceof MappingNode m && Tag.MAP.equals(m.getTag())) {
            return m;
        }
        problems.add(path, node, "expected " + expected + ", found " + YamlNodes.describe(node));
        return null;
    }

    SequenceNode sequence(Node node, String path, String expected) {
        if (node instanceof SequenceNode s && Tag.SEQ.equals(s.getTag())) {
            return s;
        }
        problems.add(path, node, "expected " + expected + ", found " + YamlNodes.describe(node));
        return null;
    }

    /** A scalar's typed value (Long, Double, Boolean, String); null (with a problem) for null, collections, odd tags. */
    Object scalarValue(Node node, String path, String expected) {
        if (!(node instanceof ScalarNode scalar) || YamlNodes.isNull(node)) {
            problems.add(path, node, "expected " + expected + ", found " + YamlNodes.describe(node));
            return null;
        }
        try {
            Object value = YamlNodes.value(scalar);
            if (value instanceof String s && s.indexOf('\0') >= 0) {
                problems.add(
                        path,
                        node,
                        "contains a NUL character (\\0), which no command argument, environment variable"
                                + " or file name can hold");
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(path, node, e.getMessage());
            return null;
        }
    }

    /**
     * A scalar as text, exactly as written: {@code OMP_NUM_THREADS: 1} and {@code "1"} both give "1", and a float
     * keeps its spelling (1.50 stays "1.50"). Null, lists, mappings and unsupported tags are problems.
     */
    String text(Node node, String path, String expected) {
        Object value = scalarValue(node, path, expected);
        return value == null ? null : YamlNodes.text(node);
    }

    /** Text that must match {@code pattern}; {@code rule} explains the pattern in the message. */
    String name(Node node, String path, Pattern pattern, String rule) {
        String text = text(node, path, "a name");
        if (text != null && !pattern.matcher(text).matches()) {
            problems.add(path, node, "'" + abbreviate(text, SPEC) + "' is not a valid name: " + rule);
            return null;
        }
        return text;
    }

    Boolean bool(Node node, String path) {
        if (node instanceof ScalarNode && Tag.BOOL.equals(node.getTag())) {
            Object value = scalarValue(node, path, "true or false");
            return (Boolean) value;
        }
        problems.add(path, node, "expected true or false, found " + YamlNodes.describe(node));
        return null;
    }

    Long integer(Node node, String path) {
        if (node instanceof ScalarNode && Tag.INT.equals(node.getTag())) {
            return (Long) scalarValue(node, path, "an integer");
        }
        problems.add(path, node, "expected an integer, found " + YamlNodes.describe(node));
        return null;
    }

    /** An integer or float, as a finite Double. */
    Double number(Node node, String path) {
        if (node instanceof ScalarNode && (Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag()))) {
            Object value = scalarValue(node, path, "a number");
            if (value == null) {
                return null;
            }
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                problems.add(path, node, "expected a finite number, found " + YamlNodes.describe(node));
                return null;
            }
            return d;
        }
        problems.add(path, node, "expected a number, found " + YamlNodes.describe(node));
        return null;
    }

    /** Adds "X is required" at the mapping when none of the keys is present. */
    boolean require(Map<String, Entry> entries, String key, Node mapping, String path) {
        if (entries.containsKey(key)) {
            return true;
        }
        problems.add(child(path, key), mapping, key + " is required");
        return false;
    }
}
