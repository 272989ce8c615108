package io.baton.worker.hardware;

import io.baton.protocol.GpuInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The GPUs of a worker: read from {@code nvidia-smi}, or declared in the configuration as
 * {@code "0:NVIDIA H100:81559:GPU-abc,..."} (index, name, MiB of memory, UUID).
 */
public final class Gpus {
    static final String QUERY = "--query-gpu=index,name,memory.total,uuid,driver_version";

    private Gpus() {}

    /** What was found: the GPUs and the CUDA driver version (null without a driver). */
    public record Found(List<GpuInfo> gpus, String driverVersion) {
        public static final Found NONE = new Found(List.of(), null);
    }

    public static Found detect(String declared) {
        if (declared != null && !declared.isBlank()) {
            return new Found(parseDeclared(declared), "declared");
        }
        try {
            Process p = new ProcessBuilder("nvidia-smi", QUERY, "--format=csv,noheader,nounits")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Found.NONE;
            }
            return parseSmi(out);
        } catch (IOException e) {
            return Found.NONE; // no nvidia-smi: a CPU machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Found.NONE;
        }
    }

    /** Parses {@code nvidia-smi --query-gpu=index,name,memory.total,uuid,driver_version --format=csv,noheader,nounits}. */
    static Found parseSmi(String output) {
        List<GpuInfo> gpus = new ArrayList<>();
        String driver = null;
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 5) {
                throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
            }
            gpus.add(new GpuInfo(Integer.parseInt(f[0].trim()), f[1].trim(), mib(f[2].trim()), f[3].trim()));
            driver = f[4].trim();
        }
        return new Found(List.copyOf(gpus), driver);
    }

    static List<GpuInfo> parseDeclared(String declared) {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String item : declared.split(",")) {
            String[] f = item.trim().split(":");
            if (f.length != 4) {
                throw new IllegalArgumentException("a declared GPU is index:name:memoryMiB:uuid, not '" + item + "'");
            }
            gpus.add(new GpuInfo(Integer.parseInt(f[0]), f[1], mib(f[2]), f[3]));
        }
        return List.copyOf(gpus);
    }

    private static long mib(String value) {
        return value.matches("\\d+") ? Long.parseLong(value) << 20 : 0;
    }
}
