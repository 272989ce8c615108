package io.baton.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackedPointsTest {
    @Test
    void pointsArePackedPerNameAsTheServerStoresThemAndComeBackTheSame() {
        List<MetricPoint> points = List.of(
                new MetricPoint("loss", 0, 0.5, 1000, Map.of("epoch", 1)),
                new MetricPoint("acc", 0, 0.75, 1000, Map.of("epoch", 1)),
                new MetricPoint("loss", 1, 0.25, 2000, Map.of()),
                new MetricPoint("loss", 2, 3, 3000, Map.of("step", 7L)));

        Map<String, String> packed = PackedPoints.pack(points);

        assertThat(packed)
                .containsExactly(
                        Map.entry("loss", "[[0,0.5,1000,{\"epoch\":1}],[1,0.25,2000,null],[2,3.0,3000,{\"step\":7}]]"),
                        Map.entry("acc", "[[0,0.75,1000,{\"epoch\":1}]]"));
        assertThat(PackedPoints.unpack(packed))
                .containsExactly(
                        points.get(0),
                        points.get(1),
                        points.get(2),
                        new MetricPoint("loss", 2, 3, 3000, Map.of("step", 7)));
        assertThat(PackedPoints.pack(List.of())).isEmpty();
    }
}
