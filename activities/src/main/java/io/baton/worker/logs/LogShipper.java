package io.baton.worker.logs;

import io.baton.common.Daemons;
import io.baton.protocol.LogBatch;
import io.baton.worker.client.ServerClient;
import io.baton.worker.metrics.MetricLines;
import io.baton.worker.metrics.MetricPacker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a step's output to the server while it runs, in batches bounded by time ({@code flushMillis}) and size,
 * line by line so stdout and stderr never tear each other's lines. Batches carry a sequence number, so a batch
 * re-sent after a lost answer is stored once. If the server is away, output is kept (up to a cap) and sent later.
 */
public final class LogShipper implements AutoCloseable {
    /** Sends one batch; throws when it could not be delivered (the batch is then sent again). */
    public interface Sink {
        void send(LogBatch batch) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
    static final int BATCH_BYTES = 256 * 1024;
    /**
     * What a metric point weighs in a batch, so that a burst of metric lines stays well under the server's request
     * limit: a packed point with one axis, {@code [seq,value,timeMs,{"step":n}]}, is about 50 bytes of the batch's JSON
     * (its quotes escaped). A batch of points with several axes each may weigh up to about twice what is counted,
     * which the 4 times between {@link #BATCH_BYTES} and the server's 1 MiB limit leaves room for.
     */
    static final int POINT_BYTES = 64;

    static final long MAX_PENDING_BYTES = 64L << 20;
    static final int MAX_LINE = 64 * 1024;

    private final Sink sink;
    private final StringBuilder pending = new StringBuilder();
    /** The metrics of pending lines, each with the end of its line (counted from the start of the output). */
    private final ArrayDeque<LinePoints> pendingMetrics = new ArrayDeque<>();
    /** Where {@code pending} starts in the whole output. */
    private long pendingStart;

    private final AtomicBoolean flushQueued = new AtomicBoolean();

    private record LinePoints(long end, MetricLines.Line metrics, long seq, long timeMillis) {}

    /** Reads the metric lines; used under this shipper's lock. */
    private final MetricLines.Reader metricLines = new MetricLines.Reader();

    private final List<LineStream> streams = new CopyOnWriteArrayList<>();
    /** Held while a batch is sent, so that batches go one at a time and in order; never held by a writing step. */
    private final Object sending = new Object();
    /** The ticks of every shipper of this process; a tick only hands its shipper's flush to {@link #FLUSHES}. */
    private static final ScheduledThreadPoolExecutor TICKS = ticks();
    /**
     * The flushes of every shipper: threads are reused from attempt to attempt instead of started for each, and a
     * shipper waiting for its server holds only its own.
     */
    private static final ExecutorService FLUSHES = Executors.newCachedThreadPool(Daemons.named("log-shipper"));

    private final ScheduledFuture<?> tick;
    /** A batch made but not yet taken; sent again exactly as it is, because the server may have stored it. */
    private LogBatch unsent;

    private long seq;
    private long metricSeq;
    private long dropped;
    private volatile boolean closed;

    /** The step's secrets, masked in every line before it is kept, parsed for metrics or sent. */
    private final SecretMask mask;

    /** Batches carry their metric points packed, as the server stores them, each value the text the step printed. */
    public LogShipper(Sink sink, long flushMillis) {
        this(sink, flushMillis, SecretMask.NONE);
    }

    /** {@code mask}: the values of the step's secrets, replaced in its output before anything else reads it. */
    public LogShipper(Sink sink, long flushMillis, SecretMask mask) {
        this.sink = sink;
        this.mask = mask;
        this.tick = TICKS.scheduleWithFixedDelay(this::flushSoon, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    public OutputStream stdout() {
        return stream(true);
    }

    public OutputStream stderr() {
        return stream(false);
    }

    private OutputStream stream(boolean stdout) {
        LineStream stream = new LineStream(stdout);
        streams.add(stream);
        return stream;
    }

    synchronized void line(String text, boolean parseMetrics) {
        String line = mask.mask(text);
        if (pending.length() > MAX_PENDING_BYTES) {
            dropped += line.length();
            return;
        }
        if (dropped > 0) {
            pending.append("[baton: ").append(dropped).append(" bytes of output dropped while the server was away]\n");
            dropped = 0;
        }
        pending.append(line);
        if (parseMetrics) {
            MetricLines.Line metrics = metricLines.read(line);
            if (metrics != null) {
                pendingMetrics.add(new LinePoints(
                        pendingStart + pending.length(), metrics, metricSeq++, System.currentTimeMillis()));
                pendingWeight += (long) metrics.size() * POINT_BYTES;
            }
        }
        if (pending.length() + pendingWeight >= BATCH_BYTES) {
            flushSoon();
        }
    }

    private static ScheduledThreadPoolExecutor ticks() {
        ScheduledThreadPoolExecutor ticks = new ScheduledThreadPoolExecutor(1, Daemons.named("log-shipper-ticks"));
        ticks.setRemoveOnCancelPolicy(true); // a closed shipper's tick leaves nothing behind
        return ticks;
    }

    /** How many ticks the shippers of this process have had (for tests that wait for time to pass). */
    static long ticksRun() {
        return TICKS.getCompletedTaskCount();
    }

    /**
     * Hands a flush to the flushing threads, unless one of this shipper's is already queued or under way there: a
     * server that answers slowly holds one thread per shipper, not one more per tick. What comes in during a flush
     * goes with it (it sends until nothing is pending) or with the next tick.
     */
    private void flushSoon() {
        if (!closed && flushQueued.compareAndSet(false, true)) {
            try {
                FLUSHES.execute(() -> {
                    try {
                        flushQuietly();
                    } finally {
                        flushQueued.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                flushQueued.set(false); // the process is ending: close() sends what is pending
            }
        }
    }

    /** The weight of the pending points, in bytes. */
    private long pendingWeight;

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            log.warn("cannot send logs yet: {}", e.getMessage());
        }
    }

    /** A batch the server refused (4xx) will never be taken: drop it rather than block the output behind it. */
    private static boolean refused(IOException e) {
        return e instanceof ServerClient.ServerException s && s.status() >= 400 && s.status() < 500;
    }

    /** Sends what is pending; keeps it for the next try when the server does not take it. */
    public void flush() throws IOException {
        synchronized (sending) {
            LogBatch batch;
            while ((batch = nextBatch()) != null) {
                try {
                    sink.send(batch);
                } catch (IOException e) {
                    if (!refused(e)) {
                        throw e;
                    }
                    log.warn("the server refused log batch {} ({}); it is dropped", batch.seq(), e.getMessage());
                }
                synchronized (this) {
                    unsent = null;
                }
            }
        }
    }

    /** The text and metric lines of a batch being made. */
    private record Slice(long seq, String text, List<LinePoints> lines) {}

    /**
     * The batch that failed before, unchanged, or a new one of the pending lines; null when nothing is pending. Called
     * only while sending: the lines are taken under the lock, and packed after it, while the step goes on writing.
     */
    private LogBatch nextBatch() {
        Slice slice;
        synchronized (this) {
            if (unsent != null || pending.length() == 0) {
                return unsent;
            }
            int cut = cut();
            // each point goes with the batch that holds its line
            List<LinePoints> lines = new ArrayList<>();
            while (!pendingMetrics.isEmpty() && pendingMetrics.peekFirst().end() <= pendingStart + cut) {
                LinePoints line = pendingMetrics.pollFirst();
                lines.add(line);
                pendingWeight -= (long) line.metrics().size() * POINT_BYTES;
            }
            slice = new Slice(seq++, pending.substring(0, cut), lines);
            pending.delete(0, cut);
            pendingStart += cut;
        }
        MetricPacker metrics = new MetricPacker();
        for (LinePoints line : slice.lines()) {
            metrics.add(line.metrics(), line.seq(), line.timeMillis());
        }
        LogBatch batch = new LogBatch(slice.seq(), slice.text(), metrics.isEmpty() ? Map.of() : metrics.packed());
        synchronized (this) {
            unsent = batch;
        }
        return batch;
    }

    /**
     * Where the next batch ends: after the last whole line that fits with its metric points, so that no batch ends
     * inside a line and none grows past {@link #BATCH_BYTES} (a burst of metric lines weighs more than its text). A
     * single line heavier than that goes alone.
     */
    private int cut() {
        long weight = 0; // of the metric lines before best
        int best = 0;
        for (LinePoints line : pendingMetrics) {
            int end = (int) (line.end() - pendingStart);
            long lineWeight = (long) line.metrics().size() * POINT_BYTES;
            if (end + weight + lineWeight > BATCH_BYTES) {
                // this metric line does not fit: the plain lines before it may
                int fit = lastFit(best, end - 1, weight);
                return fit > 0 ? fit : firstLineEnd();
            }
            best = end;
            weight += lineWeight;
        }
        int fit = lastFit(best, pending.length(), weight);
        return fit > 0 ? fit : firstLineEnd();
    }

    /** The last line end after {@code from}, at most {@code to}, that fits with {@code weight}; else {@code from}. */
    private int lastFit(int from, int to, long weight) {
        int limit = (int) Math.min(to, BATCH_BYTES - weight);
        if (limit <= from) {
            return from;
        }
        if (limit == pending.length() && pending.charAt(limit - 1) == '\n') {
            return limit;
        }
        return Math.max(from, pending.lastIndexOf("\n", limit - 1) + 1);
    }

    private int firstLineEnd() {
        int newline = pending.indexOf("\n");
        return newline < 0 ? pending.length() : newline + 1;
    }

    /** Flushes everything, the last partial lines included. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        tick.cancel(false);
        streams.forEach(LineStream::close);
        flush(); // after any flush under way: batches go one at a time, in order
    }

    /**
     * Cuts a stream into lines and hands each whole line to the shipper. A line longer than {@code MAX_LINE} bytes
     * is handed on in pieces, each ended with a newline (so the other stream cannot land inside it) and cut between
     * characters, never inside one.
     */
    private final class LineStream extends OutputStream {
        private final byte[] buffer = new byte[MAX_LINE];
        private final boolean stdout;
        private int size;

        LineStream(boolean stdout) {
            this.stdout = stdout;
        }

        @Override
        public synchronized void write(int b) {
            put((byte) b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            // whole runs up to a newline or a full buffer at a time: output comes in big blocks
            int i = off;
            int end = off + len;
            while (i < end) {
                int room = MAX_LINE - size;
                int limit = Math.min(end, i + room);
                int newline = -1;
                for (int j = i; j < limit; j++) {
                    if (b[j] == '\n') {
                        newline = j;
                        break;
                    }
                }
                if (newline >= 0) {
                    System.arraycopy(b, i, buffer, size, newline + 1 - i);
                    size += newline + 1 - i;
                    i = newline + 1;
                    emit(size);
                } else if (limit - i < room) {
                    System.arraycopy(b, i, buffer, size, limit - i);
                    size += limit - i;
                    i = limit;
                } else {
                    // no newline before the buffer is full: copy all but the last byte, which put uses to cut the
                    // buffer
                    // between characters
                    System.arraycopy(b, i, buffer, size, room - 1);
                    size += room - 1;
                    i += room - 1;
                    put(b[i]);
                    i++;
                }
            }
        }

        private void put(byte b) {
            buffer[size++] = b;
            if (b == '\n') {
                emit(size);
            } else if (size == MAX_LINE) {
                // a line this long is cut; bytes at its end that may begin a secret's value wait for the next piece,
                // so that the value is masked whole there (a value begins at a character's boundary)
                int held = mask.heldBack(buffer, size);
                emit(held > 0 ? size - held : characterBoundary());
            }
        }

        /** Where the last complete UTF-8 character in the buffer ends. */
        private int characterBoundary() {
            int lead = size - 1;
            while (lead > 0 && size - lead < 4 && (buffer[lead] & 0xC0) == 0x80) {
                lead--;
            }
            int b = buffer[lead] & 0xFF;
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return lead > 0 && lead + length > size ? lead : size;
        }

        private void emit(int end) {
            String text = new String(buffer, 0, end, StandardCharsets.UTF_8);
            System.arraycopy(buffer, end, buffer, 0, size - end);
            size -= end;
            line(text.endsWith("\n") ? text : text + "\n", stdout);
        }

        @Override
        public synchronized void close() {
            if (size > 0) {
                emit(size);
            }
        }
    }
}
