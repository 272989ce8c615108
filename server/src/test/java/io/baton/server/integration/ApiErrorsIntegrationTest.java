package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What of the API's answers needs runs started in Temporal; the errors are {@code resources/ApiErrorsTest}'s. */
@ExtendWith(ClusterExtension.class)
class ApiErrorsIntegrationTest {
    private static Api api; // set by ClusterExtension

    @Test
    void runsPageByCursorNewestFirstOrOldestFirst() {
        api.project("paging");
        for (int i = 0; i < 3; i++) {
            api.post(
                    "/runs",
                    Map.of("project", "paging", "spec", "name: paged\nsteps:\n  - name: a\n    command: [\"true\"]\n"));
        }
        Api.Answer first = api.get("/runs?project=paging&limit=2");
        assertThat(first.json().get("items")).hasSize(2);
        String cursor = first.json().get("nextCursor").asText();
        Api.Answer second = api.get("/runs?project=paging&limit=2&cursor=" + cursor);
        assertThat(second.json().get("items")).hasSize(1);
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
        List<String> newestFirst = new ArrayList<>(first.json().get("items").findValuesAsText("id"));
        newestFirst.addAll(second.json().get("items").findValuesAsText("id"));
        assertThat(newestFirst).isSortedAccordingTo(Comparator.reverseOrder());
        List<String> oldestFirst = api.get("/runs?project=paging&sort=createdAt:asc")
                .json()
                .get("items")
                .findValuesAsText("id");
        List<String> expected = new ArrayList<>(newestFirst);
        Collections.reverse(expected);
        assertThat(oldestFirst).containsExactlyElementsOf(expected);
    }
}
