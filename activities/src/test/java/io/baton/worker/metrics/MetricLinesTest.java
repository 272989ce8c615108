package io.baton.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricLinesTest {
    /** The line's metrics as {@code name=value ... x=axes}; null when it has none. */
    private static String read(String line) {
        MetricLines.Line read = MetricLines.read(line);
        return read == null ? null : read.toString();
    }

    @Test
    void numericFieldsBecomePointsAndAxisFieldsTheirX() {
        assertThat(read("{\"epoch\": 3, \"loss\": 0.21, \"acc\": 0.9}")).isEqualTo("loss=0.21 acc=0.9 x={\"epoch\":3}");
    }

    @Test
    void everyAxisFieldGoesToX() {
        assertThat(read("{\"step\": 120, \"batch\": 4, \"iteration\": 9, \"x\": 1.5, \"lr\": 0.001}"))
                .isEqualTo("lr=0.001 x={\"step\":120,\"batch\":4,\"iteration\":9,\"x\":1.5}");
        assertThat(read("{\"epoch\": 3}")).isNull();
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(read("  \t{\"loss\": 1.5}  \r\n")).isEqualTo("loss=1.5 x=null");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "epoch 3 loss 0.21",
                "[1, 2, 3]",
                "\"loss\"",
                "42",
                "{}",
                "{not json}",
                "{'loss': 0.5}",
                "{\"loss\": NaN}",
                "{\"loss\": Infinity}",
                "{\"loss\": 1e999}",
                "{\"done\": true, \"name\": \"resnet\", \"list\": [1], \"nested\": {\"loss\": 1}, \"none\": null}",
                "{\"loss\": 0.5} and then some text {\"acc\": 1}",
                "{\"loss\": 0.5}}",
                ""
            })
    void ignoresLinesAndFieldsThatAreNotNumbers(String line) {
        assertThat(read(line)).isNull();
    }

    @Test
    void aNameGivenTwiceCountsOnceWithItsLastValue() {
        assertThat(read("{\"loss\": 1, \"acc\": 0.5, \"loss\": 2, \"epoch\": 1, \"epoch\": 4}"))
                .isEqualTo("loss=2.0 acc=0.5 x={\"epoch\":4}");
        assertThat(read("{\"loss\": 1, \"loss\": \"n/a\"}")).isNull();
    }

    @Test
    void keepsTheNumbersOfALineThatAlsoHoldsOtherValues() {
        assertThat(read("{\"phase\": \"val\", \"ok\": true, \"loss\": 2, \"epoch\": \"3\"}"))
                .isEqualTo("loss=2.0 x=null");
    }

    @Test
    void valuesKeepTheTextTheStepPrintedWholeNumbersAsFloatingPoint() {
        MetricLines.Line line =
                MetricLines.read("{\"epoch\": 2, \"loss\": 1e-05, \"acc\": 3, \"lr\": 0.10, \"big\": -12E+3}");

        assertThat(line.toString()).isEqualTo("loss=1e-05 acc=3.0 lr=0.10 big=-12E+3 x={\"epoch\":2}");
        assertThat(MetricLines.read("not a record")).isNull();
    }

    /** Lines at the edges of JSON's grammar: the one-pass reader decides each as the streaming parser does. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"loss\": 01}",
                "{\"loss\": 1.}",
                "{\"loss\": .5}",
                "{\"loss\": -}",
                "{\"loss\": 1e}",
                "{\"loss\": +1}",
                "{\"loss\": 1x}",
                "{\"loss\": 0x10}",
                "{\"loss\": tru}",
                "{\"loss\": truex, \"a\": 1}",
                "{\"a\": 1,}",
                "{,}",
                "{\"a\" 1}",
                "{\"a\": 1 \"b\": 2}",
                "{\"a\\n\": 1}",
                "{\"a\": \"x\\\"y\", \"b\": 2}",
                "{\"a\": 1}}",
                "{\"a\": 1} {\"b\": 2}",
                "{\"epoch\": 1e400, \"loss\": 1}",
                "{\"loss\": 1e-400}",
                "{\"loss\": -0}",
                "{\"loss\": 123456789012345678901234567890, \"step\": 123456789012345678901234567890}",
                "{\"\u03bb\": 0.5}",
                "{\"a\": \"tab\there\", \"b\": 1}",
                "{\"a\": [1], \"b\": 2}",
                "{\"a\": {\"c\": 1}, \"b\": 2}",
                "{\n\"a\":\t1\r}",
                "{\"a\": 1, \"a\": \"x\", \"b\": 2, \"a\": 3}",
                "{\"a\": null, \"b\": false, \"c\": true}",
                "{\"step\": 1, \"step\": \"x\", \"loss\": 2}",
                "{\"x\": 0.5, \"epoch\": 2, \"x\": 1, \"y\": 1}",
                "{\"a\": 1\u000b}",
                "{\"a\":1}",
                "{ }",
                "{\"a\": \"}\"}",
                "{\"a\": 1e+}",
                "{\"a\": -01}",
                "{\"a\": 1.5e-3}",
                "{\"a\": -0, \"step\": -0}",
                "{\"a\": -0.0, \"epoch\": -0e0}"
            })
    void theOnePassReaderAgreesWithTheStreamingParser(String line) {
        assertSameAsStreamingParser(line);
    }

    @Test
    void theOnePassReaderAgreesWithTheStreamingParserOnRandomLines() {
        String[] pieces = {
            "{",
            "}",
            "\"loss\"",
            "\"step\"",
            "\"epoch\"",
            "\"a b\"",
            ":",
            ",",
            " ",
            "\t",
            "1",
            "-2",
            "0.5",
            "1e3",
            "-0.0E-2",
            "01",
            ".",
            "e",
            "\"\"",
            "\"v\"",
            "true",
            "false",
            "null",
            "[",
            "]",
            "\\",
            "x",
            "+"
        };
        java.util.Random random = new java.util.Random(42);
        int flat = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder line = new StringBuilder("{");
            int fields = random.nextInt(4);
            for (int f = 0; f < fields; f++) {
                // mostly well-formed fields, with a random piece here and there
                line.append(f > 0 ? ", " : "")
                        .append(
                                random.nextInt(5) == 0
                                        ? pieces[random.nextInt(pieces.length)]
                                        : pieces[2 + random.nextInt(4)])
                        .append(random.nextInt(8) == 0 ? pieces[random.nextInt(pieces.length)] : ": ")
                        .append(pieces[random.nextInt(pieces.length)]);
            }
            line.append(random.nextInt(10) == 0 ? pieces[random.nextInt(pieces.length)] : "")
                    .append('}');
            if (new MetricLines.Reader().flat(line.toString(), 0, line.length()) != MetricLines.NOT_FLAT) {
                flat++;
            }
            assertSameAsStreamingParser(line.toString());
        }
        assertThat(flat).as("lines the one-pass reader decided itself").isGreaterThan(5_000);
    }

    @Test
    void aNameTooLongForTheStreamingParserMakesTheLineNoRecordAndHugeWholeAxesStay() {
        assertThat(MetricLines.read("{\"" + "n".repeat(50_001) + "\": 1, \"loss\": 0.5}"))
                .isNull();
        assertThat(MetricLines.read("{\"" + "n".repeat(50_000) + "\": 1, \"loss\": 0.5}"))
                .isNotNull();
        String huge = "9".repeat(400);
        assertThat(MetricLines.read("{\"step\": " + huge + ", \"loss\": 0.5}").x())
                .isEqualTo("{\"step\":" + huge + "}");
        assertThat(MetricLines.read("{\"loss\": -0, \"step\": -0}").toString()).isEqualTo("loss=0.0 x={\"step\":0}");
    }

    private static void assertSameAsStreamingParser(String line) {
        MetricLines.Line flat = new MetricLines.Reader().flat(line, 0, line.length());
        if (flat != MetricLines.NOT_FLAT) {
            assertThat(String.valueOf(flat)).as(line).isEqualTo(String.valueOf(MetricLines.slow(line)));
        }
    }
}
