package io.baton.server.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.baton.protocol.PackedPoints;
import io.baton.server.api.MetricsView;
import io.baton.server.core.Json;
import io.baton.server.db.MetricChunkRow;
import io.baton.server.db.MetricDao;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes {@code GET /api/v1/runs/{id}/metrics} from the stored packed points, copying their numbers as text: a run's
 * points never become objects (docs/architecture.md, "Metrics"). One answer a writer.
 */
public final class MetricsWriter {
    private final Jdbi jdbi;
    private final InstantText times = new InstantText();
    /** The points of the chunk being copied, each after a comma. */
    private final StringBuilder compact = new StringBuilder(1 << 16);

    private char[] chars = new char[1 << 16];

    public MetricsWriter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The series of the run, by step, attempt and name; each series' points in order, as its chunks come by batch and
     * a chunk's points are in order.
     */
    public void write(String runId, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("series");
            String[] open = {null};
            jdbi.useHandle(h -> h.attach(MetricDao.class).chunks(runId).forEach(chunk -> {
                try {
                    String series = chunk.step() + "\u0000" + chunk.attempt() + "\u0000" + chunk.name();
                    if (!Objects.equals(series, open[0])) {
                        if (open[0] != null) {
                            json.writeEndArray();
                            json.writeEndObject();
                        }
                        open[0] = series;
                        json.writeStartObject();
                        json.writeStringField("step", chunk.step());
                        json.writeNumberField("attempt", chunk.attempt());
                        json.writeStringField("name", chunk.name());
                        json.writeArrayFieldStart("points");
                    }
                    copyPoints(chunk, json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            if (open[0] != null) {
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** The same answer as objects (for the run's record). */
    public MetricsView view(String runId) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(runId, out);
            return Json.MAPPER.readValue(out.toByteArray(), MetricsView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [[seq, value, timeMs, x], ...]} as {@code {"seq", "value", "time", "x"}} objects, in one raw value. */
    private void copyPoints(MetricChunkRow chunk, JsonGenerator json) throws IOException {
        compact.setLength(0);
        if (!PackedPoints.read(chunk.points(), copier)) {
            throw new IllegalStateException("the stored points of metric '" + chunk.name() + "' are not packed points");
        }
        if (!compact.isEmpty()) {
            // the points, comma-separated, as one raw value: the generator puts a comma before the next chunk's
            if (chars.length < compact.length()) {
                chars = new char[Math.max(compact.length(), chars.length * 2)];
            }
            compact.getChars(1, compact.length(), chars, 0);
            json.writeRawValue(chars, 0, compact.length() - 1);
        }
    }

    /** Copies each point of a chunk onto {@link #compact} as the answer's object. */
    private final PackedPoints.Visitor copier = new PackedPoints.Visitor() {
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
            compact.append(",{\"seq\":")
                    .append(text, seqStart, seqEnd)
                    .append(",\"value\":")
                    .append(text, valueStart, valueEnd)
                    .append(",\"time\":\"");
            times.append(timeMillis, compact);
            compact.append("\",\"x\":");
            if (text.charAt(xStart) == '{') {
                compact.append(text, xStart, xEnd);
            } else {
                compact.append("{}");
            }
            compact.append('}');
        }

        @Override
        public void again() {
            compact.setLength(0);
        }
    };

    /**
     * Epoch milliseconds as {@link Instant#toString()} writes them, the date and time of the second kept from the
     * point before: a series' points share their seconds, and formatting each from scratch was most of this answer.
     */
    static final class InstantText {
        private long second = Long.MIN_VALUE;
        private String prefix;

        /** As {@link #format}, onto {@code out}. */
        void append(long epochMillis, StringBuilder out) {
            long s = Math.floorDiv(epochMillis, 1000);
            int millis = (int) Math.floorMod(epochMillis, 1000);
            if (s < 0 || s > 253_402_300_799L) { // outside 1970..9999: as Instant says it
                out.append(Instant.ofEpochMilli(epochMillis));
                return;
            }
            if (s != second) {
                String whole = Instant.ofEpochSecond(s).toString(); // ...T12:34:56Z
                prefix = whole.substring(0, whole.length() - 1);
                second = s;
            }
            out.append(prefix);
            if (millis != 0) {
                out.append('.')
                        .append((char) ('0' + millis / 100))
                        .append((char) ('0' + millis / 10 % 10))
                        .append((char) ('0' + millis % 10));
            }
            out.append('Z');
        }

        String format(long epochMillis) {
            StringBuilder text = new StringBuilder(24);
            append(epochMillis, text);
            return text.toString();
        }
    }
}
