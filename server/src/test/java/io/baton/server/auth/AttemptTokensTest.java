package io.baton.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.AttemptStatus;
import java.nio.file.Files;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An attempt token reads as its run's submitter, lives while its attempt runs, and is never listed. */
class AttemptTokensTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void attemptTokenLivesExactlyAsLongAsItsAttemptRuns(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        AttemptRecorder recorder = new AttemptRecorder(jdbi, new FolderBlobStore(Files.createTempDirectory("blobs")));
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "train");
        recorder.attemptStarted(runId, "train", new AttemptStart(1, "w1"));
        TokenService tokens = new TokenService(jdbi);

        String secret = tokens.mintForAttempt(runId, "train", 1, "w1");
        Caller caller = tokens.authenticate(secret).orElseThrow();
        assertThat(caller.kind()).isEqualTo(Caller.ATTEMPT);
        assertThat(caller.name()).as("the run's submitter").isEqualTo("alice");
        assertThat(caller.attempt()).isEqualTo(new Caller.AttemptScope(runId, "train", 1, "p"));
        assertThat(caller.hasRole(Caller.USER)).isFalse();
        assertThat(caller.hasRole(Caller.WORKER)).isFalse();
        assertThat(tokens.list(new Caller("t0", "admin", Caller.USER, true)))
                .noneMatch(t -> t.kind().equals(Caller.ATTEMPT));

        recorder.attemptFinished(runId, "train", 1, new AttemptFinish(AttemptStatus.FAILED, 1, "exit 1"));
        tokens.revokeForAttempt(runId, "train", 1);
        assertThat(tokens.authenticate(secret))
                .as("after its attempt's end, on this server")
                .isEmpty();

        // an attempt that ends without a report (its worker died: closed LOST when the next one starts)
        recorder.attemptStarted(runId, "train", new AttemptStart(2, "w1"));
        String lost = tokens.mintForAttempt(runId, "train", 2, "w1");
        assertThat(new TokenService(jdbi).authenticate(lost)).isPresent();
        recorder.attemptStarted(runId, "train", new AttemptStart(3, "w2"));
        assertThat(new TokenService(jdbi).authenticate(lost))
                .as("once its attempt was closed LOST")
                .isEmpty();
    }
}
