package io.baton.server.runs;

import io.baton.server.core.BatonException;
import io.baton.server.core.CursorText;

/**
 * Where a page of the runs list ended: the sort it was read in, the last run's sort value (its metric; none when
 * sorted by creation) and its id. The next page starts strictly after that (value, id), so pages never repeat or
 * skip a run. Opaque to clients: those three lines in a {@link CursorText}.
 */
public record RunCursor(String sort, Double value, String id) {
    private static final int MAX_ID = 40;

    public String encode() {
        return CursorText.encode(sort + "\n" + (value == null ? "" : Double.toString(value)) + "\n" + id);
    }

    /** Reads a cursor given back by a client for a list in {@code sort}. */
    static RunCursor decode(String given, RunSort sort) {
        String position = CursorText.decode("cursor", given);
        if (position == null) {
            return null;
        }
        String[] parts = position.split("\n", -1);
        if (parts.length != 3 || parts[2].isEmpty() || parts[2].length() > MAX_ID) {
            throw unknown();
        }
        if (!parts[0].equals(sort.text())) {
            throw BatonException.badRequest("'cursor' continues a list sorted by " + parts[0] + ", not by "
                    + sort.text() + "; pass the same sort as the page it came from");
        }
        Double value = RunParameters.decimal(parts[1]);
        if (sort.byMetric() ? value == null : !parts[1].isEmpty()) {
            throw unknown();
        }
        return new RunCursor(parts[0], value, parts[2]);
    }

    private static BatonException unknown() {
        return BatonException.badRequest(
                "'cursor' is not one this server gave out; pass the nextCursor of the previous" + " page as it is");
    }
}
