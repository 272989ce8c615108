package io.baton.server.audit;

import io.baton.common.Hashing;
import io.baton.server.db.AuditRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The hash chain: an entry's hash is sha256 over its fields, each written as its length and its text (so no two
 * different entries read the same), and the previous entry's hash. The first entry's previous hash is 64 zeros.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /** The row {@code entry} becomes at {@code seq} after {@code prevHash}. */
    public static AuditRow link(AuditEntry e, long seq, String prevHash) {
        AuditRow unhashed = new AuditRow(
                seq,
                e.atMs(),
                e.userName(),
                e.userId(),
                e.tokenKind(),
                e.action(),
                e.objectType(),
                e.objectId(),
                e.project(),
                e.address(),
                e.status(),
                e.detail(),
                prevHash,
                null);
        return withHash(unhashed, hash(unhashed));
    }

    /** The hash {@code row} should have: its fields and its {@code prevHash}, not its stored {@code hash}. */
    public static String hash(AuditRow r) {
        MessageDigest sha = Hashing.sha256();
        field(sha, Long.toString(r.seq()));
        field(sha, Long.toString(r.atMs()));
        field(sha, r.userName());
        field(sha, r.userId());
        field(sha, r.tokenKind());
        field(sha, r.action());
        field(sha, r.objectType());
        field(sha, r.objectId());
        field(sha, r.project());
        field(sha, r.address());
        field(sha, Integer.toString(r.status()));
        field(sha, r.detail());
        field(sha, r.prevHash());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void field(MessageDigest sha, String value) {
        if (value == null) {
            sha.update("-1:".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(bytes);
    }

    private static AuditRow withHash(AuditRow r, String hash) {
        return new AuditRow(
                r.seq(),
                r.atMs(),
                r.userName(),
                r.userId(),
                r.tokenKind(),
                r.action(),
                r.objectType(),
                r.objectId(),
                r.project(),
                r.address(),
                r.status(),
                r.detail(),
                r.prevHash(),
                hash);
    }
}
