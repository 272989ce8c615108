package io.baton.server.secrets;

import io.baton.common.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values with AES-256-GCM (the JDK's JCA): a fresh random 96-bit nonce per value, and the project and
 * name as associated data, so that a sealed value copied into another row does not open.
 */
public final class SecretCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed value: base64 of nonce || ciphertext || tag, and the id of the key that sealed it. */
    public record Sealed(String keyId, String ciphertext) {}

    private final String activeId;
    private final Map<String, SecretKey> keys;

    private SecretCipher(String activeId, Map<String, SecretKey> keys) {
        this.activeId = activeId;
        this.keys = keys;
    }

    /**
     * Keys from their text: the base64 of 32 bytes (its id is derived from it), or {@code id:base64,...} with the
     * sealing key first and older ones after it (they still open what they sealed).
     */
    public static SecretCipher parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no secrets key");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String part : text.trim().split(",")) {
            String entry = part.trim();
            int colon = entry.indexOf(':');
            String encoded = colon < 0 ? entry : entry.substring(colon + 1).trim();
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a secrets key must be the base64 of 32 bytes (or id:base64)");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException(
                        "a secrets key must be the base64 of 32 bytes (AES-256), not of " + bytes.length);
            }
            String id = colon < 0
                    ? "k" + Hashing.sha256(encoded).substring(0, 12)
                    : entry.substring(0, colon).trim();
            if (id.isEmpty() || id.length() > 64 || keys.containsKey(id)) {
                throw new IllegalArgumentException("a secrets key's id must be 1-64 characters and unique");
            }
            keys.put(id, new SecretKeySpec(bytes, "AES"));
        }
        return new SecretCipher(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    /** A new key's text: the base64 of 32 random bytes. */
    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String activeId() {
        return activeId;
    }

    public Sealed seal(String project, String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated(project, name));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return new Sealed(activeId, Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** The value sealed for this project and name; fails when the key is unknown or anything was changed or moved. */
    public String open(String project, String name, Sealed sealed) throws GeneralSecurityException {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new GeneralSecurityException("secret '" + name + "' was sealed with key '" + sealed.keyId()
                    + "', which is not configured (secrets.key)");
        }
        byte[] in = Base64.getDecoder().decode(sealed.ciphertext());
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("secret '" + name + "' is too short to be sealed");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
        cipher.updateAAD(associated(project, name));
        byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        return new String(plain, StandardCharsets.UTF_8);
    }

    /** Binds a value to its row; a NUL cannot occur in a project's or secret's name, so no two pairs read alike. */
    private static byte[] associated(String project, String name) {
        return ("baton-secret\0" + project + "\0" + name).getBytes(StandardCharsets.UTF_8);
    }
}
