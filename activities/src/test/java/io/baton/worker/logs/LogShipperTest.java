package io.baton.worker.logs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.protocol.LogBatch;
import io.baton.protocol.PackedPoints;
import io.baton.worker.client.ServerClient;
import io.baton.worker.testing.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LogShipperTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long FAST = 20;
    private static final long NEVER = 3_600_000;

    @Test
    void linesFromStdoutAndStderrArriveWholeAndInOrder() throws Exception {
        Server server = new Server();
        List<String> outLines = lines("out", 3000);
        List<String> errLines = lines("err", 3000);
        try (LogShipper shipper = new LogShipper(server, FAST)) {
            CompletableFuture<Void> out =
                    CompletableFuture.runAsync(() -> writeInPieces(shipper.stdout(), outLines, 1));
            CompletableFuture<Void> err =
                    CompletableFuture.runAsync(() -> writeInPieces(shipper.stderr(), errLines, 2));
            CompletableFuture.allOf(out, err).get(30, TimeUnit.SECONDS);
        }

        List<String> received = Arrays.asList(server.text().split("\n", -1));
        assertThat(received.get(received.size() - 1)).isEmpty();
        List<String> lines = received.subList(0, received.size() - 1);
        assertThat(lines.stream().filter(l -> l.startsWith("out ")).toList()).containsExactlyElementsOf(outLines);
        assertThat(lines.stream().filter(l -> l.startsWith("err ")).toList()).containsExactlyElementsOf(errLines);
        assertThat(lines).hasSize(outLines.size() + errLines.size());
        assertThat(server.batches()).allSatisfy(b -> assertThat(b.text()).endsWith("\n"));
    }

    @Test
    void batchesEndOnAWholeLineEvenWhenOutputOutgrowsABatch() throws Exception {
        Server server = new Server();
        // More than one batch of 99-byte lines: a cut at exactly BATCH_BYTES would fall inside a line.
        List<String> many = lines("x".repeat(90), (LogShipper.BATCH_BYTES / 99) * 3);
        try (LogShipper shipper = new LogShipper(server, NEVER)) {
            writeInPieces(shipper.stdout(), many, 3);
        }

        assertThat(server.batches().size()).isGreaterThan(1);
        assertThat(server.batches()).allSatisfy(b -> {
            assertThat(b.text()).endsWith("\n");
            assertThat(b.text().length()).isLessThanOrEqualTo(LogShipper.BATCH_BYTES);
        });
        assertThat(server.text()).isEqualTo(String.join("\n", many) + "\n");
    }

    @Test
    void aBatchWhoseAnswerWasLostIsSentAgainUnchangedWithTheSameSeq() throws Exception {
        Server server = new Server();
        server.loseAnswers(3); // the server stores the batch, but the worker hears only an error
        StringBuilder written = new StringBuilder();
        try (LogShipper shipper = new LogShipper(server, FAST)) {
            OutputStream out = shipper.stdout();
            for (int i = 0; i < 4; i++) {
                String line = "line " + i + "\n";
                out.write(line.getBytes(UTF_8));
                written.append(line);
                int sent = i + 1;
                // New output arrives between the tries.
                Eventually.await(
                        sent + " send(s)", PATIENCE, () -> server.attempts().size() >= sent);
            }
        }

        assertThat(server.text()).isEqualTo(written.toString());
        Map<Long, List<LogBatch>> bySeq = server.attempts().stream()
                .collect(Collectors.groupingBy(LogBatch::seq, TreeMap::new, Collectors.toList()));
        assertThat(bySeq.get(0L)).hasSizeGreaterThan(1);
        bySeq.values().forEach(tries -> assertThat(tries).containsOnly(tries.get(0)));
        assertThat(bySeq.keySet())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, bySeq.size())
                        .boxed()
                        .toList());
    }

    @Test
    void aSinkThatFailsGetsTheSameDataAgainWithoutLossOrDuplication() throws Exception {
        Server server = new Server();
        server.refuse(5); // the server is away: nothing stored
        try (LogShipper shipper = new LogShipper(server, FAST)) {
            OutputStream out = shipper.stdout();
            out.write("one\ntwo\n".getBytes(UTF_8));
            Eventually.await(
                    "a refused send", PATIENCE, () -> !server.attempts().isEmpty());
            out.write("three\n".getBytes(UTF_8));
            Eventually.await(
                    "the server to take the logs", PATIENCE, () -> server.text().contains("three"));
        }

        assertThat(server.text()).isEqualTo("one\ntwo\nthree\n");
        List<LogBatch> firstBatch =
                server.attempts().stream().filter(b -> b.seq() == 0).toList();
        assertThat(firstBatch).hasSize(6).containsOnly(firstBatch.get(0));
    }

    @Test
    void writingNeverWaitsForASlowServer() throws Exception {
        Server server = new Server();
        CountDownLatch answer = new CountDownLatch(1);
        server.blockUntil(answer);
        StringBuilder written = new StringBuilder();
        try (LogShipper shipper = new LogShipper(server, FAST)) {
            OutputStream out = shipper.stdout();
            out.write("first\n".getBytes(UTF_8));
            written.append("first\n");
            Eventually.await(
                    "a send in progress", PATIENCE, () -> !server.attempts().isEmpty());

            CompletableFuture.runAsync(() -> {
                        for (String line : lines("while the server is slow", 2000)) {
                            write(out, line + "\n");
                            written.append(line).append('\n');
                        }
                    })
                    .get(10, TimeUnit.SECONDS);

            answer.countDown();
        }
        assertThat(server.text()).isEqualTo(written.toString());
    }

    @Test
    void jsonObjectsOnStdoutBecomePointsButNotOnStderr() throws Exception {
        Server server = new Server();
        try (LogShipper shipper = new LogShipper(server, NEVER)) {
            write(shipper.stdout(), "starting\n{\"epoch\": 1, \"loss\": 0.5, \"acc\": 0.75}\n");
            write(shipper.stderr(), "{\"epoch\": 1, \"loss\": 99}\n");
            write(shipper.stdout(), "{\"epoch\": 2, \"loss\": 0.25}\n");
        }

        List<Point> points =
                server.batches().stream().flatMap(b -> points(b).stream()).toList();
        assertThat(points)
                .extracting(Point::name, Point::value, Point::x, Point::seq)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("loss", 0.5, Map.of("epoch", 1), 0L),
                        org.assertj.core.groups.Tuple.tuple("acc", 0.75, Map.of("epoch", 1), 0L),
                        org.assertj.core.groups.Tuple.tuple("loss", 0.25, Map.of("epoch", 2), 1L));
        assertThat(server.text()).contains("{\"epoch\": 1, \"loss\": 99}\n");
    }

    @Test
    void pointsArePackedWithTheNumbersAsTheStepPrintedThem() throws Exception {
        Server server = new Server();
        try (LogShipper shipper = new LogShipper(server, NEVER)) {
            write(shipper.stdout(), "{\"step\": 7, \"loss\": 1e-05, \"acc\": 3, \"lr\": 0.10}\n{\"loss\": -0.5E+2}\n");
        }

        LogBatch batch = server.batches().get(0);
        assertThat(batch.packedMetrics()).containsOnlyKeys("loss", "acc", "lr");
        long time = points(batch).get(0).timeMillis();
        // a whole number is written as a floating-point one: values read back as numbers with a fraction
        assertThat(batch.packedMetrics().get("loss"))
                .matches("\\[\\[0,1e-05,\\d+,\\{\"step\":7}],\\[1,-0.5E\\+2,\\d+,null]]");
        assertThat(batch.packedMetrics().get("acc")).isEqualTo("[[0,3.0," + time + ",{\"step\":7}]]");
        assertThat(batch.packedMetrics().get("lr")).isEqualTo("[[0,0.10," + time + ",{\"step\":7}]]");
    }

    @Test
    void closeSendsATrailingPartialLine() throws Exception {
        Server server = new Server();
        LogShipper shipper = new LogShipper(server, NEVER);
        write(shipper.stdout(), "whole\nno newline at the end");
        write(shipper.stderr(), "err without newline");

        shipper.close();

        assertThat(server.text()).contains("whole\n", "no newline at the end\n", "err without newline\n");
        assertThat(server.text().split("\n")).hasSize(3);
    }

    @Test
    void flushesOnItsOwnEveryFlushMillis() throws Exception {
        Server server = new Server();
        try (LogShipper shipper = new LogShipper(server, FAST)) {
            write(shipper.stdout(), "hello\n");

            Eventually.await(
                    "the timer to send the line", PATIENCE, () -> server.text().equals("hello\n"));
        }
    }

    @Test
    void aVeryLongLineIsCutIntoLinesWithoutBreakingCharacters() throws Exception {
        Server server = new Server();
        String euros = "€".repeat(50_000); // 150,000 bytes, 3 per character: past the longest line kept whole
        try (LogShipper shipper = new LogShipper(server, NEVER)) {
            write(shipper.stdout(), euros + "\n");
            write(shipper.stderr(), "other\n");
        }

        assertThat(server.text()).doesNotContain("\uFFFD");
        assertThat(server.text().replace("other\n", "").replace("\n", "")).isEqualTo(euros);
        assertThat(server.text().split("\n")).contains("other");
    }

    private static List<String> lines(String prefix, int count) {
        Random random = new Random(count);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(prefix + " " + i + " " + "é-".repeat(random.nextInt(20)));
        }
        return lines;
    }

    /** Writes lines in pieces of odd sizes, so that writes end inside lines and inside characters. */
    private static void writeInPieces(OutputStream out, List<String> lines, int seed) {
        byte[] all = (String.join("\n", lines) + "\n").getBytes(UTF_8);
        Random random = new Random(seed);
        try {
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + random.nextInt(300));
                if (n == 1) {
                    out.write(all[at]);
                } else {
                    out.write(all, at, n);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A sink that stores batches as the server does: once per seq, the first one wins. */
    @Test
    void aBurstOfMetricLinesIsSentInBatchesOfBoundedWeightEachPointWithItsLine() throws Exception {
        Server server = new Server();
        int lines = 20_000;
        try (LogShipper shipper = new LogShipper(server, NEVER)) {
            OutputStream out = shipper.stdout();
            for (int i = 0; i < lines; i++) {
                out.write(("{\"step\": " + i + ", \"loss\": 0.5}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<LogBatch> batches = server.batches();
        assertThat(batches).hasSizeGreaterThan(1);
        for (LogBatch batch : batches) {
            long weight = batch.text().getBytes(StandardCharsets.UTF_8).length
                    + (long) points(batch).size() * LogShipper.POINT_BYTES;
            assertThat(weight).isLessThanOrEqualTo(LogShipper.BATCH_BYTES);
            // what travels: the batch's JSON stays within the weight's margin, far under the server's 1 MiB limit
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(batch).length)
                    .isLessThanOrEqualTo(LogShipper.BATCH_BYTES * 3 / 2);
            // every point travels with its own line: as many points as lines in the batch
            assertThat(points(batch)).hasSize((int) batch.text().lines().count());
        }
        assertThat(batches.stream().mapToInt(b -> points(b).size()).sum()).isEqualTo(lines);
        assertThat(batches.stream()
                        .flatMap(b -> points(b).stream())
                        .map(p -> p.x().get("step"))
                        .toList())
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, lines).boxed().toList());
    }

    /** Plain lines of many lengths among metric lines: cut at line ends into bounded batches. */
    @Test
    void mixedOutputIsCutAtLineEndsIntoBoundedBatchesEachPointWithItsLine() throws Exception {
        Random random = new Random(5);
        StringBuilder written = new StringBuilder();
        int metricLines = 0;
        for (int i = 0; i < 30_000; i++) {
            int kind = random.nextInt(100);
            if (kind < 60) {
                written.append("{\"step\": ").append(i).append(", \"loss\": 0.5, \"acc\": 1}\n");
                metricLines++;
            } else if (kind < 99) {
                written.append("x".repeat(random.nextInt(200))).append('\n');
            } else {
                written.append("y".repeat(1_000 + random.nextInt(60_000)))
                        .append('\n'); // under the longest line kept whole
            }
        }
        Server server = new Server();
        try (LogShipper shipper = new LogShipper(server, NEVER)) {
            write(shipper.stdout(), written.toString());
        }

        List<LogBatch> batches = server.batches();
        assertThat(batches.stream()
                        .map(LogBatch::text)
                        .collect(Collectors.joining())
                        .equals(written.toString()))
                .as("the batches hold the output as it was written")
                .isTrue();
        assertThat(batches).hasSizeGreaterThan(10);
        for (LogBatch batch : batches) {
            assertThat(batch.text()).endsWith("\n");
            List<Point> points = points(batch);
            long weight = batch.text().length() + (long) points.size() * LogShipper.POINT_BYTES;
            assertThat(weight).isLessThanOrEqualTo(LogShipper.BATCH_BYTES);
            assertThat(points)
                    .hasSize(2
                            * (int) batch.text()
                                    .lines()
                                    .filter(l -> l.startsWith("{"))
                                    .count());
        }
        assertThat(batches.stream().mapToInt(b -> points(b).size()).sum()).isEqualTo(2 * metricLines);
    }

    @Test
    void aSlowServerHoldsOneFlushingThreadNotOneMorePerTick() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<LogBatch> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        LogShipper.Sink slow = batch -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.add(batch);
        };
        long before = shipperThreads();
        try (LogShipper shipper = new LogShipper(slow, 5)) {
            for (int i = 0; i < 20; i++) {
                write(shipper.stdout(), "line " + i + "\n");
            }
            assertThat(entered.await(10, TimeUnit.SECONDS))
                    .as("the first send began")
                    .isTrue();
            for (int i = 20; i < 40; i++) {
                write(shipper.stdout(), "line " + i + "\n");
            }
            long ticks = LogShipper.ticksRun();
            Eventually.await(
                    "80 ticks while the server hangs",
                    Duration.ofSeconds(10),
                    () -> LogShipper.ticksRun() >= ticks + 80);
            assertThat(shipperThreads() - before)
                    .as("flushing threads added while the server hangs")
                    .isLessThanOrEqualTo(1);
            release.countDown();
        }
        assertThat(received.stream()
                        .map(LogBatch::text)
                        .collect(Collectors.joining())
                        .lines()
                        .count())
                .isEqualTo(40);
    }

    private static long shipperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("log-shipper"))
                .count();
    }

    @Test
    void aBatchTheServerRefusesIsDroppedAndTheOutputAfterItStillArrives() throws Exception {
        List<LogBatch> received = new ArrayList<>();
        boolean[] refusedOnce = {false};
        LogShipper.Sink refusing = batch -> {
            if (!refusedOnce[0]) {
                refusedOnce[0] = true;
                throw new ServerClient.ServerException("refused with 413", 413);
            }
            received.add(batch);
        };
        try (LogShipper shipper = new LogShipper(refusing, NEVER)) {
            shipper.stdout().write("first\n".getBytes(StandardCharsets.UTF_8));
            shipper.flush();
            shipper.stdout().write("second\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(received).extracting(LogBatch::text).containsExactly("second\n");
    }

    /** A point of a batch, read back with the codec the server reads it with. */
    private record Point(String name, long seq, double value, long timeMillis, Map<String, Object> x) {}

    /** The batch's points by sequence number (a line's points in the order they stood). */
    private static List<Point> points(LogBatch batch) {
        List<Point> points = new ArrayList<>();
        batch.packedMetrics()
                .forEach((name, text) -> assertThat(PackedPoints.read(
                                text,
                                (t, seqStart, seqEnd, valueStart, valueEnd, time, xStart, xEnd) -> points.add(new Point(
                                        name,
                                        Long.parseLong(t.substring(seqStart, seqEnd)),
                                        Double.parseDouble(t.substring(valueStart, valueEnd)),
                                        time,
                                        axes(t.substring(xStart, xEnd))))))
                        .as(text)
                        .isTrue());
        points.sort(Comparator.comparingLong(Point::seq));
        return points;
    }

    private static Map<String, Object> axes(String x) {
        try {
            return x.equals("null") ? Map.of() : new ObjectMapper().readValue(x, new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Server implements LogShipper.Sink {
        private final List<LogBatch> attempts = new ArrayList<>();
        private final TreeMap<Long, LogBatch> stored = new TreeMap<>();
        private int lostAnswers;
        private int refusals;
        private CountDownLatch gate;

        synchronized void loseAnswers(int n) {
            lostAnswers = n;
        }

        synchronized void refuse(int n) {
            refusals = n;
        }

        synchronized void blockUntil(CountDownLatch latch) {
            gate = latch;
        }

        @Override
        public void send(LogBatch batch) throws IOException {
            CountDownLatch wait;
            synchronized (this) {
                attempts.add(batch);
                wait = gate;
            }
            if (wait != null) {
                try {
                    wait.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            synchronized (this) {
                if (refusals > 0) {
                    refusals--;
                    throw new IOException("server away");
                }
                stored.putIfAbsent(batch.seq(), batch);
                if (lostAnswers > 0) {
                    lostAnswers--;
                    throw new IOException("answer lost");
                }
            }
        }

        synchronized List<LogBatch> attempts() {
            return List.copyOf(attempts);
        }

        synchronized List<LogBatch> batches() {
            return List.copyOf(stored.values());
        }

        synchronized String text() {
            return stored.values().stream().map(LogBatch::text).collect(Collectors.joining());
        }
    }
}
