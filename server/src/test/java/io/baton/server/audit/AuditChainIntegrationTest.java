package io.baton.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.api.AuditVerifyView;
import io.baton.server.db.AuditDao;
import io.baton.server.db.AuditRow;
import io.baton.server.testing.BothDatabases;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.TestDatabase;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit chain on MariaDB with its heads anchored in the test cluster's Temporal: appends from many threads and
 * two writers (two servers) keep one valid chain; an edited, deleted or rewritten entry is found.
 */
class AuditChainIntegrationTest {
    private static WorkflowClient temporal;
    private TestDatabase database;
    private Jdbi jdbi;
    private AuditSettings settings;
    private final List<AuditLog> logs = new ArrayList<>();
    private AuditLog audit;
    private AuditAnchors anchors;

    @BeforeAll
    static void temporal() throws Exception {
        temporal = TestCluster.get().temporalClient();
    }

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.create();
        jdbi = BothDatabases.migrated(database.url(), database.user(), database.password());
        settings = new AuditSettings();
        settings.anchorSeconds = 0; // the test anchors when it wants
        settings.batchSize = 50;
        String id = UUID.randomUUID().toString().substring(0, 8);
        settings.anchorWorkflowId = "audit-anchor-test-" + id;
        settings.anchorTaskQueue = "audit-test-" + id;
        audit = writer();
        anchors = new AuditAnchors(audit, () -> temporal, settings);
        anchors.start();
    }

    @AfterEach
    void stop() throws Exception {
        anchors.stop();
        for (AuditLog l : logs) {
            l.stop();
        }
        database.owner().close();
    }

    private AuditLog writer() {
        AuditLog l = new AuditLog(jdbi, settings);
        l.start();
        logs.add(l);
        return l;
    }

    private static AuditEntry entry(int i) {
        return new AuditEntry(
                1_700_000_000_000L + i,
                "user" + (i % 7),
                "id-" + (i % 7),
                "user",
                "POST /api/v1/runs",
                "run",
                "run-" + i,
                i % 2 == 0 ? "vision" : "nlp",
                "127.0.0.1",
                201,
                null);
    }

    private void append(AuditLog to, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            to.record(entry(i));
        }
        assertThat(to.flush(30_000)).isTrue();
    }

    private AuditVerifyView verify() {
        return audit.verify(anchors.recorded());
    }

    @Test
    void appendsFromManyThreadsAndTwoServersKeepOneValidChain() throws Exception {
        AuditLog second = writer(); // another server on the same database
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            AuditLog to = t % 2 == 0 ? audit : second;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    to.record(entry(thread * 1000 + i));
                    if (i % 50 == 0 && thread == 0) {
                        anchors.anchorNow();
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(audit.flush(30_000)).isTrue();
        assertThat(second.flush(30_000)).isTrue();
        anchors.anchorNow();

        AuditVerifyView result = verify();
        assertThat(result.problem()).isNull();
        assertThat(result.valid()).isTrue();
        assertThat(result.entries()).isEqualTo(16 * 150);
        assertThat(result.anchors()).isGreaterThanOrEqualTo(1);
        assertThat(result.firstBroken()).isNull();
        // both writers' entries, every number once
        assertThat(audit.page(null, null, null, 0, Long.MAX_VALUE, 500))
                .extracting(AuditRow::seq)
                .startsWith(2400L, 2399L);
    }

    @Test
    void anEditedFieldBreaksTheChainAtThatEntry() throws Exception {
        append(audit, 0, 20);
        anchors.anchorNow();
        assertThat(verify().valid()).isTrue();

        sql("UPDATE audit SET project = 'other' WHERE seq = 7");

        AuditVerifyView result = verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBroken()).isEqualTo(7L);
        assertThat(result.entries()).isEqualTo(20);
        assertThat(result.problem()).contains("entry 7");
    }

    @Test
    void anEntryRewrittenWithEveryLaterHashRecomputedIsCaughtByTheAnchors() throws Exception {
        append(audit, 0, 5);
        assertThat(anchors.anchorNow().seq()).isEqualTo(5);
        append(audit, 5, 15);
        assertThat(anchors.anchorNow().seq()).isEqualTo(20);

        // the database's owner edits entry 7 and recomputes the chain from it on, the head included
        sql("UPDATE audit SET user_name = 'nobody' WHERE seq = 7");
        String prev = row(6).hash();
        for (long seq = 7; seq <= 20; seq++) {
            AuditRow r = row(seq);
            AuditRow relinked = new AuditRow(
                    r.seq(),
                    r.atMs(),
                    r.userName(),
                    r.userId(),
                    r.tokenKind(),
                    r.action(),
                    r.objectType(),
                    r.objectId(),
                    r.project(),
                    r.address(),
                    r.status(),
                    r.detail(),
                    prev,
                    null);
            String hash = AuditChain.hash(relinked);
            sql("UPDATE audit SET prev_hash = '" + prev + "', hash = '" + hash + "' WHERE seq = " + seq);
            prev = hash;
        }
        sql("UPDATE audit_head SET hash = '" + prev + "' WHERE id = 1");

        assertThat(audit.verify(List.of()).valid())
                .as("the chain alone holds after the rewrite")
                .isTrue();
        AuditVerifyView result = verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.anchors()).isEqualTo(2);
        // the anchor at 5 holds, the one at 20 does not: the change lies in 6..20
        assertThat(result.firstBroken()).isEqualTo(6L);
        assertThat(result.problem()).contains("entry 20");
    }

    @Test
    void aDeletedEntryIsFound() throws Exception {
        append(audit, 0, 20);
        anchors.anchorNow();
        sql("DELETE FROM audit WHERE seq = 7");
        AuditVerifyView result = verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBroken()).isEqualTo(7L);
        assertThat(result.entries()).isEqualTo(19);
    }

    @Test
    void theLastEntriesDeletedWithTheHeadMovedBackAreCaughtByTheAnchor() throws Exception {
        append(audit, 0, 20);
        anchors.anchorNow();
        AuditRow last = row(18);
        sql("DELETE FROM audit WHERE seq > 18");
        sql("UPDATE audit_head SET seq = 18, hash = '" + last.hash() + "' WHERE id = 1");
        assertThat(audit.verify(List.of()).valid()).isTrue();
        AuditVerifyView result = verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBroken()).isEqualTo(1L);
        assertThat(result.problem()).contains("entry 20 is missing");
    }

    @Test
    void anchorsAreReadBackAcrossRunsOfTheWorkflow() throws Exception {
        settings.anchorsPerWorkflowRun = 2; // continues as new after every second head
        for (int round = 0; round < 5; round++) {
            append(audit, round * 3, 3);
            assertThat(anchors.anchorNow()).isNotNull();
        }
        List<AuditAnchor> recorded = anchors.recorded();
        assertThat(recorded).extracting(AuditAnchor::seq).contains(3L, 6L, 9L, 12L, 15L);
        assertThat(verify().valid()).isTrue();
    }

    private AuditRow row(long seq) {
        return jdbi.onDemand(AuditDao.class).find(seq).orElseThrow();
    }

    private void sql(String statement) {
        jdbi.useHandle(h -> h.execute(statement));
    }
}
