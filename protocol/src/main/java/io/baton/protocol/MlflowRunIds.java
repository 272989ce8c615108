package io.baton.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An attempt's MLflow run id, {@code <run id>_<12 hex digits of the step name's sha256>_<attempt>}: what MLflow's
 * run-id rule allows ({@code [a-zA-Z0-9][\w-]{0,255}}) whatever the step's name, and the same on worker and server.
 */
public final class MlflowRunIds {
    private static final Pattern ID = Pattern.compile("([0-9a-zA-Z-]{1,40})_([0-9a-f]{12})_([1-9][0-9]{0,8})");

    private MlflowRunIds() {}

    /** The parts of an id: Baton's run id, the step's hash and the attempt number. */
    public record Parts(String runId, String stepHash, int attempt) {}

    public static String of(String runId, String step, int attempt) {
        return runId + "_" + stepHash(step) + "_" + attempt;
    }

    public static String stepHash(String step) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(step.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parts of {@code id}, or null when it is not an attempt's MLflow run id. */
    public static Parts parse(String id) {
        Matcher m = id == null ? null : ID.matcher(id);
        if (m == null || !m.matches()) {
            return null;
        }
        return new Parts(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
    }
}
