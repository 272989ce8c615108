package io.baton.server.logs;

import io.baton.common.Daemons;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.LogDao;
import io.baton.workflows.AttemptStatus;
import io.dropwizard.lifecycle.Managed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.server.ChunkedOutput;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log follows ({@code logs?follow=true}): open chunked responses that one timer feeds, with no request thread each. */
public final class LogFollows implements Managed {
    private static final Logger log = LoggerFactory.getLogger(LogFollows.class);
    public static final int MAX_FOLLOWS = 1000;
    public static final int MAX_PER_CALLER = 20;
    private static final long TICK_MILLIS = 300;
    private static final int CHUNKS_PER_TICK = 64;

    private final Jdbi jdbi;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("log-follows"));
    /** Writes to clients, so that a slow one holds up only itself (a follower with a write pending is skipped). */
    private final ExecutorService writers = Executors.newFixedThreadPool(4, Daemons.named("log-follow-writer"));

    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perCaller = new ConcurrentHashMap<>();

    public LogFollows(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        writers.shutdownNow();
        followers.forEach(Follower::close);
    }

    /**
     * A response that follows attempt {@code attempt}'s log from {@code offset} until the attempt ends.
     *
     * @throws BatonException 429 when {@code caller}, or everyone together, follows as many logs as allowed
     */
    public ChunkedOutput<byte[]> follow(String caller, String runId, String step, int attempt, long offset) {
        AtomicInteger mine = perCaller.computeIfAbsent(caller, c -> new AtomicInteger());
        if (mine.incrementAndGet() > MAX_PER_CALLER) {
            mine.decrementAndGet();
            throw new BatonException(
                    429,
                    ErrorCodes.TOO_MANY_FOLLOWS,
                    "you follow " + MAX_PER_CALLER + " logs already; end one"
                            + " (or read without follow=true) before following another");
        }
        if (followers.size() >= MAX_FOLLOWS) {
            mine.decrementAndGet();
            throw new BatonException(
                    429,
                    ErrorCodes.TOO_MANY_FOLLOWS,
                    "the server follows " + MAX_FOLLOWS + " logs already; try"
                            + " again later, or read without follow=true");
        }
        Follower f = new Follower(
                caller, new Attempt(runId, step, attempt), offset, new ChunkedOutput<>(byte[].class, new byte[0]));
        followers.add(f);
        return f.out;
    }

    /** How many follows are open (for tests and metrics). */
    public int open() {
        return followers.size();
    }

    private record Attempt(String runId, String step, int number) {}

    private final class Follower {
        final String caller;
        final Attempt attempt;
        final ChunkedOutput<byte[]> out;
        final AtomicBoolean writing = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile long position;

        Follower(String caller, Attempt attempt, long position, ChunkedOutput<byte[]> out) {
            this.caller = caller;
            this.attempt = attempt;
            this.position = position;
            this.out = out;
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                followers.remove(this);
                perCaller.computeIfPresent(caller, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
                try {
                    out.close();
                } catch (IOException | RuntimeException gone) {
                    // the client went away: nothing more to free
                }
            }
        }
    }

    private void tick() {
        try {
            Map<Attempt, List<Follower>> byAttempt = new HashMap<>();
            for (Follower f : followers) {
                if (f.out.isClosed()) {
                    f.close();
                } else if (!f.writing.get()) {
                    byAttempt.computeIfAbsent(f.attempt, a -> new ArrayList<>()).add(f);
                }
            }
            byAttempt.forEach(this::feed);
        } catch (RuntimeException e) {
            log.warn("cannot feed log follows now: {}", e.getMessage());
        }
    }

    /** One read of the attempt's new log and its status for all its followers; each gets what it has not had. */
    private void feed(Attempt a, List<Follower> group) {
        boolean ended = jdbi.onDemand(AttemptDao.class)
                .find(a.runId(), a.step(), a.number())
                .map(row -> !AttemptStatus.RUNNING.name().equals(row.status()))
                .orElse(true);
        long from = group.stream().mapToLong(f -> f.position).min().orElseThrow();
        List<LogDao.Chunk> chunks =
                jdbi.onDemand(LogDao.class).from(a.runId(), a.step(), a.number(), from, CHUNKS_PER_TICK);
        boolean more = chunks.size() == CHUNKS_PER_TICK;
        for (Follower f : group) {
            ByteArrayOutputStream news = new ByteArrayOutputStream();
            long end;
            try {
                end = LogReader.copy(chunks, f.position, news);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible); // a byte array takes every write
            }
            byte[] bytes = news.toByteArray();
            boolean done = ended && !more;
            if (bytes.length == 0 && !done) {
                continue;
            }
            f.writing.set(true);
            writers.execute(() -> {
                try {
                    if (bytes.length > 0) {
                        f.out.write(bytes);
                    }
                    f.position = end;
                    if (done) {
                        f.close();
                    }
                } catch (IOException | RuntimeException gone) {
                    f.close();
                } finally {
                    f.writing.set(false);
                }
            });
        }
    }
}
