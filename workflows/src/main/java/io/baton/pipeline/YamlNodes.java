package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML text into SnakeYAML's node tree (never into Java objects, so no type can be instantiated) and turns
 * scalar nodes into plain values. Package-private: the rest of the package talks in {@link SpecProblem}s.
 */
final class YamlNodes {
    /** Anchors/aliases are allowed, but an alias bomb is not: a spec has no reason to reuse 50+ collections. */
    static final int MAX_ALIASES_FOR_COLLECTIONS = 50;
    /** A spec is a few levels deep (steps / step / retries / ...); anything deeper is abuse. */
    static final int NESTING_DEPTH_LIMIT = 30;
    /** 1 MiB of text is far more than any pipeline needs; the HTTP layer has its own (413) limit too. */
    static final int CODE_POINT_LIMIT = 1024 * 1024;

    private YamlNodes() {}

    /**
     * Composes exactly one document. Returns null for an empty stream. Throws SnakeYAML's YAMLException
     * (usually a MarkedYAMLException with a position) for text that is not YAML or holds several documents.
     */
    static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(NESTING_DEPTH_LIMIT);
        options.setCodePointLimit(CODE_POINT_LIMIT);
        // '<<: *defaults' is handy for steps sharing settings; let the composer flatten it so we see plain keys.
        options.setMergeOnCompose(true);
        Composer composer = new Composer(
                new ParserImpl(new StreamReader(new StringReader(text)), options), new CoreSchemaResolver(), options);
        return composer.getSingleNode();
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static int column(Node node) {
        return node.getStartMark().getColumn() + 1;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** The scalar's text exactly as written (without quotes), or null for a non-scalar. */
    static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** What the node is, for messages: "a list", "a mapping", "integer 3", "string 'abc'", "null". */
    static String describe(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        if (Tag.INT.equals(tag)) {
            return "integer " + scalar.getValue();
        }
        if (Tag.FLOAT.equals(tag)) {
            return "float " + scalar.getValue();
        }
        if (Tag.BOOL.equals(tag)) {
            return "boolean " + scalar.getValue();
        }
        if (Tag.STR.equals(tag)) {
            return "string '" + abbreviate(scalar.getValue(), SPEC) + "'";
        }
        return "a value tagged " + tagName(tag.getValue());
    }

    /** {@code tag:yaml.org,2002:binary} as the user wrote it, {@code !!binary}. */
    static String tagName(String tag) {
        return tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
    }

    /** The message for a tag we do not turn into a value. */
    static String unsupportedTag(String tag) {
        return "unsupported YAML tag " + abbreviate(tagName(tag), SPEC)
                + "; only strings, numbers, booleans, null, lists and mappings are allowed";
    }

    /**
     * The typed value of a scalar: Long, Double, Boolean, String, or null for YAML null.
     *
     * @throws IllegalArgumentException for a tag we do not support (e.g. {@code !!binary}, {@code !python/...}) or an
     *     explicitly tagged value that does not parse ({@code !!int abc}); the message says which.
     */
    static Object value(ScalarNode node) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.STR.equals(tag)) {
            return text;
        }
        if (Tag.BOOL.equals(tag)) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            throw new IllegalArgumentException("'" + abbreviate(text, SPEC) + "' is not true or false");
        }
        if (Tag.INT.equals(tag)) {
            return parseInt(text);
        }
        if (Tag.FLOAT.equals(tag)) {
            return parseFloat(text);
        }
        throw new IllegalArgumentException(unsupportedTag(tag.getValue()));
    }

    private static Long parseInt(String text) {
        String t = text.replace("_", "");
        if (t.length() > Numbers.MAX_CHARS) { // a BigInteger of a million digits costs seconds
            throw new IllegalArgumentException("integer " + abbreviate(text, SPEC) + " is out of range");
        }
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            BigInteger v;
            if (t.startsWith("0x")) {
                v = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0o")) {
                v = new BigInteger(t.substring(2), 8);
            } else {
                // YAML 1.2 core schema: a leading zero does NOT mean octal (010 is ten).
                v = new BigInteger(t, 10);
            }
            if (negative) {
                v = v.negate();
            }
            return v.longValueExact();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + abbreviate(text, SPEC) + "' is not an integer");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("integer " + abbreviate(text, SPEC) + " is out of range");
        }
    }

    private static Double parseFloat(String text) {
        String t = text.replace("_", "");
        switch (t) {
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
                return Double.POSITIVE_INFINITY;
            case "-.inf", "-.Inf", "-.INF":
                return Double.NEGATIVE_INFINITY;
            case ".nan", ".NaN", ".NAN":
                return Double.NaN;
            default:
                if (t.length() > Numbers.MAX_CHARS) {
                    throw new IllegalArgumentException("the number " + abbreviate(text, SPEC) + " has more than "
                            + Numbers.MAX_CHARS + " characters");
                }
                try {
                    return new BigDecimal(t).doubleValue();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + abbreviate(text, SPEC) + "' is not a number");
                }
        }
    }

    /**
     * Resolves plain scalars by the YAML 1.2 core schema instead of SnakeYAML's YAML 1.1 one: {@code yes}, {@code no},
     * {@code on}, {@code off}, {@code 1:30} and dates stay strings, so a value means what it looks like (the "Norway
     * problem": a country code {@code NO} must not turn into false).
     */
    static final class CoreSchemaResolver extends Resolver {
        private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern CORE_INT = Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$");
        private static final Pattern CORE_FLOAT = Pattern.compile(
                "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
        private static final Pattern CORE_NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
        private static final Pattern CORE_MERGE = Pattern.compile("^(?:<<)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF", 10);
            addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789", 100);
            addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.", 100);
            addImplicitResolver(Tag.MERGE, CORE_MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, CORE_NULL, "~nN\0", 10);
        }
    }
}
