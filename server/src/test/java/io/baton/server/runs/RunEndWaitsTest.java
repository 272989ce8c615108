package io.baton.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.api.RunView;
import io.baton.server.attempts.StepEnds;
import io.baton.server.core.BatonException;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.RunOutcome;
import io.baton.workflows.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The waiting logic on its own: woken by an end, bounded by its wait, read again each second, nothing left over. */
class RunEndWaitsTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final RunEndWaits ends = new RunEndWaits(executor);
    private final AtomicReference<String> status = new AtomicReference<>("RUNNING");
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private RunView read() {
        reads.incrementAndGet();
        return new RunView(
                "r1",
                "p",
                "pipe",
                1,
                status.get(),
                null,
                null,
                null,
                Map.of(),
                3,
                "u",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Map.of(),
                List.of(),
                null);
    }

    private CompletableFuture<RunView> await(Duration max) {
        CompletableFuture<RunView> answer = new CompletableFuture<>();
        ends.whenEnded("r1", max, this::read, answer::complete, answer::completeExceptionally);
        return answer;
    }

    @Test
    void anEndWakesTheWaiterAtOnceNotAtTheNextRead() throws Exception {
        CompletableFuture<RunView> answer = await(Duration.ofSeconds(30));
        assertThat(answer).isNotDone();
        assertThat(ends.watched()).isEqualTo(1);

        status.set("SUCCEEDED");
        long start = System.nanoTime();
        ends.ended("r1");
        RunView run = answer.get(5, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo("SUCCEEDED");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(ends.watched()).isZero();
    }

    @Test
    void aRunEndedElsewhereIsSeenByTheNextRead() throws Exception {
        CompletableFuture<RunView> answer = await(Duration.ofSeconds(30));
        status.set("FAILED"); // written by another server: no ended() here
        assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo("FAILED");
        assertThat(reads.get()).isGreaterThanOrEqualTo(2);
        assertThat(ends.watched()).isZero();
    }

    @Test
    void theWaitRunsOutWithTheRunAsItIs() throws Exception {
        long start = System.nanoTime();
        RunView run = await(Duration.ofMillis(1500)).get(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.status()).isEqualTo("RUNNING");
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(5));
        // read at the start, after 1 s and at the end (on a machine slow enough to wake late, the end is the second)
        assertThat(reads.get()).isBetween(2, 3);
        assertThat(ends.watched()).isZero();
    }

    @Test
    void anEndedRunOrAFailedReadAnswersAtOnce() throws Exception {
        status.set("CANCELLED");
        assertThat(await(Duration.ofSeconds(30)).get(1, TimeUnit.SECONDS).status())
                .isEqualTo("CANCELLED");
        assertThat(reads.get()).isEqualTo(1);

        CompletableFuture<RunView> missing = new CompletableFuture<>();
        ends.whenEnded(
                "nope",
                Duration.ofSeconds(30),
                () -> {
                    throw BatonException.notFound("no run with id 'nope'");
                },
                missing::complete,
                missing::completeExceptionally);
        assertThat(missing).isCompletedExceptionally();
        assertThat(ends.watched()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void theRecorderWakesTheWaitersOfARunWhenItCommitsItsEnd(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "only");
        StepEnds stepEnds = new StepEnds(jdbi, new ModelRegistry(jdbi), ends);
        RunQueries views = new RunQueries(jdbi, "http://ui", "default");
        CompletableFuture<RunView> answer = new CompletableFuture<>();
        ends.whenEnded(
                runId, Duration.ofSeconds(30), () -> views.run(runId), answer::complete, answer::completeExceptionally);
        assertThat(answer).isNotDone();

        long start = System.nanoTime();
        stepEnds.runFinished(new RunOutcome(runId, RunStatus.SUCCEEDED, null));
        RunView run = answer.get(5, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo("SUCCEEDED");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(ends.watched()).isZero();
    }

    @Test
    void waitsAreParsedAndBounded() {
        assertThat(RunEndWaits.parseWait(null)).isZero();
        assertThat(RunEndWaits.parseWait("")).isZero();
        assertThat(RunEndWaits.parseWait("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(RunEndWaits.parseWait("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> RunEndWaits.parseWait("61s"))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining("at most 1m");
        assertThatThrownBy(() -> RunEndWaits.parseWait("-1s"))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining("not a duration");
    }
}
