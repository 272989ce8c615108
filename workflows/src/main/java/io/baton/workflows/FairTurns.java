package io.baton.workflows;

import io.temporal.common.Priority;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A run's turn in Temporal's queues (Task Queue Priority and Fairness): the run's priority first, then fair turns
 * between users (the submitter is the fairness key), each user's turns weighted by their project's share.
 */
public final class FairTurns {
    /** Temporal takes fairness keys of at most 64 bytes. */
    static final int MAX_KEY_BYTES = 64;

    private FairTurns() {}

    public static Priority priority(RunPlan plan) {
        Priority.Builder priority =
                Priority.newBuilder().setPriorityKey(plan.priority()).setFairnessKey(key(plan.createdBy()));
        if (plan.share() != null && plan.share() > 0) {
            priority.setFairnessWeight(plan.share().floatValue());
        }
        return priority.build();
    }

    /** The user's name, or for a name longer than Temporal takes, its start and a digest of the whole (still unique). */
    static String key(String user) {
        if (user == null) {
            return "";
        }
        byte[] bytes = user.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_KEY_BYTES) {
            return user;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String hex = HexFormat.of().formatHex(digest, 0, 12);
            // the names are ASCII (UserService.NAME): 39 characters, '~' and 24 hex digits make 64 bytes
            return user.substring(0, MAX_KEY_BYTES - 1 - hex.length()) + "~" + hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
