package io.baton.server.local;

import io.baton.common.TemporalConnection;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.baton.server.secrets.SecretService;
import io.baton.server.temporal.TemporalSettings;
import io.baton.worker.WorkerConfig;
import io.baton.worker.WorkerRuntime;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Local mode's in-process worker: a worker like any other, whose attempt reports go straight to the recorder. */
public final class LocalWorker implements Managed {
    static final String NAME = "local";
    private static final Logger log = LoggerFactory.getLogger(LocalWorker.class);

    private final LocalWorkerSettings settings;
    private final TemporalSettings temporal;
    private final Path dataDir;
    private final TokenService tokens;
    private final AttemptRecorder recorder;
    private final SecretService secrets;
    private WorkerRuntime runtime;

    private final String payloadKey;

    /** {@code payloadKey}: the server's own, as text (the worker opens what the server seals). */
    public LocalWorker(
            LocalWorkerSettings settings,
            TemporalSettings temporal,
            Path dataDir,
            TokenService tokens,
            AttemptRecorder recorder,
            String payloadKey,
            SecretService secrets) {
        this.settings = settings;
        this.temporal = temporal;
        this.dataDir = dataDir.toAbsolutePath();
        this.tokens = tokens;
        this.recorder = recorder;
        this.payloadKey = payloadKey;
        this.secrets = secrets;
    }

    /** Starts the worker once the HTTP port is open (it registers over HTTP like any worker). */
    public void serverStarted(Server server) {
        try {
            start(Ports.application(server));
        } catch (Exception e) {
            log.error("the local worker could not start; steps of pools {} will wait", pools(), e);
        }
    }

    @Override
    public void start() {
        // started by serverStarted: the HTTP port is not open yet when managed objects start
    }

    private synchronized void start(int httpPort) throws Exception {
        tokens.revokeAll(NAME, Caller.WORKER);
        String token = tokens.issueWorker(NAME, "baton").token();
        var tls = new TemporalConnection.Tls(temporal.tls.clientCert, temporal.tls.clientKey, temporal.tls.serverCa);
        WorkerConfig workerConfig = new WorkerConfig(
                "http://127.0.0.1:" + httpPort,
                token,
                temporal.target,
                temporal.namespace,
                settings.pools,
                NAME,
                settings.slots,
                dataDir.resolve("worker").toString(),
                settings.pathPrepend,
                null,
                null,
                null,
                tls,
                null,
                null,
                null,
                null,
                null,
                null,
                settings.stepNetwork,
                // the data folder holds the admin token, the database and Temporal's file: no step may read it
                List.of(dataDir.normalize().toString()),
                List.of(),
                settings.stepUser,
                payloadKey,
                null,
                settings.servingSlots,
                null); // replicas advertise 127.0.0.1: the server is on this machine
        runtime = new WorkerRuntime(
                workerConfig, new RecorderReports(recorder, WorkerRuntime.REPORT_PATIENCE, tokens, secrets));
        runtime.start();
    }

    @Override
    public synchronized void stop() {
        if (runtime != null) {
            log.info("stopping the local worker");
            runtime.close();
        }
    }

    public List<String> pools() {
        return settings.pools;
    }
}
