package db.migration;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Packs the one-row-per-point {@code metrics} table (V1) into {@code metric_chunks} (V4), as {@code GET /metrics}
 * wrote those points, then drops it: packed chunks are the only store of metric points.
 */
public class V9__PackLegacyMetrics extends BaseJavaMigration {
    /** Before every batch a worker sends (0 or more): a series' old points come first, in chunks in seq order. */
    static final long FIRST_CHUNK = Long.MIN_VALUE;

    private static final int CHUNK_CHARS = 1 << 20;
    private static final int BATCH = 100;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement read = c.createStatement();
                PreparedStatement insert = c.prepareStatement("INSERT INTO metric_chunks"
                        + " (run_id, step, attempt, name, batch_seq, points) VALUES (?, ?, ?, ?, ?, ?)")) {
            read.setFetchSize(1000);
            Chunks chunks = new Chunks(insert);
            try (ResultSet rows = read.executeQuery("SELECT run_id, step, attempt, name, seq, metric_value, time_ms, x"
                    + " FROM metrics ORDER BY run_id, step, attempt, name, seq")) {
                while (rows.next()) {
                    double value = rows.getDouble(6);
                    if (Double.isFinite(value)) { // no other point could be stored; JSON has no other number
                        chunks.add(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getInt(3),
                                rows.getString(4),
                                rows.getLong(5),
                                value,
                                rows.getLong(7),
                                rows.getString(8));
                    }
                }
            }
            chunks.flush();
            insert.executeBatch();
        }
        try (Statement drop = c.createStatement()) {
            drop.execute("DROP TABLE metrics");
        }
    }

    /** The chunks of one series after another, written in batches. */
    private static final class Chunks {
        private final PreparedStatement insert;
        private final StringBuilder points = new StringBuilder();
        private String runId;
        private String step;
        private int attempt;
        private String name;
        private long batchSeq;
        private int batched;

        Chunks(PreparedStatement insert) {
            this.insert = insert;
        }

        void add(String runId, String step, int attempt, String name, long seq, double value, long time, String x)
                throws SQLException {
            boolean sameSeries = Objects.equals(runId, this.runId)
                    && Objects.equals(step, this.step)
                    && attempt == this.attempt
                    && Objects.equals(name, this.name);
            if (!sameSeries || points.length() >= CHUNK_CHARS) {
                flush();
                batchSeq = sameSeries ? batchSeq + 1 : FIRST_CHUNK;
                this.runId = runId;
                this.step = step;
                this.attempt = attempt;
                this.name = name;
            }
            // as the answer wrote such a point: the value as a double, x as the map it was read into
            points.append(points.length() == 0 ? "[[" : ",[")
                    .append(seq)
                    .append(',')
                    .append(Double.toString(value))
                    .append(',')
                    .append(time)
                    .append(',')
                    .append(axes(x))
                    .append(']');
        }

        void flush() throws SQLException {
            if (points.length() == 0) {
                return;
            }
            insert.setString(1, runId);
            insert.setString(2, step);
            insert.setInt(3, attempt);
            insert.setString(4, name);
            insert.setLong(5, batchSeq);
            insert.setString(6, points.append(']').toString());
            insert.addBatch();
            points.setLength(0);
            if (++batched % BATCH == 0) {
                insert.executeBatch();
            }
        }

        private static String axes(String x) {
            Map<String, Object> axes =
                    x == null ? null : Json.read(x, new TypeReference<LinkedHashMap<String, Object>>() {});
            return axes == null || axes.isEmpty() ? "null" : Json.write(axes);
        }
    }
}
