package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.worker.hardware.HostInfo;
import io.baton.worker.process.StepSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {
    private static final String TOKEN = "s3cret-token-value";

    @TempDir
    Path tmp;

    private Path file;

    /** The worker.yml the project ships, copied so that the test reads a file of its own. */
    @BeforeEach
    void copyShippedConfig() throws IOException {
        file = Files.copy(Path.of("../config/worker.yml"), tmp.resolve("worker.yml"));
    }

    @Test
    void theEnvironmentOverridesTheFile() throws IOException {
        WorkerConfig config = WorkerConfig.load(
                file,
                Map.of(
                        "BATON_POOLS", "cpu,gpu",
                        "BATON_SLOTS", "3",
                        "BATON_WORKER_NAME", "w1",
                        "BATON_SERVER", "https://baton.example:8443",
                        "BATON_TOKEN", TOKEN,
                        "BATON_WORK_DIR", tmp.resolve("work").toString(),
                        "BATON_KILL_GRACE_SECONDS", "4"));

        assertThat(config.pools()).containsExactly("cpu", "gpu");
        assertThat(config.slots()).isEqualTo(3);
        assertThat(config.name()).isEqualTo("w1");
        assertThat(config.server()).isEqualTo("https://baton.example:8443");
        assertThat(config.token()).isEqualTo(TOKEN);
        assertThat(config.workPath()).isEqualTo(tmp.resolve("work"));
        assertThat(config.killGraceSeconds()).isEqualTo(4);
    }

    @Test
    void servingSlotsAndTheAdvertisedHostComeFromTheEnvironmentWithDefaults() throws IOException {
        WorkerConfig defaults = WorkerConfig.load(file, Map.of());
        WorkerConfig set = WorkerConfig.load(
                file, Map.of("BATON_SERVING_SLOTS", "0", "BATON_ADVERTISE_HOST", "gpu-box-1.internal"));

        assertThat(defaults.servingSlots()).isEqualTo(4);
        assertThat(defaults.advertiseHost()).isNull(); // found from the route to the server when the worker starts
        assertThat(set.servingSlots()).isZero();
        assertThat(set.advertiseHost()).isEqualTo("gpu-box-1.internal");
        assertThatThrownBy(() -> WorkerConfig.load(file, Map.of("BATON_SERVING_SLOTS", "-1")))
                .hasMessageContaining("servingSlots must be 0 or more");
    }

    @Test
    void withoutEnvironmentTheDefaultsApply() throws IOException {
        WorkerConfig config = WorkerConfig.load(file, Map.of());

        assertThat(config.pools()).containsExactly("cpu");
        assertThat(config.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.name()).isEqualTo(HostInfo.hostname());
        assertThat(config.server()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.temporal()).isEqualTo("127.0.0.1:7233");
        assertThat(config.namespace()).isEqualTo("default");
        assertThat(config.token()).isNull();
        assertThat(config.heartbeatSeconds()).isEqualTo(10);
        assertThat(config.killGraceSeconds()).isEqualTo(10);
        assertThat(config.keepWorkspaces()).isFalse();
        assertThat(config.workDir()).endsWith("baton-worker-" + config.name());
        assertThat(config.tls()).isNotNull();
    }

    @Test
    void toStringNeverShowsTheToken() throws IOException {
        WorkerConfig config = WorkerConfig.load(file, Map.of("BATON_TOKEN", TOKEN, "BATON_WORKER_NAME", "w1"));

        assertThat(config.toString()).contains("w1").doesNotContain(TOKEN);
    }

    @Test
    void anUnknownSettingIsRefused() throws IOException {
        Files.writeString(file, "pool: [cpu]\n", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> WorkerConfig.load(file, Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("pool");
    }

    @Test
    void theToolsEnvironmentComesFirstOnTheStepsPath() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("tools/bin"));

        WorkerConfig config = WorkerConfig.load(
                file, Map.of("BATON_TOOLS", tmp.resolve("tools").toString()));

        assertThat(config.pathPrepend()).containsExactly(bin.toString());
    }

    @Test
    void aFolderOfPathPrependThatDoesNotExistIsLeftOut() throws IOException {
        WorkerConfig config = WorkerConfig.load(
                file, Map.of("BATON_TOOLS", tmp.resolve("none").toString()));

        assertThat(config.pathPrepend()).isEmpty();
    }

    @Test
    void stepsAreIsolatedUnlessTheOperatorSaysOtherwise() throws IOException {
        WorkerConfig defaults = WorkerConfig.load(file, Map.of());
        assertThat(defaults.stepNetwork()).isEqualTo(StepSandbox.ISOLATED);
        assertThat(defaults.stepUser()).isNull();
        assertThat(defaults.stepHide()).isEmpty();
        assertThat(defaults.passEnv()).isEmpty();

        WorkerConfig chosen =
                WorkerConfig.load(file, Map.of("BATON_STEP_NETWORK", "host", "BATON_STEP_USER", "1000:1000"));
        assertThat(chosen.stepNetwork()).isEqualTo(StepSandbox.HOST);
        assertThat(chosen.stepUser()).isEqualTo("1000:1000");
    }

    @Test
    void aStepNetworkOrUserItCannotUseIsRefusedSayingWhy() {
        assertThatThrownBy(() -> WorkerConfig.load(file, Map.of("BATON_STEP_NETWORK", "bridge")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stepNetwork must be 'isolated', 'egress' or 'host'");
        assertThatThrownBy(() -> WorkerConfig.load(file, Map.of("BATON_STEP_USER", "nobody")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stepUser must be UID:GID");
    }

    @Test
    void splitListTrimsAndDropsEmptyItems() {
        assertThat(WorkerConfig.splitList(" cpu , gpu,,")).containsExactly("cpu", "gpu");
    }
}
