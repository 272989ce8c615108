package io.baton.worker.facts;

import io.baton.common.BatonVersion;
import io.baton.common.Daemons;
import io.baton.protocol.AttemptEnvironment;
import io.baton.protocol.AttemptHardware;
import io.baton.protocol.GpuInfo;
import io.baton.protocol.OsInfo;
import io.baton.worker.hardware.HostInfo;
import io.baton.worker.python.PythonEnvironments;
import io.baton.worker.python.PythonProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an attempt's record says about where it ran: the environment its process was given (variables, python and
 * its packages, OS, versions) and the machine (CPUs, memory, GPUs). The machine's facts are read once per worker.
 */
public final class AttemptFacts {
    /** A python that takes longer than this to list its packages is recorded without them. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String worker;
    private final List<GpuInfo> gpus;
    private final PythonEnvironments pythons;
    private final OsInfo os = HostInfo.osInfo();
    private final String cpuModel = HostInfo.cpuModel();
    private final int cpus = HostInfo.cpus();
    private final long memoryBytes = HostInfo.memoryBytes();
    private final String batonVersion = BatonVersion.version();
    private final String java = System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";

    public AttemptFacts(String worker, List<GpuInfo> gpus) {
        this.worker = worker;
        this.gpus = List.copyOf(gpus);
        this.pythons = new PythonEnvironments(PROBE_TIMEOUT);
    }

    /**
     * {@code given}: the variables Baton gives the step; {@code process}: its whole environment, whose PATH finds its
     * python. A step that runs in its image ({@code inImage}) has that image's python, which the worker cannot see.
     */
    public AttemptEnvironment environment(
            String image, Map<String, String> given, Map<String, String> process, boolean inImage) {
        PythonProbe.Result python = inImage
                ? PythonProbe.Result.problem("the step runs in image " + image + "; its python is not described")
                : pythons.describe(process);
        return new AttemptEnvironment(
                image, RecordedVariables.of(given), python.python(), python.problem(), os, batonVersion, java);
    }

    public AttemptHardware hardware(List<Integer> stepGpus) {
        return new AttemptHardware(worker, cpuModel, cpus, memoryBytes, gpus, stepGpus);
    }

    /** Describes in the background the python that steps with this environment find, so the first step need not. */
    public void warmUp(Map<String, String> process) {
        Daemons.named("python-probe").newThread(() -> pythons.describe(process)).start();
    }
}
