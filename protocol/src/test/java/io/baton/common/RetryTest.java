package io.baton.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {
    @Test
    void patienceIsSpentAfterItsDuration() throws InterruptedException {
        Retry retry = Retry.every(Duration.ofMillis(20), Duration.ofMillis(50));
        assertThat(retry.spent()).isFalse();
        int pauses = 0;
        while (!retry.spent()) {
            retry.pause();
            pauses++;
        }
        assertThat(pauses).isBetween(2, 4);
    }

    @Test
    void doublingPausesStopAtTheirCap() throws InterruptedException {
        Retry retry = Retry.doubling(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(5));
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            retry.pause(); // 10 + 20 + 40 + 40
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(millis).isBetween(110L, 1000L);
    }

    @Test
    void foreverIsNeverSpent() {
        assertThat(Retry.forever(Duration.ofMillis(1)).spent()).isFalse();
    }
}
