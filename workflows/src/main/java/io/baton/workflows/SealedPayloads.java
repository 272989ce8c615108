package io.baton.workflows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A Temporal payload codec that seals every payload with AES-256-GCM, so that only key holders read or forge a plan
 * (docs/architecture.md, "Sealed payloads and the record as the truth").
 */
public final class SealedPayloads implements PayloadCodec {
    static final String ENCODING = "binary/encrypted";
    static final String KEY_ID = "encryption-key-id";
    static final String CIPHER = "encryption-cipher";
    private static final String AES_GCM = "AES/GCM/NoPadding";
    private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
    private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(AES_GCM);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A cipher per thread: looking one up costs more than sealing a step's payload (GCM takes a new IV per init). */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(AES_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + AES_GCM, e);
        }
    });

    private final PayloadKeys keys;
    private final boolean acceptPlain;
    private final ByteString activeId;

    public SealedPayloads(PayloadKeys keys, boolean acceptPlain) {
        this.keys = keys;
        this.acceptPlain = acceptPlain;
        this.activeId = ByteString.copyFromUtf8(keys.activeId());
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        List<Payload> sealed = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            sealed.add(seal(payload));
        }
        return sealed;
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        List<Payload> opened = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            opened.add(open(payload));
        }
        return opened;
    }

    private Payload seal(Payload payload) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, iv));
            byte[] plain = payload.toByteArray();
            byte[] out = new byte[IV_BYTES + cipher.getOutputSize(plain.length)];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            cipher.doFinal(plain, 0, plain.length, out, IV_BYTES);
            return Payload.newBuilder()
                    .putMetadata("encoding", ENCODING_BYTES)
                    .putMetadata(CIPHER, CIPHER_BYTES)
                    .putMetadata(KEY_ID, activeId)
                    .setData(ByteString.copyFrom(out))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new DataConverterException("cannot seal a payload: " + e.getMessage(), e);
        }
    }

    private Payload open(Payload payload) {
        ByteString encoding = payload.getMetadataMap().get("encoding");
        if (!ENCODING_BYTES.equals(encoding)) {
            if (acceptPlain) {
                return payload;
            }
            throw new DataConverterException("refused a payload that is not sealed with Baton's payload key (encoding "
                    + (encoding == null ? "none" : encoding.toString(StandardCharsets.UTF_8)) + ")");
        }
        ByteString id = payload.getMetadataMap().get(KEY_ID);
        SecretKey key = id == null ? null : keys.find(id.toString(StandardCharsets.UTF_8));
        if (key == null) {
            throw new DataConverterException("refused a payload sealed with an unknown key ("
                    + (id == null ? "no key id" : id.toString(StandardCharsets.UTF_8)) + ")");
        }
        ByteBuffer data = payload.getData().asReadOnlyByteBuffer();
        if (data.remaining() < IV_BYTES + TAG_BITS / 8) {
            throw new DataConverterException("refused a sealed payload too short to be one");
        }
        try {
            Cipher cipher = CIPHERS.get();
            byte[] iv = new byte[IV_BYTES];
            data.get(iv);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            ByteBuffer plain = ByteBuffer.allocate(cipher.getOutputSize(data.remaining()));
            cipher.doFinal(data, plain);
            plain.flip();
            return Payload.parseFrom(plain);
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            throw new DataConverterException("refused a payload that fails its authentication (forged or changed)", e);
        }
    }
}
