package io.baton.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedPointsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The points of a text as {@code seq value time x}; null when the text is not points. */
    static List<String> points(String text) {
        List<String> points = new ArrayList<>();
        boolean read = PackedPoints.read(text, new Collector(points));
        return read ? points : null;
    }

    private record Collector(List<String> points) implements PackedPoints.Visitor {
        @Override
        public void point(
                String text, int seqStart, int seqEnd, int valueStart, int valueEnd, long time, int xStart, int xEnd) {
            points.add(text.subSequence(seqStart, seqEnd) + " " + text.subSequence(valueStart, valueEnd) + " " + time
                    + " " + text.subSequence(xStart, xEnd));
        }

        @Override
        public void again() {
            points.clear();
        }
    }

    @Test
    void pointsAreReadAsTheyStandCompactOrNot() {
        assertThat(points("[[0,0.5,1000,{\"epoch\":1}],[1,2.0E-5,2000,null]]"))
                .containsExactly("0 0.5 1000 {\"epoch\":1}", "1 2.0E-5 2000 null");
        assertThat(points("[ [2, 1.0, 1700000000002, {\"epoch\": 2, \"phase\": \"v\\u00e4l\"}] ]"))
                .containsExactly("2 1.0 1700000000002 {\"epoch\":2,\"phase\":\"väl\"}");
        assertThat(points("[[0,1,1,{}]]")).containsExactly("0 1 1 {}");
        assertThat(points("[]")).isEmpty();
        for (String bad : List.of(
                "[[0,\"high\",1,null]]",
                "[[0,1e999,1,null]]",
                "[[0.5,1,1,null]]",
                "[[0,1,1,[2]]]",
                "[[0,1,1,null]] trailing",
                "{}",
                "[[0,1,1]]",
                "[[99999999999999999999,1,1,null]]")) {
            assertThat(points(bad)).as(bad).isNull();
        }
        assertThat(PackedPoints.read(null, new Collector(new ArrayList<>()))).isFalse();
    }

    @Test
    void aValueIsFiniteUnlessItsExponentOrLengthOverflowsADouble() {
        for (String finite : List.of("0", "-0.5", "123.456", "1e308", "-1.7E308", "1e-400", "9".repeat(300))) {
            assertThat(JsonNumbers.finite(finite)).as(finite).isTrue();
        }
        for (String infinite : List.of("1e999", "-2E309", "9".repeat(400), "1" + "0".repeat(320) + ".5")) {
            assertThat(JsonNumbers.finite(infinite)).as(infinite).isFalse();
        }
    }

    /** Texts at the edges of the packed form: what the one-pass reader accepts, the JSON parser reads alike. */
    @Test
    void theOnePassReaderAgreesWithTheJsonParser() throws Exception {
        List<String> texts = new ArrayList<>(List.of(
                "[]",
                "[[0,0.5,1,null]]",
                "[[0,-1.5e-3,1,{\"epoch\":2}]]",
                "[[0,01,1,null]]",
                "[[01,1,1,null]]",
                "[[0,1.,1,null]]",
                "[[0,-,1,null]]",
                "[[0,1,1,{}]]",
                "[[0,1,1,{\"\":1}]]",
                "[[0,1,1,{\"a\\\"b\":1}]]",
                "[ [0,1,1,null]]",
                "[[0,1,1,null],]",
                "[[0,1,1,null]]]",
                "[[-1,1,1,null]]",
                "[[0,1,-1,null]]",
                "[[9223372036854775807,1,1,null]]",
                "[[0,1,1,{\"a\":\"b\"}]]",
                "[[0,1e999,1,null]]",
                "[[0,1,1,nul]]",
                "[[0,1,1,null]][",
                "[[0,1,1,{\"a\":1,}]]",
                "[[0,1,1,{\"a\":1}],[1,2,2,null]]"));
        String[] pieces = {"[", "]", ",", "0", "7", "-", ".", "e", "1.5", "null", "{", "}", "\"epoch\"", ":", " ", "\""
        };
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder("[");
            for (int p = random.nextInt(3); p > 0; p--) {
                text.append("[")
                        .append(random.nextInt(3))
                        .append(",")
                        .append(random.nextBoolean() ? "0.5" : "-2e3")
                        .append(",")
                        .append(random.nextInt(5))
                        .append(",")
                        .append(random.nextBoolean() ? "null" : "{\"epoch\":" + random.nextInt(9) + "}")
                        .append("]")
                        .append(p > 1 ? "," : "");
            }
            text.append("]");
            for (int m = random.nextInt(3); m > 0; m--) { // a mutation or two: insert or replace a piece
                int at = random.nextInt(text.length() + 1);
                String piece = pieces[random.nextInt(pieces.length)];
                if (random.nextBoolean() && at < text.length()) {
                    text.replace(at, at + 1, piece);
                } else {
                    text.insert(at, piece);
                }
            }
            texts.add(text.toString());
        }
        int decided = 0;
        for (String text : texts) {
            List<String> compact = new ArrayList<>();
            if (PackedPoints.compact(text, new Collector(compact))) {
                decided++;
                List<String> parsed = new ArrayList<>();
                assertThat(PackedPoints.parsed(text, new Collector(parsed)))
                        .as(text)
                        .isTrue();
                assertThat(parsed).as(text).hasSameSizeAs(compact);
                for (int i = 0; i < parsed.size(); i++) {
                    String[] a = compact.get(i).split(" ", 4);
                    String[] b = parsed.get(i).split(" ", 4);
                    assertThat(b).as(text).startsWith(a[0], a[1], a[2]);
                    assertThat(MAPPER.readTree(b[3])).as(text).isEqualTo(MAPPER.readTree(a[3]));
                }
            }
        }
        assertThat(decided).as("texts the one-pass reader decided itself").isGreaterThan(5_000);
    }
}
