package io.baton.server.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.baton.server.core.Json;
import io.baton.server.runs.RunQueries;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes {@code GET /api/v1/runs/{id}/metrics} straight from the packed rows of {@code metric_chunks} to the
 * response, point by point, token by token: a run's hundred thousand points never become objects in memory. The
 * rows come ordered by step, attempt, name and batch, and a batch's points are in order, so each series is written
 * in sequence order as it is read. Runs with points from before the packed rows existed are answered by
 * {@link RunQueries#metrics}, which this must match.
 */
public final class MetricsWriter {
    private final Jdbi jdbi;
    private final InstantText times = new InstantText();

    public MetricsWriter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** False when the run has points in the old one-row-per-point table (then nothing was written). */
    public boolean write(String runId, OutputStream out) throws IOException {
        return jdbi.withHandle(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM metrics WHERE run_id = :run")
                            .bind("run", runId)
                            .mapTo(Integer.class)
                            .one()
                    > 0) {
                return false;
            }
            try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeArrayFieldStart("series");
                String[] open = {null};
                h.createQuery("SELECT step, attempt, name, points FROM metric_chunks WHERE run_id = :run"
                                + " ORDER BY step, attempt, name, batch_seq")
                        .bind("run", runId)
                        .map((rs, ctx) -> {
                            String series = rs.getString(1) + "\u0000" + rs.getInt(2) + "\u0000" + rs.getString(3);
                            try {
                                if (!Objects.equals(series, open[0])) {
                                    if (open[0] != null) {
                                        json.writeEndArray();
                                        json.writeEndObject();
                                    }
                                    open[0] = series;
                                    json.writeStartObject();
                                    json.writeStringField("step", rs.getString(1));
                                    json.writeNumberField("attempt", rs.getInt(2));
                                    json.writeStringField("name", rs.getString(3));
                                    json.writeArrayFieldStart("points");
                                }
                                copyPoints(rs.getString(4), json);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return 0;
                        })
                        .forEach(ignored -> {});
                if (open[0] != null) {
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            return true;
        });
    }

    /**
     * {@code [[seq, value, timeMs, x], ...]} as {@code {"seq", "value", "time", "x"}} objects. Numbers are copied as
     * the stored text (checked as numbers when they came in), so no point's value is parsed and formatted again.
     * Points stored as workers pack them are copied as text in one pass; any other stored form goes through the
     * JSON parser.
     */
    private void copyPoints(String packed, JsonGenerator json) throws IOException {
        compact.setLength(0);
        if (new CompactPoints(packed, this::copyPoint).read()) {
            if (!compact.isEmpty()) {
                // the points, comma-separated, as one raw value: the generator puts a comma before the next chunk's
                if (chars.length < compact.length()) {
                    chars = new char[Math.max(compact.length(), chars.length * 2)];
                }
                compact.getChars(1, compact.length(), chars, 0);
                json.writeRawValue(chars, 0, compact.length() - 1);
            }
            return;
        }
        parseAndCopyPoints(packed, json);
    }

    /** The points of the chunk being copied, each after a comma. */
    private final StringBuilder compact = new StringBuilder(1 << 16);

    private char[] chars = new char[1 << 16];

    private void copyPoint(
            String text, int seqStart, int valueStart, int valueEnd, long timeMillis, int xStart, int xEnd) {
        compact.append(",{\"seq\":")
                .append(text, seqStart, valueStart - 1)
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

    private void parseAndCopyPoints(String packed, JsonGenerator json) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(packed)) {
            p.nextToken(); // [
            while (p.nextToken() == JsonToken.START_ARRAY) {
                json.writeStartObject();
                p.nextToken();
                json.writeFieldName("seq");
                json.writeNumber(p.getText());
                p.nextToken();
                json.writeFieldName("value");
                json.writeNumber(p.getText());
                p.nextToken();
                json.writeStringField("time", times.format(p.getLongValue()));
                json.writeFieldName("x");
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    json.copyCurrentStructure(p);
                } else {
                    json.writeStartObject();
                    json.writeEndObject();
                }
                p.nextToken(); // ]
                json.writeEndObject();
            }
        }
    }

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
