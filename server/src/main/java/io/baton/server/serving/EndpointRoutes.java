package io.baton.server.serving;

import io.baton.server.db.EndpointRouteDao;
import io.baton.server.db.EndpointRouteRow;
import io.baton.server.db.RevisionVersionRow;
import io.baton.server.db.RoutableReplicaRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an endpoint's requests may go, read from the database at most every {@code routeCacheMillis} (several
 * servers share it; the workflow stops old replicas seconds after it moves traffic, so a routing this fresh never
 * names a stopped one). While one request reads it again, the others use the one before.
 */
public final class EndpointRoutes {
    private static final Logger log = LoggerFactory.getLogger(EndpointRoutes.class);
    private static final int MAX_ENDPOINTS = 10_000;
    /** host:port, host a name, IPv4 or [IPv6]: nothing that could move a request to another path or host. */
    private static final Pattern ADDRESS =
            Pattern.compile("([A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]):[0-9]{1,5}");

    private final Jdbi jdbi;
    private final long maxAgeNanos;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    /** A replica traffic may go to. */
    public record Target(String replicaId, int revision, int version, String address) {}

    /**
     * An endpoint's routing: its status, the READY replicas of its stable and canary revisions (with a round-robin
     * counter each) and the share of requests the canary takes. {@code version} names what it serves (for a 503).
     */
    public record Routing(
            String endpointId,
            String status,
            String message,
            int version,
            List<Target> stable,
            List<Target> canary,
            int canaryPercent,
            AtomicInteger stableNext,
            AtomicInteger canaryNext) {}

    private record Key(String project, String name) {}

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicInteger stableNext = new AtomicInteger();
        final AtomicInteger canaryNext = new AtomicInteger();
        volatile Optional<Routing> routing = Optional.empty();
        volatile long loadedAt;
        volatile boolean loaded;
    }

    public EndpointRoutes(Jdbi jdbi, long maxAgeMillis) {
        this.jdbi = jdbi;
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
    }

    /** The endpoint's routing, empty when there is no such endpoint. */
    public Optional<Routing> find(String project, String name) {
        Key key = new Key(project, name);
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= MAX_ENDPOINTS) {
                entries.clear();
            }
            e = entries.computeIfAbsent(key, k -> new Entry());
        }
        long now = System.nanoTime();
        if (e.loaded && now - e.loadedAt < maxAgeNanos) {
            return e.routing;
        }
        if (e.lock.tryLock()) {
            try {
                reloadIfStale(key, e);
            } finally {
                e.lock.unlock();
            }
        } else if (!e.loaded || now - e.loadedAt >= 3 * maxAgeNanos) {
            e.lock.lock(); // nothing recent enough to use meanwhile: wait for the read under way
            try {
                reloadIfStale(key, e);
            } finally {
                e.lock.unlock();
            }
        }
        return e.routing;
    }

    private void reloadIfStale(Key key, Entry e) {
        if (e.loaded && System.nanoTime() - e.loadedAt < maxAgeNanos) {
            return;
        }
        try {
            e.routing = load(key, e);
        } catch (RuntimeException failure) {
            if (!e.loaded) {
                throw failure;
            }
            // the database did not answer: the routing read before serves on, and is read again after maxAge
            log.warn(
                    "could not read the routing of endpoint {} in project {}; using the one read before",
                    key.name(),
                    key.project(),
                    failure);
        }
        e.loadedAt = System.nanoTime();
        e.loaded = true;
    }

    private Optional<Routing> load(Key key, Entry e) {
        return jdbi.withExtension(EndpointRouteDao.class, dao -> {
            Optional<EndpointRouteRow> found = dao.find(key.project(), key.name());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            EndpointRouteRow row = found.get();
            Integer stable = row.stableRevision();
            Integer canary = row.canaryRevision();
            Map<Integer, Integer> versions = new HashMap<>();
            for (RevisionVersionRow v : dao.versions(
                    row.id(), stable == null ? -1 : stable, canary == null ? -1 : canary, row.revision())) {
                versions.put(v.revision(), v.version());
            }
            List<Target> stableTargets = new ArrayList<>();
            List<Target> canaryTargets = new ArrayList<>();
            for (RoutableReplicaRow r : dao.ready(row.id())) {
                if (!ADDRESS.matcher(r.address()).matches()) {
                    log.warn(
                            "replica {} of endpoint {} has an address that is not host:port; no traffic goes to it",
                            r.id(),
                            row.id());
                    continue;
                }
                Target t = new Target(r.id(), r.revision(), r.version(), r.address());
                if (stable != null && r.revision() == stable) {
                    stableTargets.add(t);
                } else if (canary != null && r.revision() == canary) {
                    canaryTargets.add(t);
                }
            }
            int version = versions.getOrDefault(
                    stable != null ? stable : row.revision(), versions.getOrDefault(row.revision(), 0));
            int percent = canary == null || row.canaryPercent() == null ? 0 : row.canaryPercent();
            return Optional.of(new Routing(
                    row.id(),
                    row.status(),
                    row.message(),
                    version,
                    List.copyOf(stableTargets),
                    List.copyOf(canaryTargets),
                    percent,
                    e.stableNext,
                    e.canaryNext));
        });
    }
}
