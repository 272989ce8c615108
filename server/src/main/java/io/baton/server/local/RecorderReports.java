package io.baton.server.local;

import io.baton.common.Retry;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.auth.TokenService;
import io.baton.server.core.BatonException;
import io.baton.server.secrets.SecretService;
import io.baton.worker.client.AttemptReports;
import io.baton.worker.client.ServerClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's in-process worker reports its attempts straight to the recorder: the same checks and writes as the
 * worker routes, without HTTP (docs/architecture.md, "The worker": {@code AttemptReports}).
 */
final class RecorderReports implements AttemptReports {
    private static final Logger log = LoggerFactory.getLogger(RecorderReports.class);

    private final AttemptRecorder recorder;
    private final Duration patience;
    private final TokenService tokens;
    private final SecretService secrets;

    RecorderReports(AttemptRecorder recorder, Duration patience) {
        this(recorder, patience, null, null);
    }

    /**
     * {@code tokens}: mints each attempt's token (null: steps get none); {@code secrets}: opens the secrets its step
     * declares (null: none).
     */
    RecorderReports(AttemptRecorder recorder, Duration patience, TokenService tokens, SecretService secrets) {
        this.recorder = recorder;
        this.patience = patience;
        this.tokens = tokens;
        this.secrets = secrets;
    }

    @Override
    public void attemptWaiting(String runId, String step, int attempt, AttemptWaiting waiting) throws IOException {
        call("attempt waiting", () -> {
            recorder.attemptWaiting(runId, step, attempt, waiting);
            return null;
        });
    }

    @Override
    public AttemptStarted attemptStarted(String runId, String step, AttemptStart start) throws IOException {
        Map<String, String> values =
                secrets == null ? Map.of() : call("attempt secrets", () -> secrets.forAttempt(runId, step));
        AttemptStarted started = call("attempt start", () -> recorder.attemptStarted(runId, step, start));
        if (tokens == null || started.stepSucceeded() || started.waiting() != null) {
            return started;
        }
        return call("attempt token", () -> tokens.withAttemptToken(started, runId, step, start))
                .withSecrets(values);
    }

    @Override
    public void attemptFinished(String runId, String step, int attempt, AttemptFinish finish) throws IOException {
        call("attempt finish", () -> {
            recorder.attemptFinished(runId, step, attempt, finish);
            if (tokens != null) {
                tokens.revokeForAttempt(runId, step, attempt);
            }
            return null;
        });
    }

    @Override
    public void appendLogs(String runId, String step, int attempt, LogBatch batch) throws IOException {
        call("log batch", () -> {
            recorder.appendLogs(runId, step, attempt, batch);
            return null;
        });
    }

    private interface Write<T> {
        T run();
    }

    private <T> T call(String what, Write<T> write) throws IOException {
        Retry waiting = ServerClient.waitingOut(patience);
        while (true) {
            try {
                return write.run();
            } catch (BatonException e) {
                throw new ServerClient.ServerException(
                        what + " refused with " + e.status() + ": " + e.getMessage(), e.status());
            } catch (RuntimeException e) {
                log.debug("{} failed ({}), retrying", what, e.toString());
                ServerClient.pauseOrGiveUp(waiting, what, e.toString());
            }
        }
    }
}
