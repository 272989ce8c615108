package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the leftover check may look only at the pids handed out after a step's leader. */
class ProcessGroupsTest {
    @Test
    void aYoungGroupWithoutAWrapIsFoundAmongTheNewerPids() {
        assertThat(ProcessGroups.onlyNewerPids(1000, 1005, 3, 32_768)).isTrue();
        assertThat(ProcessGroups.onlyNewerPids(1000, 1000, 0, 32_768))
                .as("nothing handed out since")
                .isTrue();
    }

    @Test
    void aWrapOrAnOldEnoughGroupNeedsTheWholeProcessTable() {
        assertThat(ProcessGroups.onlyNewerPids(30_000, 400, 3, 32_768))
                .as("the pids wrapped around")
                .isFalse();
        // 32768 pids at 2000 a millisecond: from 16 ms on, a full wrap can no longer be ruled out
        assertThat(ProcessGroups.onlyNewerPids(1000, 1005, 15, 32_768)).isTrue();
        assertThat(ProcessGroups.onlyNewerPids(1000, 1005, 16, 32_768)).isFalse();
        assertThat(ProcessGroups.onlyNewerPids(1000, 1005, 2_000, 4_194_304)).isTrue();
        assertThat(ProcessGroups.onlyNewerPids(1000, 1005, 3, 0))
                .as("pid_max unknown")
                .isFalse();
    }

    @Test
    void theLastPidIsAtLeastThatOfAProcessJustStarted() throws Exception {
        Process started = new ProcessBuilder("true").start();
        long last = ProcessGroups.lastPid().orElseThrow();
        started.waitFor();

        // unless the counter wrapped around in between (it restarts low, above the pids kept for the kernel)
        assertThat(last >= started.pid() || last < started.pid() / 2)
                .as("last pid %d after starting %d", last, started.pid())
                .isTrue();
    }
}
