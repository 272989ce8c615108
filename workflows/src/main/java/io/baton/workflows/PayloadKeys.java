package io.baton.workflows;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal what crosses Temporal, by key id. Written {@code id:base64,id:base64,...}: the first
 * key seals, every key opens, so that a key can be rotated (add the new one first, drop the old one once no history
 * needs it).
 */
public final class PayloadKeys {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private final String activeId;
    private final Map<String, SecretKey> keys;

    private PayloadKeys(String activeId, Map<String, SecretKey> keys) {
        this.activeId = activeId;
        this.keys = Map.copyOf(keys);
    }

    /** Reads {@code id:base64[,id:base64...]}; each key is 32 random bytes. */
    public static PayloadKeys parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "no payload key: set BATON_PAYLOAD_KEY (id:base64 of 32 bytes) or " + "BATON_PAYLOAD_KEY_FILE");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String first = null;
        for (String entry : text.trim().split("\\s*,\\s*")) {
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "a payload key is written id:base64, the id of 1-64 letters, digits" + " and _.-");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("payload key '" + id + "' is not base64");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException(
                        "payload key '" + id + "' must be 32 bytes (AES-256), not " + bytes.length);
            }
            keys.put(id, new SecretKeySpec(bytes, "AES"));
            first = first == null ? id : first;
        }
        return new PayloadKeys(first, keys);
    }

    /** A new key, written as {@link #parse} reads it. */
    public static String generate(String id) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return id + ":" + Base64.getEncoder().encodeToString(bytes);
    }

    String activeId() {
        return activeId;
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    SecretKey find(String id) {
        return keys.get(id);
    }
}
