package io.baton.server.logs;

import io.baton.server.core.BatonException;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.AttemptRow;
import io.baton.server.db.LogDao;
import io.baton.server.db.RunDao;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Reads an attempt's log from a byte offset. */
public final class LogReader {
    private static final int CHUNKS_PER_QUERY = 64;
    private final Jdbi jdbi;

    public LogReader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Which attempt a log request means: the one asked for, or the latest. 404 when there is none. */
    public int attempt(String runId, String step, Integer asked) {
        jdbi.onDemand(RunDao.class)
                .find(runId)
                .orElseThrow(() -> BatonException.notFound("no run with id '" + runId + "'"));
        AttemptDao attempts = jdbi.onDemand(AttemptDao.class);
        if (asked != null) {
            return attempts.find(runId, step, asked)
                    .map(AttemptRow::number)
                    .orElseThrow(() ->
                            BatonException.notFound("run " + runId + " step '" + step + "' has no attempt " + asked));
        }
        return attempts.latest(runId, step)
                .orElseThrow(() -> BatonException.notFound(
                        "run " + runId + " step '" + step + "' has no attempt yet (or no such step)"));
    }

    /** Writes the log from {@code offset} as it is now (a follow is {@link LogFollows}'). */
    public void write(String runId, String step, int attempt, long offset, OutputStream out) throws IOException {
        long position = offset;
        LogDao logs = jdbi.onDemand(LogDao.class);
        while (true) {
            long before = position;
            position = copy(logs.from(runId, step, attempt, position, CHUNKS_PER_QUERY), position, out);
            if (position == before) {
                return;
            }
            out.flush();
        }
    }

    /**
     * Writes what {@code chunks} hold past {@code position}; answers the position after them. An empty batch may sort
     * after later text (a step's own metrics batch, numbered apart from its worker's): it moves nothing back.
     */
    static long copy(List<LogDao.Chunk> chunks, long position, OutputStream out) throws IOException {
        long end = position;
        for (LogDao.Chunk chunk : chunks) {
            int skip = (int) Math.min(chunk.content().length, Math.max(0, end - chunk.byteOffset()));
            out.write(chunk.content(), skip, chunk.content().length - skip);
            end = Math.max(end, chunk.byteOffset() + chunk.content().length);
        }
        return end;
    }
}
