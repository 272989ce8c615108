package io.baton.server.core;

import io.baton.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** sha256 of strings. */
public final class Hashes {
    private Hashes() {}

    public static String sha256(String text) {
        return HexFormat.of().formatHex(Hashing.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
