package io.baton.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.core.BatonException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchFilterTest {
    private static final Set<String> VERSION_ATTRIBUTES = Set.of("name", "run_id");
    private static final Map<String, String> IRIS = Map.of("name", "iris", "run_id", "r1");

    private static boolean matches(String filter, Map<String, String> tags) {
        return SearchFilter.parse(filter, VERSION_ATTRIBUTES).matches(IRIS, tags);
    }

    @Test
    void nameEqualsWithOrWithoutSpacesAndEitherQuote() {
        assertThat(matches("name='iris'", Map.of())).isTrue();
        assertThat(matches("name = \"iris\"", Map.of())).isTrue();
        assertThat(matches("name = 'Iris'", Map.of())).isFalse();
        assertThat(matches("name != 'iris'", Map.of())).isFalse();
    }

    @Test
    void likeIsCaseSensitiveAndIlikeIsNot() {
        assertThat(matches("name LIKE 'ir%'", Map.of())).isTrue();
        assertThat(matches("name like 'i_is'", Map.of())).isTrue();
        assertThat(matches("name LIKE 'IR%'", Map.of())).isFalse();
        assertThat(matches("name ILIKE 'IR%'", Map.of())).isTrue();
        assertThat(matches("name LIKE 'i.is'", Map.of()))
                .as("a dot is no wildcard")
                .isFalse();
    }

    @Test
    void runIdInAListAndConditionsJoinedByAnd() {
        assertThat(matches("run_id IN ('r0', 'r1')", Map.of())).isTrue();
        assertThat(matches("name = 'iris' and run_id = 'r2'", Map.of())).isFalse();
        assertThat(matches("name = 'iris' AND run_id = 'r1'", Map.of())).isTrue();
    }

    @Test
    void theClientsPromptFilterMatchesModelsWithoutThatTag() {
        String filter = "name='iris' AND tag.`mlflow.prompt.is_prompt` != 'true'";
        assertThat(matches(filter, Map.of())).isTrue();
        assertThat(matches(filter, Map.of("mlflow.prompt.is_prompt", "true"))).isFalse();
        assertThat(matches("tags.baton.status = 'APPROVED'", Map.of("baton.status", "APPROVED")))
                .isTrue();
    }

    @Test
    void equalToNamesTheValueThatNarrowsAQuery() {
        SearchFilter filter = SearchFilter.parse("name LIKE 'x%' AND run_id = 'r1'", VERSION_ATTRIBUTES);
        assertThat(filter.equalTo("run_id")).isEqualTo("r1");
        assertThat(filter.equalTo("name")).isNull();
        assertThat(SearchFilter.parse(null, VERSION_ATTRIBUTES).conditions()).isEmpty();
    }

    @Test
    void whatItCannotReadIsRefusedWithWhy() {
        assertRefused("source_path = 'x'", "'source_path' cannot be searched here");
        assertRefused("name = 'a' OR name = 'b'", "expected AND or the end");
        assertRefused("name = iris", "expected a quoted string");
        assertRefused("name > 'a'", "expected an operator");
        assertRefused("name = 'iris", "never closed");
        assertRefused("tag.k IN ('a')", "operator 'IN' is not supported");
    }

    private static void assertRefused(String filter, String why) {
        assertThatThrownBy(() -> SearchFilter.parse(filter, VERSION_ATTRIBUTES))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((BatonException) e).status()).isEqualTo(400));
    }

    @Test
    @org.junit.jupiter.api.Timeout(3)
    void likeWithManyWildcardsIsMatchedInLinearTimeNotByBacktracking() {
        String name = "a".repeat(120);
        Map<String, String> attributes = Map.of("name", name, "run_id", "r1");
        long started = System.nanoTime();
        assertThat(SearchFilter.parse("name LIKE '%a%a%a%a%a%a%a%a%a%a%b'", VERSION_ATTRIBUTES)
                        .matches(attributes, Map.of()))
                .isFalse();
        assertThat(SearchFilter.parse("name LIKE '%a%a%a%a%a%a%a%a%a%a%'", VERSION_ATTRIBUTES)
                        .matches(attributes, Map.of()))
                .isTrue();
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }

    @Test
    void likeMatchesAsSqlDoes() {
        for (String[] yes : new String[][] {
            {"%", ""},
            {"%", "abc"},
            {"a%c", "abc"},
            {"a%c", "ac"},
            {"_b_", "abc"},
            {"%b%", "abc"},
            {"a%b%c", "aXbYbZc"},
            {"%aab", "aaab"},
            {"ü_", "üx"}
        }) {
            assertThat(LikePattern.matches(yes[0], yes[1], false))
                    .as(yes[0] + " ~ " + yes[1])
                    .isTrue();
        }
        for (String[] no : new String[][] {{"_", ""}, {"a%c", "ab"}, {"_b", "abc"}, {"abc", "abcd"}, {"%x%", "abc"}}) {
            assertThat(LikePattern.matches(no[0], no[1], false))
                    .as(no[0] + " !~ " + no[1])
                    .isFalse();
        }
        assertThat(LikePattern.matches("IR%", "iris", true)).isTrue();
        assertThat(LikePattern.matches("IR%", "iris", false)).isFalse();
    }

    @Test
    void likePatternsLongerThanTheLimitAreRefused() {
        assertThatThrownBy(() -> SearchFilter.parse(
                        "name LIKE '" + "%".repeat(LikePattern.MAX_LENGTH + 1) + "'", VERSION_ATTRIBUTES))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining("at most");
    }
}
