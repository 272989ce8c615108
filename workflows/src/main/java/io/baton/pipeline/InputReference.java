package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a step's input names: {@code step/path}, {@code sha256:<hex>}, {@code dataset://[project/]name/3|@latest} or
 * {@code model://[project/]name/3|@alias} (for datasets and models exactly one of version and alias is set, and
 * {@code project} is null when the reference names none: the run's own project).
 */
public record InputReference(Kind kind, String name, String path, Long version, String alias, String project) {
    public enum Kind {
        STEP,
        ARTIFACT,
        DATASET,
        MODEL
    }

    private static final Pattern SHA256 = Pattern.compile("sha256:([0-9a-f]{64})");
    /** The one grammar of registry references: {@code [project/]name} then {@code /<version>} or {@code @alias}. */
    private static final Pattern REGISTRY = Pattern.compile("(dataset|model)://(?:([a-z0-9][a-z0-9-]{0,62})/)?"
            + "([A-Za-z0-9][A-Za-z0-9_.-]{0,127})(?:/([1-9][0-9]{0,17})|@([A-Za-z0-9][A-Za-z0-9_.-]{0,62}))");

    private static final Pattern STEP = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,62})/(.+)", Pattern.DOTALL);

    /** @throws IllegalArgumentException saying which forms are accepted */
    public static InputReference parse(String reference) {
        Matcher m = SHA256.matcher(reference);
        if (m.matches()) {
            return new InputReference(Kind.ARTIFACT, m.group(1), null, null, null, null);
        }
        if (reference.startsWith("sha256:")) {
            throw new IllegalArgumentException("'" + abbreviate(reference, SPEC)
                    + "' is not an artifact reference: expected sha256: followed by 64 lower-case hex digits");
        }
        m = REGISTRY.matcher(reference);
        if (m.matches()) {
            Kind kind = m.group(1).equals("dataset") ? Kind.DATASET : Kind.MODEL;
            Long version = m.group(4) == null ? null : Long.valueOf(m.group(4));
            String alias = m.group(5);
            if (kind == Kind.DATASET && alias != null && !alias.equals("latest")) {
                throw new IllegalArgumentException(
                        "dataset reference '" + reference + "' must end in /<version> or @latest");
            }
            return new InputReference(kind, m.group(3), null, version, alias, m.group(2));
        }
        if (reference.startsWith("dataset://") || reference.startsWith("model://")) {
            String scheme = reference.substring(0, reference.indexOf(':'));
            throw new IllegalArgumentException("'" + abbreviate(reference, SPEC) + "' is not a " + scheme
                    + " reference: expected " + scheme + "://[project/]name/<version> or " + scheme
                    + "://[project/]name@" + (scheme.equals("dataset") ? "latest" : "alias"));
        }
        m = STEP.matcher(reference);
        if (m.matches() && !reference.contains("://")) {
            String problem = Outputs.problem(m.group(2));
            if (problem != null) {
                throw new IllegalArgumentException("input path '" + abbreviate(m.group(2), SPEC) + "' " + problem);
            }
            return new InputReference(Kind.STEP, m.group(1), m.group(2), null, null, null);
        }
        throw new IllegalArgumentException("'" + abbreviate(reference, SPEC) + "' is not an input reference:"
                + " expected step/path, sha256:<64 hex digits>, dataset://[project/]name/<version>,"
                + " dataset://[project/]name@latest, model://[project/]name/<version> or model://[project/]name@alias");
    }

    /** The reference as {@code [project/]name/<version>} or {@code [project/]name@alias}, without its scheme. */
    public String registryName() {
        return (project == null ? "" : project + "/") + name + (version != null ? "/" + version : "@" + alias);
    }
}
