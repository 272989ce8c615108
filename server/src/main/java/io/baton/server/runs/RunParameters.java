package io.baton.server.runs;

import io.baton.server.core.Json;
import io.baton.server.db.RunParameterDao;
import io.baton.server.db.RunParameterRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/** A run's parameters as rows of {@code run_parameters}, which the runs list filters by ({@code param=}). */
public final class RunParameters {
    /** Longer text values are kept as NULL: they cannot be searched, and the index stays within MariaDB's limit. */
    public static final int MAX_TEXT = 500;

    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private RunParameters() {}

    public static List<RunParameterRow> rows(Map<String, Object> parameters) {
        List<RunParameterRow> rows = new ArrayList<>();
        parameters.forEach((name, value) -> {
            if (value != null) {
                String text = value instanceof String s ? s : Json.write(value);
                Double number = value instanceof Number n ? finite(n.doubleValue()) : decimal(text);
                rows.add(new RunParameterRow(name, number, text.length() <= MAX_TEXT ? text : null));
            }
        });
        return rows;
    }

    /** Records the parameters of a new run, in the transaction that inserts it. */
    public static void insert(Handle h, String runId, Map<String, Object> parameters) {
        List<RunParameterRow> rows = rows(parameters);
        if (!rows.isEmpty()) {
            h.attach(RunParameterDao.class).insertAll(runId, rows);
        }
    }

    /** The number a text is when it is written as a decimal number (not hex, NaN or Infinity), else null. */
    public static Double decimal(String text) {
        return DECIMAL.matcher(text).matches() ? finite(Double.parseDouble(text)) : null;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
