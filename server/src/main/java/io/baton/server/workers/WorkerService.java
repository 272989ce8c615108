package io.baton.server.workers;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.protocol.GpuInfo;
import io.baton.protocol.RunningStep;
import io.baton.protocol.WorkerHeartbeat;
import io.baton.protocol.WorkerRegistration;
import io.baton.server.api.WorkerView;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.WorkerDao;
import io.baton.server.db.WorkerRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** Registered workers; a worker is OFFLINE when its heartbeats stopped for longer than its setting (30 s by default). */
public final class WorkerService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private final Jdbi jdbi;
    private final Duration offlineAfter;

    public WorkerService(Jdbi jdbi, Duration offlineAfter) {
        this.jdbi = jdbi;
        this.offlineAfter = offlineAfter;
    }

    /** Online (or draining) workers per pool. */
    public Map<String, Integer> onlineByPool() {
        Map<String, Integer> online = new HashMap<>();
        // not OFFLINE: heard from within offlineAfter (a draining worker still counts, as in its view)
        long since = System.currentTimeMillis() - offlineAfter.toMillis();
        jdbi.onDemand(WorkerDao.class)
                .poolsHeardSince(since)
                .forEach(pools -> Json.read(pools, new TypeReference<List<String>>() {})
                        .forEach(p -> online.merge(p, 1, Integer::sum)));
        return online;
    }

    public WorkerView register(String name, WorkerRegistration r) {
        checkName(name);
        if (r == null || r.pools().isEmpty()) {
            throw BatonException.badRequest("a worker registration needs at least one pool");
        }
        r.pools().stream().filter(p -> !POOL.matcher(p).matches()).findFirst().ifPresent(p -> {
            throw BatonException.badRequest("pool name '" + p + "' must match [a-z0-9][a-z0-9-]{0,62}");
        });
        if (r.slots() < 1 || r.cpus() < 1) {
            throw BatonException.badRequest("a worker needs at least one slot and one CPU");
        }
        if (r.memoryBytes() < 0
                || r.slots() > 4096
                || r.cpus() > 4096
                || r.gpus().size() > 256) {
            throw BatonException.badRequest("'memoryBytes' must be 0 or more, 'slots' and 'cpus' at most 4096 and"
                    + " 'gpus' at most 256 entries");
        }
        for (String text : Arrays.asList(r.os(), r.pythonVersion(), r.cudaDriverVersion(), r.batonVersion())) {
            if (text != null && text.length() > 200) {
                throw BatonException.badRequest(
                        "'os', 'pythonVersion', 'cudaDriverVersion' and 'batonVersion' have at most 200 characters");
            }
        }
        for (GpuInfo gpu : r.gpus()) {
            if (gpu == null
                    || gpu.index() < 0
                    || gpu.memoryBytes() < 0
                    || (gpu.name() != null && gpu.name().length() > 200)
                    || (gpu.uuid() != null && gpu.uuid().length() > 200)) {
                throw BatonException.badRequest(
                        "each of 'gpus' has an index and memoryBytes of 0 or more, and a name and uuid of at most 200"
                                + " characters");
            }
        }
        long now = System.currentTimeMillis();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("os", r.os());
        info.put("pythonVersion", r.pythonVersion());
        info.put("cudaDriverVersion", r.cudaDriverVersion());
        info.put("batonVersion", r.batonVersion());
        WorkerRow row = new WorkerRow(
                name,
                Json.write(r.pools()),
                r.cpus(),
                r.memoryBytes(),
                Json.write(r.gpus()),
                r.slots(),
                Json.write(info),
                false,
                "[]",
                now,
                now,
                false);
        jdbi.useTransaction(h -> {
            WorkerDao dao = h.attach(WorkerDao.class);
            if (dao.update(row) == 0) {
                dao.insert(row);
            }
        });
        return get(name);
    }

    /** Records a heartbeat; answers whether the worker should drain (someone asked, through the API). */
    public HeartbeatAnswer heartbeat(String name, WorkerHeartbeat heartbeat) {
        checkName(name);
        if (heartbeat == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'running' and 'draining'");
        }
        WorkerHeartbeat hb = heartbeat;
        WorkerDao dao = jdbi.onDemand(WorkerDao.class);
        int updated = dao.heartbeat(name, Json.write(hb.running()), hb.draining(), System.currentTimeMillis());
        if (updated == 0) {
            throw BatonException.notFound(
                    "no worker named '" + name + "'; register first (PUT /api/v1/workers/" + name + ")");
        }
        return new HeartbeatAnswer(dao.find(name).map(WorkerRow::drainRequested).orElse(false));
    }

    /** The server's answer to a heartbeat. */
    public record HeartbeatAnswer(boolean drain) {}

    /** Asks a worker to drain: finish its running steps, take no new ones, then stop. */
    public WorkerView drain(String name) {
        get(name);
        jdbi.onDemand(WorkerDao.class).requestDrain(name);
        return get(name);
    }

    /** Forgets an OFFLINE worker; 409 while it is still heard from. */
    public void delete(String name) {
        WorkerView worker = get(name);
        if (!"OFFLINE".equals(worker.status())) {
            throw BatonException.conflict(
                    "worker '" + name + "' is " + worker.status() + "; only an OFFLINE worker can be"
                            + " removed (drain it first, then wait until its heartbeats stop)");
        }
        long before = System.currentTimeMillis() - offlineAfter.toMillis();
        if (jdbi.onDemand(WorkerDao.class).deleteSilentSince(name, before) == 0) {
            throw BatonException.conflict("worker '" + name + "' came back online; it was not removed");
        }
    }

    public WorkerView get(String name) {
        checkName(name);
        return jdbi.onDemand(WorkerDao.class)
                .find(name)
                .map(this::view)
                .orElseThrow(() -> BatonException.notFound("no worker named '" + name + "'"));
    }

    public List<WorkerView> list() {
        return jdbi.onDemand(WorkerDao.class).all().stream().map(this::view).toList();
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw BatonException.badRequest(
                    "a worker name must be 1-100 letters, digits and _.- starting with a letter" + " or digit");
        }
    }

    WorkerView view(WorkerRow w) {
        long age = System.currentTimeMillis() - w.lastHeartbeatAt();
        String status =
                age > offlineAfter.toMillis() ? "OFFLINE" : w.draining() || w.drainRequested() ? "DRAINING" : "ONLINE";
        List<RunningStep> running = Json.read(w.running(), new TypeReference<List<RunningStep>>() {});
        Map<String, Object> info = Json.read(w.info(), new TypeReference<Map<String, Object>>() {});
        return new WorkerView(
                w.name(),
                status,
                Json.read(w.pools(), new TypeReference<List<String>>() {}),
                w.cpus(),
                w.memoryBytes(),
                Json.read(w.gpus(), new TypeReference<List<GpuInfo>>() {}),
                w.slots(),
                "OFFLINE".equals(status) ? 0 : running.size(),
                Instant.ofEpochMilli(w.registeredAt()),
                Instant.ofEpochMilli(w.lastHeartbeatAt()),
                "OFFLINE".equals(status) ? List.of() : running,
                (String) info.get("os"),
                (String) info.get("pythonVersion"),
                (String) info.get("cudaDriverVersion"),
                (String) info.get("batonVersion"),
                w.drainRequested(),
                w.draining());
    }
}
