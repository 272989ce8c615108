package io.baton.server.endpoints;

import io.baton.common.Daemons;
import io.baton.server.db.EndpointDao;
import io.baton.server.db.EndpointRow;
import io.baton.server.db.ModelAliasDao;
import io.baton.server.db.ModelAliasRow;
import io.baton.server.temporal.TemporalService;
import io.dropwizard.lifecycle.Managed;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mends what a crash between two writes can leave: an endpoint whose workflow never started, one that follows an
 * alias that moved while no server could tell it. Every minute, from the server's start.
 */
public final class EndpointReconciler implements Managed {
    private static final Logger log = LoggerFactory.getLogger(EndpointReconciler.class);
    private final Jdbi jdbi;
    private final EndpointService endpoints;
    private final TemporalService temporal;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("endpoint-reconciler"));

    public EndpointReconciler(Jdbi jdbi, EndpointService endpoints, TemporalService temporal) {
        this.jdbi = jdbi;
        this.endpoints = endpoints;
        this.temporal = temporal;
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::reconcile, 5, 60, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
    }

    void reconcile() {
        try {
            for (EndpointRow endpoint : jdbi.onDemand(EndpointDao.class).all()) {
                temporal.startEndpoint(endpoint.id()); // one that runs is left alone
                if (endpoint.alias() != null && !endpoint.deleting()) {
                    Optional<ModelAliasRow> alias = jdbi.onDemand(ModelAliasDao.class)
                            .find(endpoint.modelProject(), endpoint.modelName(), endpoint.alias());
                    alias.ifPresent(a -> endpoints.aliasMissed(endpoint, a.version(), a.movedAt(), a.movedBy()));
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot reconcile endpoints now: {}", e.getMessage());
        }
    }
}
