package io.baton.worker.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.GpuInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** GPU detection against recorded nvidia-smi outputs (no GPU on the build machine), and declared GPUs. */
class GpusTest {
    private static String recorded(String name) throws IOException {
        try (InputStream in = GpusTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsOneH100FromNvidiaSmi() throws IOException {
        Gpus.Found found = Gpus.parseSmi(recorded("h100-x1.csv"));
        assertThat(found.gpus())
                .containsExactly(new GpuInfo(
                        0, "NVIDIA H100 80GB HBM3", 81559L << 20, "GPU-5e0f9d3c-2b8a-4f61-9d0e-1f2a3b4c5d6e"));
        assertThat(found.driverVersion()).isEqualTo("550.54.15");
    }

    @Test
    void readsSeveralGpusAndToleratesUnknownMemory() throws IOException {
        Gpus.Found found = Gpus.parseSmi(recorded("a100-x3.csv"));
        assertThat(found.gpus()).extracting(GpuInfo::index).containsExactly(0, 1, 2);
        assertThat(found.gpus().get(1).uuid()).isEqualTo("GPU-bbbbbbbb-1111-2222-3333-444444444444");
        assertThat(found.gpus().get(2).memoryBytes()).isZero();
    }

    @Test
    void declaredGpusStandInForHardware() {
        Gpus.Found found = Gpus.detect("0:Fake GPU:16384:GPU-fake-0,1:Fake GPU:16384:GPU-fake-1");
        assertThat(found.gpus()).hasSize(2);
        assertThat(found.gpus().get(1)).isEqualTo(new GpuInfo(1, "Fake GPU", 16384L << 20, "GPU-fake-1"));
        assertThatThrownBy(() -> Gpus.detect("0:only-a-name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index:name:memoryMiB:uuid");
    }

    @Test
    void noNvidiaSmiMeansNoGpus() {
        // the build machine has no NVIDIA driver: detection finds nothing rather than failing
        org.junit.jupiter.api.Assumptions.assumeFalse(new java.io.File("/usr/bin/nvidia-smi").exists());
        assertThat(Gpus.detect(null)).isEqualTo(Gpus.Found.NONE);
    }
}
