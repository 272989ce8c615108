package io.baton.worker.logs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.LogBatch;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LogShipperSecretsTest {
    private static final String VALUE = "hunter2-s3cr3t-value";
    private static final long NEVER = 3_600_000;

    private final List<LogBatch> batches = new CopyOnWriteArrayList<>();

    private String shipped() {
        StringBuilder all = new StringBuilder();
        batches.forEach(b -> all.append(b.text()).append(b.packedMetrics()));
        return all.toString();
    }

    private String text() {
        StringBuilder all = new StringBuilder();
        batches.forEach(b -> all.append(b.text()));
        return all.toString();
    }

    @Test
    void masksAValueInStdoutStderrAndMetricLines() throws Exception {
        try (LogShipper shipper = new LogShipper(batches::add, NEVER, SecretMask.of(List.of(VALUE)))) {
            shipper.stdout().write(("token=" + VALUE + " twice " + VALUE + "\n").getBytes(UTF_8));
            shipper.stderr().write(("error: " + VALUE + "\n").getBytes(UTF_8));
            shipper.stdout().write(("{\"" + VALUE + "\": 1, \"loss\": 0.5}\n").getBytes(UTF_8));
        }
        assertThat(text()).contains("token=*** twice ***\n", "error: ***\n");
        assertThat(shipped()).doesNotContain(VALUE).doesNotContain("s3cr3t");
        // the metric line is read after masking: its points are still there, under the masked name
        assertThat(batches.stream().flatMap(b -> b.packedMetrics().keySet().stream()))
                .contains("loss", "***");
    }

    @Test
    void masksAValueWrittenInPiecesAndOneCutByTheEndOfAVeryLongLine() throws Exception {
        try (LogShipper shipper = new LogShipper(batches::add, NEVER, SecretMask.of(List.of(VALUE)))) {
            OutputStream out = shipper.stdout();
            byte[] value = VALUE.getBytes(UTF_8);
            out.write(value, 0, 5);
            out.write(value, 5, value.length - 5);
            out.write('\n');
            // a line longer than the longest piece the shipper keeps, with the value across where it would cut
            out.write("x".repeat(LogShipper.MAX_LINE - 7).getBytes(UTF_8));
            out.write((VALUE + " end\n").getBytes(UTF_8));
        }
        assertThat(text()).startsWith("***\n").contains("*** end\n").doesNotContain(VALUE);
        assertThat(text()).doesNotContain(VALUE.substring(0, 7)).doesNotContain(VALUE.substring(7));
    }

    @Test
    void masksEachLongEnoughLineOfAValueOfSeveralLines() throws Exception {
        String pem = "-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASC\nab\n-----END KEY-----";
        try (LogShipper shipper = new LogShipper(batches::add, NEVER, SecretMask.of(List.of(pem)))) {
            shipper.stdout().write(("key:\n" + pem + "\nab cd\n").getBytes(UTF_8));
        }
        assertThat(text()).doesNotContain("MIIBVwIBADANBgkqhkiG9w0BAQEFAASC").contains("key:\n***\n***\n");
        // a line of the value shorter than SecretMask.MIN_LINE_OF_VALUE stays, or "ab" would be masked everywhere
        assertThat(text()).contains("ab cd\n");
    }

    @Test
    void masksTheLongerOfTwoValuesWholeWhenOneHoldsTheOther() {
        SecretMask mask = SecretMask.of(List.of("abcd", "xxabcdxx"));
        assertThat(mask.mask("1 xxabcdxx 2 abcd 3")).isEqualTo("1 *** 2 *** 3");
        assertThat(SecretMask.of(List.of("")).isEmpty()).isTrue();
    }
}
