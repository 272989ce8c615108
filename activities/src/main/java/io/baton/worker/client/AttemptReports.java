package io.baton.worker.client;

import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import java.io.IOException;

/**
 * Where a worker reports its attempts (start, output, end): the server over HTTP ({@link ServerClient}), or in local
 * mode its recorder directly; a refusal is a {@link ServerClient.ServerException} with its HTTP status either way.
 */
public interface AttemptReports {
    /** The worker holds the step but attempt {@code attempt} cannot start yet: the step's reason says why. */
    void attemptWaiting(String runId, String step, int attempt, AttemptWaiting waiting) throws IOException;

    AttemptStarted attemptStarted(String runId, String step, AttemptStart start) throws IOException;

    void attemptFinished(String runId, String step, int attempt, AttemptFinish finish) throws IOException;

    void appendLogs(String runId, String step, int attempt, LogBatch batch) throws IOException;
}
