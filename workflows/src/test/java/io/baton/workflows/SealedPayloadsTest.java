package io.baton.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealedPayloadsTest {
    private static final PayloadKeys KEYS = PayloadKeys.parse(PayloadKeys.generate("k1"));
    private static final StepRequest REQUEST = new StepRequest(
            "run-1",
            "train",
            new StepRequest.Command(
                    null, List.of("python3", "train.py"), Map.of("API_KEY", "s3cret-value"), Map.of("lr", 0.1), null),
            new StepRequest.Limits(60_000, 0, 0),
            List.of(),
            List.of(),
            true);

    @Test
    void sealedPayloadHoldsNothingInClearAndReadsBack() {
        DataConverter converter = Payloads.sealed(new SealedPayloads(KEYS, false));
        Payload payload = converter.toPayload(REQUEST).orElseThrow();
        assertThat(payload.getData().toStringUtf8())
                .doesNotContain("s3cret-value")
                .doesNotContain("train.py");
        assertThat(payload.getMetadataMap().get(SealedPayloads.KEY_ID).toStringUtf8())
                .isEqualTo("k1");
        assertThat(converter.fromPayload(payload, StepRequest.class, StepRequest.class))
                .isEqualTo(REQUEST);
    }

    @Test
    void changedPayloadIsRefused() {
        SealedPayloads codec = new SealedPayloads(KEYS, false);
        Payload sealed = codec.encode(
                        List.of(Payloads.converter().toPayload(REQUEST).orElseThrow()))
                .get(0);
        byte[] data = sealed.getData().toByteArray();
        data[data.length - 20] ^= 1;
        Payload changed = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
        assertThatThrownBy(() -> codec.decode(List.of(changed)))
                .isInstanceOf(DataConverterException.class)
                .hasMessageContaining("authentication");
    }

    @Test
    void payloadSealedWithAnotherKeyOfTheSameIdIsRefused() {
        Payload foreign = new SealedPayloads(PayloadKeys.parse(PayloadKeys.generate("k1")), false)
                .encode(List.of(Payloads.converter().toPayload(REQUEST).orElseThrow()))
                .get(0);
        assertThatThrownBy(() -> new SealedPayloads(KEYS, false).decode(List.of(foreign)))
                .isInstanceOf(DataConverterException.class);
    }

    @Test
    void plainPayloadIsRefusedUnlessAccepted() {
        Payload plain = Payloads.converter().toPayload(REQUEST).orElseThrow();
        assertThatThrownBy(() -> new SealedPayloads(KEYS, false).decode(List.of(plain)))
                .isInstanceOf(DataConverterException.class)
                .hasMessageContaining("not sealed");
        assertThat(new SealedPayloads(KEYS, true).decode(List.of(plain))).containsExactly(plain);
    }

    @Test
    void rotatedKeysStillOpenWhatTheOldKeySealed() {
        String old = PayloadKeys.generate("k1");
        Payload sealedWithOld = new SealedPayloads(PayloadKeys.parse(old), false)
                .encode(List.of(Payloads.converter().toPayload(REQUEST).orElseThrow()))
                .get(0);
        PayloadKeys rotated = PayloadKeys.parse(PayloadKeys.generate("k2") + "," + old);
        SealedPayloads codec = new SealedPayloads(rotated, false);
        assertThat(Payloads.converter()
                        .fromPayload(codec.decode(List.of(sealedWithOld)).get(0), StepRequest.class, StepRequest.class))
                .isEqualTo(REQUEST);
        assertThat(codec.encode(List.of(sealedWithOld))
                        .get(0)
                        .getMetadataMap()
                        .get(SealedPayloads.KEY_ID)
                        .toStringUtf8())
                .isEqualTo("k2");
    }

    @Test
    void badKeysAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> PayloadKeys.parse("")).hasMessageContaining("BATON_PAYLOAD_KEY");
        assertThatThrownBy(() -> PayloadKeys.parse("k1:AAAA")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> PayloadKeys.parse("no-colon")).hasMessageContaining("id:base64");
    }

    /** The codec's cost on a step's payloads (a request and a result): printed, and bounded loosely. */
    @Test
    void sealingAndOpeningAStepRequestCostsMicroseconds() {
        SealedPayloads codec = new SealedPayloads(KEYS, false);
        Payload plain = Payloads.converter().toPayload(REQUEST).orElseThrow();
        for (int i = 0; i < 20_000; i++) {
            codec.decode(codec.encode(List.of(plain)));
        }
        int rounds = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            codec.decode(codec.encode(List.of(plain)));
        }
        double micros = (System.nanoTime() - start) / 1000.0 / rounds;
        System.out.printf("seal + open of a %d-byte step request: %.1f us%n", plain.getSerializedSize(), micros);
        assertThat(micros).isLessThan(1000);
    }
}
