package io.baton.server.metrics;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import io.baton.protocol.PackedPoints;
import io.baton.server.core.BatonException;
import io.baton.server.db.MetricDao;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks the packed points of a log batch, then stores them as they came with each metric's last value. */
public final class MetricIngest {
    private static final int MAX_NAME = 200;

    private MetricIngest() {}

    /** A metric's points as they came, checked, and its last point (what the run shows). */
    public record Series(String name, String points, long lastSeq, long lastTime, double lastValue) {}

    /** The series that hold points; 400 for any malformed one, before anything is stored. */
    public static List<Series> check(Map<String, String> packed) {
        List<Series> series = new ArrayList<>();
        for (var e : packed.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
                throw BatonException.badRequest("a metric name must be 1 to " + MAX_NAME + " characters");
            }
            LastPoint last = new LastPoint();
            if (!PackedPoints.read(e.getValue(), last)) {
                throw BatonException.badRequest("the points of metric '" + abbreviate(name, API)
                        + "' must be [[seq, value, timeMs, x or null], ...] with whole seq and timeMs, a finite value"
                        + " and an object or null for x");
            }
            if (last.count > 0) {
                series.add(new Series(name, e.getValue(), last.seq(), last.time, last.value()));
            }
        }
        return series;
    }

    /** Stores one batch's checked series, in the caller's transaction; a metric's last value moves only forward. */
    public static void store(
            MetricDao dao, String runId, String step, int attempt, long batchSeq, List<Series> series) {
        dao.insertChunks(
                runId,
                step,
                attempt,
                batchSeq,
                series.stream().map(Series::name).toList(),
                series.stream().map(Series::points).toList());
        for (Series s : series) {
            if (dao.updateLast(runId, s.name(), step, attempt, s.lastSeq(), s.lastTime(), s.lastValue()) == 0
                    && dao.countLast(runId, s.name()) == 0) {
                dao.insertLast(runId, s.name(), step, attempt, s.lastSeq(), s.lastTime(), s.lastValue());
            }
        }
    }

    private static final class LastPoint implements PackedPoints.Visitor {
        private int count;
        private long time;
        private String text;
        private int seqStart;
        private int seqEnd;
        private int valueStart;
        private int valueEnd;

        @Override
        public void point(
                String text,
                int seqStart,
                int seqEnd,
                int valueStart,
                int valueEnd,
                long timeMillis,
                int xStart,
                int xEnd) {
            count++;
            this.seqStart = seqStart;
            this.seqEnd = seqEnd;
            this.time = timeMillis;
            this.text = text;
            this.valueStart = valueStart;
            this.valueEnd = valueEnd;
        }

        @Override
        public void again() {
            count = 0;
        }

        long seq() {
            return Long.parseLong(text, seqStart, seqEnd, 10);
        }

        double value() {
            return Double.parseDouble(text.substring(valueStart, valueEnd));
        }
    }
}
