package io.baton.server.endpoints;

import io.baton.protocol.ReplicaReady;
import io.baton.server.core.BatonException;
import io.baton.server.db.EndpointDao;
import io.baton.server.db.ReplicaRow;
import io.baton.server.temporal.TemporalService;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker says that a replica it runs answers its health path: recorded READY with its address (traffic may go
 * there) once Temporal confirms that the replica's activity is this worker's.
 */
public final class ReplicaReports {
    private static final Logger log = LoggerFactory.getLogger(ReplicaReports.class);
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,250}:[0-9]{1,5}");

    private final Jdbi jdbi;
    private final TemporalService temporal;

    public ReplicaReports(Jdbi jdbi, TemporalService temporal) {
        this.jdbi = jdbi;
        this.temporal = temporal;
    }

    public void ready(String worker, String replicaId, ReplicaReady report) {
        if (report == null
                || report.address() == null
                || !ADDRESS.matcher(report.address()).matches()) {
            throw BatonException.badRequest(
                    "the body must be {\"address\": \"host:port\"}: where the servers reach the" + " replica");
        }
        int port = Integer.parseInt(report.address().substring(report.address().lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
            throw BatonException.badRequest("the replica's port must be 1 to 65535, not " + port);
        }
        EndpointDao dao = jdbi.onDemand(EndpointDao.class);
        BatonException unknown = BatonException.notFound("worker '" + worker + "' runs no replica '" + replicaId + "'");
        ReplicaRow replica = dao.replica(replicaId).orElseThrow(() -> unknown);
        if (!replica.status().equals("STARTING") && !replica.status().equals("READY")) {
            throw BatonException.conflict("replica " + replicaId + " is " + replica.status() + "; stop it");
        }
        if (replica.status().equals("READY")) {
            if (worker.equals(replica.worker()) && report.address().equals(replica.address())) {
                return; // the same report again (a retry)
            }
            throw BatonException.conflict("replica " + replicaId + " is READY elsewhere; stop this one");
        }
        if (!temporal.replicaGivenTo(replicaId, worker)) {
            throw unknown;
        }
        if (dao.ready(replicaId, worker, report.address(), System.currentTimeMillis()) == 0) {
            throw BatonException.conflict("replica " + replicaId + " ended meanwhile; stop it");
        }
        try {
            temporal.replicaReady(replica.endpointId(), replicaId);
        } catch (RuntimeException e) {
            // recorded: traffic reaches it; the workflow counts it when it next looks
            log.warn(
                    "cannot tell endpoint {}'s workflow that replica {} is ready: {}",
                    replica.endpointId(),
                    replicaId,
                    e.getMessage());
        }
    }
}
