package io.baton.worker;

import io.baton.protocol.LogBatch;
import io.baton.protocol.MetricPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  static final long MAX_PENDING_BYTES = 64L << 20;
  private static final int MAX_LINE = 64 * 1024;

  private final Sink sink;
  private final StringBuilder pending = new StringBuilder();
  private final List<MetricPoint> pendingMetrics = new ArrayList<>();
  private final List<LineStream> streams = new CopyOnWriteArrayList<>();
  /** Held while a batch is sent, so that batches go one at a time and in order; never held by a writing step. */
  private final Object sending = new Object();
  private final ScheduledExecutorService timer;
  /** A batch made but not yet taken; sent again exactly as it is, because the server may have stored it. */
  private LogBatch unsent;
  private long seq;
  private long metricSeq;
  private long dropped;
  private boolean closed;

  public LogShipper(Sink sink, long flushMillis) {
    this.sink = sink;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "log-shipper");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
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

  synchronized void line(String line, boolean parseMetrics) {
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
      List<MetricPoint> points = MetricLines.parse(line, metricSeq, System.currentTimeMillis());
      if (!points.isEmpty()) {
        pendingMetrics.addAll(points);
        metricSeq++;
      }
    }
    if (pending.length() >= BATCH_BYTES && !closed) {
      try {
        timer.execute(this::flushQuietly);
      } catch (RejectedExecutionException e) {
        // closing: close() sends what is pending
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException e) {
      log.warn("cannot send logs yet: {}", e.getMessage());
    }
  }

  /** Sends what is pending; keeps it for the next try when the server does not take it. */
  public void flush() throws IOException {
    synchronized (sending) {
      LogBatch batch;
      while ((batch = nextBatch()) != null) {
        sink.send(batch);
        synchronized (this) {
          unsent = null;
        }
      }
    }
  }

  /** The batch that failed before, unchanged, or a new one of the pending lines; null when nothing is pending. */
  private synchronized LogBatch nextBatch() {
    if (unsent == null && pending.length() > 0) {
      int cut = cut();
      List<MetricPoint> metrics = List.of();
      if (cut == pending.length()) {
        metrics = List.copyOf(pendingMetrics);
        pendingMetrics.clear();
      }
      unsent = new LogBatch(seq++, pending.substring(0, cut), metrics);
      pending.delete(0, cut);
    }
    return unsent;
  }

  /** Where the next batch ends: after the last whole line that fits, so that no batch ends inside a line. */
  private int cut() {
    if (pending.length() <= BATCH_BYTES) {
      return pending.length();
    }
    int newline = pending.lastIndexOf("\n", BATCH_BYTES - 1);
    return newline >= 0 ? newline + 1 : BATCH_BYTES;
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
    streams.forEach(LineStream::close);
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
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
      for (int i = off; i < off + len; i++) {
        put(b[i]);
      }
    }

    private void put(byte b) {
      buffer[size++] = b;
      if (b == '\n') {
        emit(size);
      } else if (size == MAX_LINE) {
        emit(characterBoundary());
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
