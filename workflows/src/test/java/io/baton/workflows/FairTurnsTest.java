package io.baton.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.Priority;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's turn in Temporal's queues: priority, the submitter as fairness key, the project's share as weight. */
class FairTurnsTest {
    private static RunPlan plan(String user, Double share) {
        return new RunPlan("run-1", "vision", "pipe", "bundle", 2, user, Map.of(), List.of(), Map.of(), share);
    }

    @Test
    void theSubmitterIsTheKeyAndTheProjectsShareTheWeight() {
        Priority priority = FairTurns.priority(plan("alice", 2.5));
        assertThat(priority.getPriorityKey()).isEqualTo(2);
        assertThat(priority.getFairnessKey()).isEqualTo("alice");
        assertThat(priority.getFairnessWeight()).isEqualTo(2.5f);
        StepPlan step = Plans.step("train");
        assertThat(PipelineWorkflowImpl.activityOptions(plan("alice", 2.5), step)
                        .getPriority())
                .isEqualTo(priority);
    }

    @Test
    void aPlanWithoutAShareLeavesTemporalsWeightOfOne() {
        assertThat(FairTurns.priority(plan("alice", null)).getFairnessWeight()).isZero(); // unset: Temporal's 1
    }

    @Test
    void namesLongerThanTemporalTakesBecomeDistinctKeysOf64Bytes() {
        String a = "a".repeat(70) + "x";
        String b = "a".repeat(70) + "y";
        assertThat(FairTurns.key(a)).hasSize(FairTurns.MAX_KEY_BYTES).startsWith("a".repeat(39) + "~");
        assertThat(FairTurns.key(a)).isNotEqualTo(FairTurns.key(b));
        assertThat(FairTurns.key("a".repeat(64))).isEqualTo("a".repeat(64));
    }

    @Test
    void plansFromBeforeTheShareReadAndWriteAsTheyWere() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String old = "{\"runId\":\"r\",\"project\":\"p\",\"pipeline\":\"x\",\"bundle\":null,\"priority\":3,"
                + "\"createdBy\":\"alice\",\"parameters\":{},\"steps\":[],\"reused\":{}}";
        RunPlan read = json.readValue(old, RunPlan.class);
        assertThat(read.share()).isNull();
        assertThat(json.writeValueAsString(read)).doesNotContain("share");
        assertThat(json.writeValueAsString(plan("alice", 2.0))).contains("\"share\":2.0");
    }
}
