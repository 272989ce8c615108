package io.baton.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.core.BatonException;
import io.baton.server.db.RunParameterRow;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the param=, metric=, sort= and cursor= of the runs list, and what a run's parameters are stored as. */
class RunSearchTest {
    @Test
    void readsNameOpAndValueWithColonsLeftInTheValue() {
        RunSearch search = RunSearch.parse(
                List.of("lr:le:0.1", "url:eq:http://x:80/a", "model:ne:tree"), List.of("accuracy:gt:9e-1"), null);
        assertThat(search.params())
                .containsExactly(
                        new ValueFilter("lr", ValueFilter.Comparison.LE, "0.1", 0.1),
                        new ValueFilter("url", ValueFilter.Comparison.EQ, "http://x:80/a", null),
                        new ValueFilter("model", ValueFilter.Comparison.NE, "tree", null));
        assertThat(search.metrics())
                .containsExactly(new ValueFilter("accuracy", ValueFilter.Comparison.GT, "9e-1", 0.9));
        assertThat(search.sort()).isEqualTo(RunSort.NEWEST_FIRST);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "accuracy            | is not <name>:<op>:<value>",
                "accuracy:gt         | is not <name>:<op>:<value>",
                ":gt:0.9             | has no name",
                "accuracy:gt:        | has no value",
                "accuracy:above:0.9  | unknown op 'above'; use one of eq, ne, lt, le, gt, ge",
                "accuracy:GT:0.9     | unknown op 'GT'",
                "accuracy:gt:high    | 'high', which is not a number",
                "accuracy:gt:0x10    | which is not a number",
                "accuracy:eq:NaN     | which is not a number",
                "accuracy:gt:1e999   | which is not a number"
            })
    void badMetricFiltersAreRefusedSayingWhatIsWrong(String given, String message) {
        assertThatThrownBy(() -> RunSearch.parse(List.of(), List.of(given), null))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("'metric=" + given + "' ")
                .hasMessageContaining(message);
    }

    @Test
    void stringParametersAreOnlyMatchedNotOrdered() {
        assertThat(RunSearch.parse(List.of("flag:eq:true"), List.of(), null)
                        .params()
                        .get(0)
                        .number())
                .isNull();
        assertThatThrownBy(() -> RunSearch.parse(List.of("model:lt:tree"), List.of(), null))
                .hasMessageContaining("'param=model:lt:tree' compares 'tree', which is not a number")
                .hasMessageContaining("with eq or ne");
        String tooLong = "x".repeat(RunParameters.MAX_TEXT + 1);
        assertThatThrownBy(() -> RunSearch.parse(List.of("note:eq:" + tooLong), List.of(), null))
                .hasMessageContaining("longer than 500 characters");
    }

    @Test
    void moreThanTwentyFiltersAreRefused() {
        List<String> many = Collections.nCopies(11, "a:eq:1");
        assertThatThrownBy(() -> RunSearch.parse(many, many, null)).hasMessageContaining("at most 20");
    }

    @ParameterizedTest
    @CsvSource({
        "createdAt, , false",
        "createdAt:asc, , true",
        "createdAt:desc, , false",
        "metric.accuracy, accuracy, false",
        "metric.val.loss:asc, val.loss, true",
        "metric.f1:desc, f1, false"
    })
    void sortIsCreationOrAMetricDescendingUnlessAscIsSaid(String given, String metric, boolean ascending) {
        RunSort sort = RunSort.parse(given);
        assertThat(sort).isEqualTo(new RunSort(metric, ascending));
        assertThat(RunSort.parse(sort.text())).isEqualTo(sort);
    }

    @ParameterizedTest
    @CsvSource({"name", "createdAt:up", "metric.", "metric.:asc", "metric", "accuracy:desc", "metric.a:b:desc"})
    void unknownSortsAreRefused(String given) {
        assertThatThrownBy(() -> RunSort.parse(given))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("'sort=" + given + "' is not createdAt or metric.<name>");
    }

    @Test
    void parametersAreStoredAsNumberWhereTheyAreOneAndAsText() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("lr", 0.1);
        parameters.put("depth", 3L);
        parameters.put("version", "12");
        parameters.put("model", "tree");
        parameters.put("flag", true);
        parameters.put("note", "y".repeat(RunParameters.MAX_TEXT + 1));
        parameters.put("unset", null);
        assertThat(RunParameters.rows(parameters))
                .containsExactly(
                        new RunParameterRow("lr", 0.1, "0.1"),
                        new RunParameterRow("depth", 3.0, "3"),
                        new RunParameterRow("version", 12.0, "12"),
                        new RunParameterRow("model", null, "tree"),
                        new RunParameterRow("flag", null, "true"),
                        new RunParameterRow("note", null, null));
    }
}
