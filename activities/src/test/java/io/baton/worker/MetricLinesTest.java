package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.MetricPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricLinesTest {
  @Test
  void numericFieldsBecomePointsAndAxisFieldsTheirX() {
    List<MetricPoint> points = MetricLines.parse("{\"epoch\": 3, \"loss\": 0.21, \"acc\": 0.9}", 7, 1000);

    assertThat(points).containsExactly(
        new MetricPoint("loss", 7, 0.21, 1000, Map.of("epoch", 3)),
        new MetricPoint("acc", 7, 0.9, 1000, Map.of("epoch", 3)));
  }

  @Test
  void everyAxisFieldGoesToX() {
    List<MetricPoint> points = MetricLines.parse(
        "{\"step\": 120, \"batch\": 4, \"iteration\": 9, \"x\": 1.5, \"lr\": 0.001}", 0, 0);

    assertThat(points).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("lr");
      assertThat(p.x()).containsOnlyKeys("step", "batch", "iteration", "x");
    });
    assertThat(MetricLines.parse("{\"epoch\": 3}", 0, 0)).isEmpty();
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertThat(MetricLines.parse("  \t{\"loss\": 1.5}  \r\n", 0, 0)).extracting(MetricPoint::value).containsExactly(1.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "epoch 3 loss 0.21",
      "[1, 2, 3]",
      "\"loss\"",
      "42",
      "{}",
      "{not json}",
      "{'loss': 0.5}",
      "{\"loss\": NaN}",
      "{\"loss\": Infinity}",
      "{\"loss\": 1e999}",
      "{\"done\": true, \"name\": \"resnet\", \"list\": [1], \"nested\": {\"loss\": 1}, \"none\": null}",
      "{\"loss\": 0.5} and then some text {\"acc\": 1}",
      "{\"loss\": 0.5}}",
      ""})
  void ignoresLinesAndFieldsThatAreNotNumbers(String line) {
    assertThat(MetricLines.parse(line, 0, 0)).isEmpty();
  }

  @Test
  void aNameGivenTwiceCountsOnceWithItsLastValue() {
    assertThat(MetricLines.parse("{\"loss\": 1, \"acc\": 0.5, \"loss\": 2, \"epoch\": 1, \"epoch\": 4}", 0, 0))
        .containsExactly(new MetricPoint("loss", 0, 2.0, 0, Map.of("epoch", 4)),
            new MetricPoint("acc", 0, 0.5, 0, Map.of("epoch", 4)));
    assertThat(MetricLines.parse("{\"loss\": 1, \"loss\": \"n/a\"}", 0, 0)).isEmpty();
  }

  @Test
  void keepsTheNumbersOfALineThatAlsoHoldsOtherValues() {
    List<MetricPoint> points = MetricLines.parse("{\"phase\": \"val\", \"ok\": true, \"loss\": 2, \"epoch\": \"3\"}", 0, 0);

    assertThat(points).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("loss");
      assertThat(p.value()).isEqualTo(2.0);
      assertThat(p.x()).isEmpty();
    });
  }
}
