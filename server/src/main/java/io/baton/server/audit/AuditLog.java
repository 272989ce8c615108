package io.baton.server.audit;

import io.baton.server.api.AuditVerifyView;
import io.baton.server.db.AuditDao;
import io.baton.server.db.AuditRow;
import io.dropwizard.lifecycle.Managed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log. API threads only enqueue ({@link #record}); one writer thread appends what waits in batches, each
 * in one transaction that locks the chain's head, links the batch's entries to it and moves it.
 */
public final class AuditLog implements Managed {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final long FULL_WAIT_MS = 5_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final Jdbi jdbi;
    private final AuditSettings settings;
    private final BlockingQueue<AuditEntry> queue;
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object progress = new Object();
    private long written; // guarded by progress
    private volatile AuditDao.Head head;
    private volatile boolean running;
    private Thread writer;

    public AuditLog(Jdbi jdbi, AuditSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity);
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::writeLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes what waits (for up to 10 s), then stops the writer. */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.join(10_000);
            if (writer.isAlive()) {
                log.error("audit writer did not finish; {} entries not written", queue.size());
                writer.interrupt();
            }
        }
    }

    /** Queues {@code entry} for the writer; waits when the queue is full (the database is away), at most 5 s. */
    public void record(AuditEntry entry) {
        try {
            if (queue.offer(entry, FULL_WAIT_MS, TimeUnit.MILLISECONDS)) {
                enqueued.incrementAndGet();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.incrementAndGet();
        log.error(
                "audit queue full: entry not recorded: {} by {} ({})",
                entry.action(),
                entry.userName(),
                entry.status());
    }

    /** Waits until every entry queued before this call is in the database; false when {@code timeoutMs} passed. */
    public boolean flush(long timeoutMs) throws InterruptedException {
        long target = enqueued.get();
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (progress) {
            while (written < target) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                progress.wait(left);
            }
        }
        return true;
    }

    /** The head of the chain as this server last wrote it (null before its first batch): what anchors record. */
    public AuditDao.Head lastWritten() {
        return head;
    }

    /** Entries lost because the queue stayed full (logged each). */
    public long dropped() {
        return dropped.get();
    }

    private void writeLoop() {
        List<AuditEntry> batch = new ArrayList<>(settings.batchSize);
        long backoff = 100;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    gather(batch);
                }
                head = append(batch);
                synchronized (progress) {
                    written += batch.size();
                    progress.notifyAll();
                }
                batch.clear();
                backoff = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away: the batch waits (in order) and is written when it answers
                log.warn("cannot append {} audit entries ({}); retrying", batch.size(), e.toString());
                if (!running && backoff >= MAX_BACKOFF_MS) {
                    log.error("audit writer stopping with {} entries not written", batch.size() + queue.size());
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** Adds what arrives within {@code lingerMillis} of the first entry: fewer, larger transactions under load. */
    private void gather(List<AuditEntry> batch) throws InterruptedException {
        queue.drainTo(batch, settings.batchSize - batch.size());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.lingerMillis);
        while (batch.size() < settings.batchSize) {
            long left = deadline - System.nanoTime();
            AuditEntry next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, settings.batchSize - batch.size());
        }
    }

    /** One transaction: lock the head, link the batch to it in order, insert, move the head. */
    private AuditDao.Head append(List<AuditEntry> batch) {
        return jdbi.inTransaction(h -> {
            AuditDao dao = h.attach(AuditDao.class);
            AuditDao.Head at = dao.lockHead();
            long seq = at.seq();
            String prev = at.hash();
            List<AuditRow> rows = new ArrayList<>(batch.size());
            for (AuditEntry entry : batch) {
                AuditRow row = AuditChain.link(entry, ++seq, prev);
                rows.add(row);
                prev = row.hash();
            }
            dao.insert(rows);
            dao.setHead(seq, prev);
            return new AuditDao.Head(seq, prev);
        });
    }

    /** Entries newest first (null filters match all). */
    public List<AuditRow> page(String project, String user, String action, long sinceMs, long beforeSeq, int limit) {
        return jdbi.onDemand(AuditDao.class).page(project, user, action, sinceMs, beforeSeq, limit);
    }

    /**
     * The entries about one object, oldest first: e.g. {@code entriesFor("model", "vision/resnet")} for a model's
     * registrations and alias moves, as the audit filter names objects (docs/security.md, "Audit log").
     */
    public List<AuditRow> entriesFor(String objectType, String objectId) {
        return jdbi.onDemand(AuditDao.class).forObject(objectType, objectId);
    }

    /** Reads the chain in order, {@code pageSize} rows at a time, into {@code check}. */
    void readChain(int pageSize, Consumer<AuditRow> check) {
        AuditDao dao = jdbi.onDemand(AuditDao.class);
        long after = 0;
        while (true) {
            List<AuditRow> rows = dao.chainAfter(after, pageSize);
            rows.forEach(check);
            if (rows.size() < pageSize) {
                return;
            }
            after = rows.get(rows.size() - 1).seq();
        }
    }

    /**
     * Recomputes the chain from its first entry, then checks every anchored head against the entry it names: an
     * entry edited, deleted or inserted breaks the chain, and one rewritten with every later hash recomputed
     * breaks the anchors recorded after it. {@code firstBroken}: the first entry that cannot be trusted (for a
     * broken anchor, the one after the last anchor that held).
     */
    public AuditVerifyView verify(List<AuditAnchor> anchors) {
        Set<Long> anchored = new HashSet<>();
        anchors.forEach(a -> anchored.add(a.seq()));
        Map<Long, String> hashesAt = new HashMap<>();
        // the head before the rows: entries appended meanwhile are read, never missed
        AuditDao.Head head = jdbi.onDemand(AuditDao.class).head();
        Chain chain = new Chain();
        readChain(5_000, row -> {
            chain.check(row);
            if (anchored.contains(row.seq())) {
                hashesAt.put(row.seq(), row.hash());
            }
        });
        Long firstBroken = chain.broken;
        String problem = chain.problem;
        if (firstBroken == null && head != null && head.seq() >= chain.next) {
            firstBroken = chain.next;
            problem = "the chain's head names entry " + head.seq() + " but the log ends at entry " + (chain.next - 1);
        }
        List<AuditAnchor> sorted = new ArrayList<>(anchors);
        sorted.sort(Comparator.comparingLong(AuditAnchor::seq));
        long held = 0;
        for (AuditAnchor a : sorted) {
            String hash = hashesAt.get(a.seq());
            if (!a.hash().equals(hash)) {
                if (firstBroken == null || held + 1 < firstBroken) {
                    firstBroken = held + 1;
                    problem = "entry " + a.seq() + (hash == null ? " is missing" : "'s hash differs from the head")
                            + " anchored in Temporal at " + Instant.ofEpochMilli(a.atMs())
                            + ": an entry from " + (held + 1) + " to " + a.seq() + " was changed";
                }
                break;
            }
            held = a.seq();
        }
        long anchoredTo = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).seq();
        return new AuditVerifyView(
                firstBroken == null, chain.entries, firstBroken, anchors.size(), anchoredTo, problem);
    }

    /** The chain read in order: the first entry out of place, and why. */
    private static final class Chain {
        long entries;
        long next = 1;
        String prev = AuditChain.GENESIS;
        Long broken;
        String problem;

        void check(AuditRow row) {
            entries++;
            if (broken == null) {
                if (row.seq() != next) {
                    broken = next;
                    problem = "entry " + next + " is missing (the next is " + row.seq() + ")";
                } else if (!row.prevHash().equals(prev)) {
                    broken = row.seq();
                    problem = "entry " + row.seq() + "'s prev_hash is not entry " + (row.seq() - 1) + "'s hash";
                } else if (!AuditChain.hash(row).equals(row.hash())) {
                    broken = row.seq();
                    problem = "entry " + row.seq() + "'s fields do not match its hash";
                }
            }
            prev = row.hash();
            next = row.seq() + 1;
        }
    }
}
