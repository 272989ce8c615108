package io.baton.server.db;

import io.baton.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The one codec of list cursors (runs, models, datasets, versions, alias moves) and MLflow page tokens: base64url
 * of a page's position with a check of it, so that a cursor this server did not give out is refused.
 */
public final class ListCursors {
    private static final int CHECK_BYTES = 4;
    private static final int MAX_RUN_ID = 40;
    private static final String NOT_GIVEN_OUT =
            "'cursor' is not one this server gave out; pass the nextCursor of the previous page as it is";
    private static final String NOT_A_PAGE_TOKEN =
            "invalid page_token: pass next_page_token from the previous answer as it is";

    private ListCursors() {}

    /** Where a page of the runs list ended: its sort, the last run's sort value (none by creation) and its id. */
    public record RunPosition(String sort, Double value, String id) {}

    /** A cursor that holds {@code fields}, one per line. */
    public static String encode(String... fields) {
        String position = String.join("\n", fields);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((position + "\n" + check(position)).getBytes(StandardCharsets.UTF_8));
    }

    public static String encode(RunPosition position) {
        return encode(
                position.sort(), position.value() == null ? "" : Double.toString(position.value()), position.id());
    }

    /**
     * The fields of {@code cursor}; null when none was given (the first page).
     *
     * @param refusal makes the 400 of a cursor this server did not give out from its message
     */
    public static List<String> decode(String cursor, Function<String, ? extends RuntimeException> refusal) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end >= 0 && text.substring(end + 1).equals(check(text.substring(0, end)))) {
                return List.of(text.substring(0, end).split("\n", -1));
            }
        } catch (IllegalArgumentException notBase64) {
            // answered below
        }
        throw refusal.apply(NOT_GIVEN_OUT);
    }

    /** The name a page of a list by name ended at; "" for the first page. */
    public static String afterName(String cursor, Function<String, ? extends RuntimeException> refusal) {
        List<String> fields = decode(cursor, refusal);
        return fields == null ? "" : String.join("\n", fields);
    }

    /** The number a page of a list newest first ended at (a version, a move); above any for the first page. */
    public static int beforeNumber(String cursor, Function<String, ? extends RuntimeException> refusal) {
        List<String> fields = decode(cursor, refusal);
        if (fields == null) {
            return Integer.MAX_VALUE;
        }
        try {
            if (fields.size() == 1) {
                return Integer.parseInt(fields.get(0));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw refusal.apply(NOT_GIVEN_OUT);
    }

    /** Where the next page of an MLflow search starts in its sorted results; 0 for the first page. */
    public static int offset(String pageToken, Function<String, ? extends RuntimeException> refusal) {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            List<String> fields = decode(pageToken, IllegalArgumentException::new);
            int offset = fields.size() == 1 ? Integer.parseInt(fields.get(0)) : -1;
            if (offset >= 0) {
                return offset;
            }
        } catch (IllegalArgumentException notOurs) {
            // answered below
        }
        throw refusal.apply(NOT_A_PAGE_TOKEN);
    }

    /**
     * The position a page of the runs list in {@code sort} ended at; null for the first page. A cursor of another
     * sort is refused, so that a page never continues a list in another order.
     */
    public static RunPosition runPosition(
            String cursor, String sort, boolean byMetric, Function<String, ? extends RuntimeException> refusal) {
        List<String> fields = decode(cursor, refusal);
        if (fields == null) {
            return null;
        }
        if (fields.size() != 3 || fields.get(2).isEmpty() || fields.get(2).length() > MAX_RUN_ID) {
            throw refusal.apply(NOT_GIVEN_OUT);
        }
        if (!fields.get(0).equals(sort)) {
            throw refusal.apply("'cursor' continues a list sorted by " + fields.get(0) + ", not by " + sort
                    + "; pass the same sort as the page it came from");
        }
        Double value = decimal(fields.get(1));
        if (byMetric ? value == null : !fields.get(1).isEmpty()) {
            throw refusal.apply(NOT_GIVEN_OUT);
        }
        return new RunPosition(fields.get(0), value, fields.get(2));
    }

    /** A finite number as {@link Double#toString} writes it; null for anything else. */
    private static Double decimal(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) && Double.toString(value).equals(text) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String check(String position) {
        byte[] digest = Hashing.sha256().digest(("baton cursor\n" + position).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, CHECK_BYTES);
    }
}
