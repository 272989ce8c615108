package io.baton.worker;

import io.baton.protocol.LogBatch;
import io.baton.protocol.MetricPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
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
  private final ScheduledExecutorService timer;
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
    return new LineStream(true);
  }

  public OutputStream stderr() {
    return new LineStream(false);
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
    if (pending.length() >= BATCH_BYTES) {
      timer.execute(this::flushQuietly);
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
  public synchronized void flush() throws IOException {
    while (pending.length() > 0 || !pendingMetrics.isEmpty()) {
      int cut = Math.min(pending.length(), BATCH_BYTES);
      String text = pending.substring(0, cut);
      List<MetricPoint> metrics = cut == pending.length() ? List.copyOf(pendingMetrics) : List.of();
      sink.send(new LogBatch(seq, text, metrics));
      seq++;
      pending.delete(0, cut);
      if (!metrics.isEmpty()) {
        pendingMetrics.clear();
      }
    }
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
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  /** Cuts a stream into lines and hands each whole line to the shipper. */
  private final class LineStream extends OutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final boolean stdout;

    LineStream(boolean stdout) {
      this.stdout = stdout;
    }

    @Override
    public void write(int b) {
      buffer.write(b);
      if (b == '\n' || buffer.size() >= MAX_LINE) {
        emit();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    private void emit() {
      if (buffer.size() > 0) {
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        line(text, stdout);
      }
    }

    @Override
    public void close() {
      if (buffer.size() > 0) {
        buffer.write('\n');
        emit();
      }
    }
  }
}
