package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Parameter values of a run: checking and coercing what was given, rendering values into text. */
public final class Parameters {
    private Parameters() {}

    /**
     * Every declared parameter, in spec order, mapped to the given value coerced to its type (String, Long, Double,
     * Boolean; an enum's matching choice), or to its default when not given.
     *
     * @throws SpecException with every problem at once (paths {@code parameters.NAME}, no line or column): a given
     *     name that is not declared, a value of the wrong type or outside min/max or choices, a required one missing
     */
    public static Map<String, Object> resolve(PipelineSpec spec, Map<String, Object> given) {
        Map<String, Object> values = given == null ? Map.of() : given;
        List<SpecProblem> problems = new ArrayList<>();
        Map<String, ParameterSpec> declared = new LinkedHashMap<>();
        spec.parameters().forEach(p -> declared.put(p.name(), p));
        for (String name : values.keySet()) {
            if (!declared.containsKey(name)) {
                String names = declared.isEmpty() ? "(none)" : String.join(", ", declared.keySet());
                problems.add(new SpecProblem(
                        "parameters." + name, null, null, "unknown parameter '" + name + "'; declared: " + names));
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            String path = "parameters." + p.name();
            Object value;
            if (values.containsKey(p.name())) {
                try {
                    value = coerce(p, values.get(p.name()), false);
                } catch (IllegalArgumentException e) {
                    problems.add(new SpecProblem(path, null, null, e.getMessage()));
                    continue;
                }
            } else if (p.defaultValue() != null) {
                value = p.defaultValue();
            } else {
                problems.add(new SpecProblem(
                        path, null, null, "parameter '" + p.name() + "' has no default, so a value must be given"));
                continue;
            }
            String rangeProblem = rangeProblem(p, value);
            if (rangeProblem != null) {
                problems.add(new SpecProblem(path, null, null, rangeProblem));
                continue;
            }
            resolved.put(p.name(), value);
        }
        if (!problems.isEmpty()) {
            throw new SpecException(problems);
        }
        return Collections.unmodifiableMap(resolved);
    }

    /**
     * Converts a value to the parameter's type. {@code strict} is for defaults written in the spec, where YAML already
     * typed the value: a quoted "3" is then not an integer. Run parameters (JSON, command line) are lenient: "3", 3 and
     * 3.0 all make the integer 3.
     *
     * @throws IllegalArgumentException saying what was expected and what was found
     */
    static Object coerce(ParameterSpec p, Object value, boolean strict) {
        String name = p.name();
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' must not be null");
        }
        switch (p.type()) {
            case STRING:
                if (value instanceof Map || value instanceof List) {
                    throw wrong(name, "a string", value);
                }
                if (render(value).indexOf('\0') >= 0) {
                    throw new IllegalArgumentException(
                            "parameter '" + name + "' contains a NUL character (\\u0000), which"
                                    + " no command argument or environment variable can hold");
                }
                return render(value);
            case INTEGER: {
                BigDecimal number = number(name, value, strict);
                if (number == null) {
                    throw wrong(name, "an integer", value);
                }
                if (number.stripTrailingZeros().scale() > 0) {
                    throw wrong(name, "an integer", value);
                }
                try {
                    return number.toBigIntegerExact().longValueExact();
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException(
                            "parameter '" + name + "' is out of the 64-bit integer range: " + render(value));
                }
            }
            case FLOAT: {
                BigDecimal number = number(name, value, strict);
                if (number == null) {
                    throw wrong(name, "a number", value);
                }
                double d = number.doubleValue();
                if (Double.isInfinite(d)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is too large: " + render(value));
                }
                return d;
            }
            case BOOLEAN:
                if (value instanceof Boolean b) {
                    return b;
                }
                if (!strict
                        && value instanceof String s
                        && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
                    return Boolean.valueOf(s.trim().toLowerCase(Locale.ROOT));
                }
                throw wrong(name, "true or false", value);
            case ENUM:
                for (Object choice : p.choices()) {
                    if (choice.equals(value)) {
                        return choice;
                    }
                }
                if (!(value instanceof Map || value instanceof List)) {
                    // "1" given on a command line still picks the choice 1; compare what a user would see.
                    String text = render(value);
                    for (Object choice : p.choices()) {
                        if (render(choice).equals(text)) {
                            return choice;
                        }
                    }
                }
                throw new IllegalArgumentException("parameter '" + name + "' must be one of "
                        + p.choices().stream().map(Parameters::render).collect(Collectors.joining(", ")) + ", got "
                        + describe(value));
            default:
                throw new IllegalStateException("unknown type " + p.type());
        }
    }

    /**
     * The value as a number, or null when it is none (a string counts only when not strict). Its size is bounded
     * ({@link Numbers}) before anything else is done with it.
     */
    private static BigDecimal number(String name, Object value, boolean strict) {
        try {
            return unboundedNumber(value, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + name + "': " + e.getMessage());
        }
    }

    private static BigDecimal unboundedNumber(Object value, boolean strict) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return Numbers.bounded(new BigDecimal(b), b.toString());
        }
        if (value instanceof BigDecimal b) {
            return Numbers.bounded(b, b.toString());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(render(value)) : null;
        }
        if (!strict && value instanceof String s) {
            return Numbers.decimal(s.trim().replace("_", ""));
        }
        return null;
    }

    /** Null when within min/max (or not numeric), else the problem. */
    static String rangeProblem(ParameterSpec p, Object value) {
        if (!(value instanceof Number n)) {
            return null;
        }
        double v = n.doubleValue();
        if (p.min() != null && v < p.min()) {
            return "parameter '" + p.name() + "' is " + render(value) + ", below the minimum " + bound(p, p.min());
        }
        if (p.max() != null && v > p.max()) {
            return "parameter '" + p.name() + "' is " + render(value) + ", above the maximum " + bound(p, p.max());
        }
        return null;
    }

    /** min/max are stored as Double; an integer parameter's bound reads better as "12" than "12.0". */
    static String bound(ParameterSpec p, double bound) {
        if (p.type() == ParameterType.INTEGER && bound == Math.rint(bound) && Math.abs(bound) < 1e18) {
            return Long.toString((long) bound);
        }
        return render(bound);
    }

    private static IllegalArgumentException wrong(String name, String expected, Object value) {
        return new IllegalArgumentException(
                "parameter '" + name + "' must be " + expected + ", got " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "string '" + abbreviate(s, SPEC) + "'";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return render(value);
    }

    /**
     * A value as it goes into a command argument or environment variable: as in JSON, but strings without quotes.
     * Doubles are written in plain decimal, never in exponent form, and keep ".0" when whole: 1.0 -> "1.0",
     * 0.1 -> "0.1", 1e-5 -> "0.00001".
     */
    public static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            // Float.toString for floats: 0.1f must render "0.1", not its double expansion 0.10000000149...
            BigDecimal exact = value instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
            return plain(exact, true);
        }
        if (value instanceof BigDecimal b) {
            return plain(b, false);
        }
        return value.toString();
    }

    private static String plain(BigDecimal number, boolean keepPoint) {
        String s = number.stripTrailingZeros().toPlainString();
        return keepPoint && s.indexOf('.') < 0 ? s + ".0" : s;
    }

    /** The environment variable a parameter is given as: {@code BATON_PARAM_} and the name upper-cased, other chars _. */
    public static String envName(String parameterName) {
        return "BATON_PARAM_" + parameterName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
