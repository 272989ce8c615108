package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.AttemptEnvironment;
import io.baton.protocol.AttemptHardware;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.GpuInfo;
import io.baton.protocol.OsInfo;
import io.baton.protocol.PythonEnvironment;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.core.Json;
import io.baton.server.testing.BothDatabases;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An attempt's environment and hardware: stored with its start, read back for its run's record (H2 and MariaDB). */
class AttemptEnvironmentDaoTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void storesWhereAnAttemptRanAndNothingForAReportWithout(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = BothDatabases.insertQueuedRun(jdbi);
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        // more than a TEXT column holds: a big environment's packages
        List<String> packages = IntStream.range(0, 5000)
                .mapToObj(i -> "package-" + i + "==1.0." + i)
                .toList();
        AttemptEnvironment environment = new AttemptEnvironment(
                "python:3.11-slim",
                Map.of("BATON_STEP", "train", "HF_TOKEN", "<redacted>"),
                new PythonEnvironment("/opt/venv/bin/python3", "3.11.7", packages),
                null,
                new OsInfo("Linux", "6.8.0", "amd64", "Debian GNU/Linux 12 (bookworm)"),
                "0.1.0",
                "17.0.12 (Eclipse)");
        AttemptHardware hardware = new AttemptHardware(
                "w1",
                "AMD EPYC 9654",
                16,
                64L << 30,
                List.of(new GpuInfo(0, "NVIDIA H100", 80L << 30, "GPU-a")),
                List.of(0));

        recorder.attemptStarted(runId, "train", new AttemptStart(1, "w1", environment, hardware));
        recorder.attemptStarted(
                runId, "train", Json.read("{\"number\": 2, \"worker\": \"w-old\"}", AttemptStart.class));

        List<AttemptEnvironmentRow> rows = jdbi.onDemand(AttemptDao.class).environmentsOfRun(runId);
        assertThat(rows).extracting(AttemptEnvironmentRow::number).containsExactly(1, 2);
        assertThat(Json.read(rows.get(0).environment(), AttemptEnvironment.class))
                .isEqualTo(environment);
        assertThat(Json.read(rows.get(0).hardware(), AttemptHardware.class)).isEqualTo(hardware);
        assertThat(rows.get(1).environment()).isNull();
        assertThat(rows.get(1).hardware()).isNull();
    }
}
