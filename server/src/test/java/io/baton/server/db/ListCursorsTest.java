package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.core.BatonException;
import io.baton.server.db.ListCursors.RunPosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cursors and page tokens come back as given out; any other is a 400 that says to pass the one given out. */
class ListCursorsTest {
    private static final String NOT_OURS = "'cursor' is not one this server gave out";

    @Test
    void aCursorComesBackAsGivenOutAndAnyOtherIsRefused() {
        String cursor = ListCursors.encode("iris", "42");
        assertThat(ListCursors.decode(cursor, BatonException::badRequest)).containsExactly("iris", "42");
        assertThat(ListCursors.decode(null, BatonException::badRequest)).isNull();
        assertThat(ListCursors.decode("", BatonException::badRequest)).isNull();
        for (String bad :
                List.of("abc", "%%%", unchecked("iris\n42"), cursor.substring(0, cursor.length() - 2), cursor + "A")) {
            assertThatThrownBy(() -> ListCursors.decode(bad, BatonException::badRequest))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            BatonException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining(NOT_OURS);
        }
    }

    @Test
    void registryListsContinueAfterANameOrBelowANumber() {
        assertThat(ListCursors.afterName(null, BatonException::badRequest)).isEmpty();
        assertThat(ListCursors.afterName(ListCursors.encode("iris"), BatonException::badRequest))
                .isEqualTo("iris");
        assertThat(ListCursors.beforeNumber(null, BatonException::badRequest)).isEqualTo(Integer.MAX_VALUE);
        assertThat(ListCursors.beforeNumber(ListCursors.encode("7"), BatonException::badRequest))
                .isEqualTo(7);
        for (String bad : List.of(ListCursors.encode("iris"), ListCursors.encode("7", "8"), unchecked("7"))) {
            assertThatThrownBy(() -> ListCursors.beforeNumber(bad, BatonException::badRequest))
                    .as(bad)
                    .hasMessageContaining(NOT_OURS);
        }
    }

    @Test
    void pageTokensCarryAnOffsetAndAnyOtherTokenIsInvalid() {
        assertThat(ListCursors.offset(null, BatonException::badRequest)).isZero();
        assertThat(ListCursors.offset(ListCursors.encode("200"), BatonException::badRequest))
                .isEqualTo(200);
        for (String bad : List.of("abc", ListCursors.encode("-1"), ListCursors.encode("x"), unchecked("200"))) {
            assertThatThrownBy(() -> ListCursors.offset(bad, BatonException::badRequest))
                    .as(bad)
                    .isInstanceOf(BatonException.class)
                    .hasMessage("invalid page_token: pass next_page_token from the previous answer as it is");
        }
    }

    @Test
    void aRunCursorCarriesTheExactLastValueAndId() {
        double value = 0.1 + 0.2; // not the shortest decimal of any nearby double
        for (RunPosition position : List.of(
                new RunPosition("metric.loss:asc", value, "01JABC"),
                new RunPosition("metric.loss:asc", -1.5e-300, "01JABC"))) {
            assertThat(ListCursors.runPosition(
                            ListCursors.encode(position), "metric.loss:asc", true, BatonException::badRequest))
                    .isEqualTo(position);
        }
        RunPosition byCreation = new RunPosition("createdAt:desc", null, "01JABC");
        assertThat(ListCursors.runPosition(
                        ListCursors.encode(byCreation), "createdAt:desc", false, BatonException::badRequest))
                .isEqualTo(byCreation);
        assertThat(ListCursors.runPosition(null, "createdAt:desc", false, BatonException::badRequest))
                .isNull();
    }

    @Test
    void aRunCursorOfAnotherSortOrNotGivenOutIsRefused() {
        String accuracy = ListCursors.encode(new RunPosition("metric.accuracy:desc", 0.5, "01JABC"));
        assertThatThrownBy(() ->
                        ListCursors.runPosition(accuracy, "metric.accuracy:asc", true, BatonException::badRequest))
                .hasMessageContaining("sorted by metric.accuracy:desc, not by metric.accuracy:asc");
        assertThatThrownBy(() -> ListCursors.runPosition(accuracy, "createdAt:desc", false, BatonException::badRequest))
                .hasMessageContaining("not by createdAt:desc");
        for (String bad : List.of(
                "01JABC",
                "%%%",
                unchecked("createdAt:desc\n\n01JABC"),
                ListCursors.encode("createdAt:desc", "", ""),
                ListCursors.encode("createdAt:desc", "0.5", "01JABC"),
                ListCursors.encode("createdAt:desc", "", "x".repeat(41)),
                ListCursors.encode("createdAt:desc", "01JABC"))) {
            assertThatThrownBy(() -> ListCursors.runPosition(bad, "createdAt:desc", false, BatonException::badRequest))
                    .as(bad)
                    .hasMessageContaining(NOT_OURS);
        }
        for (String bad : List.of(
                ListCursors.encode("metric.accuracy:desc", "high", "01JABC"),
                ListCursors.encode("metric.accuracy:desc", "", "01JABC"),
                ListCursors.encode("metric.accuracy:desc", "Infinity", "01JABC"),
                ListCursors.encode("metric.accuracy:desc", " 0.5", "01JABC"))) {
            assertThatThrownBy(() ->
                            ListCursors.runPosition(bad, "metric.accuracy:desc", true, BatonException::badRequest))
                    .as(bad)
                    .hasMessageContaining(NOT_OURS);
        }
    }

    /** A position in base64url without the check this server adds: made up, not given out. */
    private static String unchecked(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }
}
