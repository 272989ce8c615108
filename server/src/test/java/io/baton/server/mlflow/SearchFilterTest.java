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
    assertThat(matches("name LIKE 'i.is'", Map.of())).as("a dot is no wildcard").isFalse();
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
    assertThat(matches("tags.baton.status = 'APPROVED'", Map.of("baton.status", "APPROVED"))).isTrue();
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
}
