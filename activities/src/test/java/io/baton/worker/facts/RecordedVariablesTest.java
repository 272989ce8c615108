package io.baton.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedVariablesTest {
    @Test
    void redactsTheValuesOfSecretLookingNamesInAnyCase() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("HF_TOKEN", "hf_abc");
        given.put("aws_secret_access_key", "s3cr3t");
        given.put("DbPassword", "pw");
        given.put("MYSQL_PASSWD", "pw");
        given.put("API_KEY", "k");
        given.put("GOOGLE_APPLICATION_CREDENTIALS", "/creds.json");
        given.put("OMP_NUM_THREADS", "1");
        given.put("BATON_RUN_ID", "run-1");

        Map<String, String> recorded = RecordedVariables.of(given);

        assertThat(recorded)
                .containsOnly(
                        Map.entry("HF_TOKEN", "<redacted>"), Map.entry("aws_secret_access_key", "<redacted>"),
                        Map.entry("DbPassword", "<redacted>"), Map.entry("MYSQL_PASSWD", "<redacted>"),
                        Map.entry("API_KEY", "<redacted>"), Map.entry("GOOGLE_APPLICATION_CREDENTIALS", "<redacted>"),
                        Map.entry("OMP_NUM_THREADS", "1"), Map.entry("BATON_RUN_ID", "run-1"));
    }

    @Test
    void neverRecordsTheWorkersTokenEvenRedacted() {
        assertThat(RecordedVariables.of(Map.of("BATON_TOKEN", "bt_secret", "BATON_STEP", "train")))
                .containsOnly(Map.entry("BATON_STEP", "train"));
    }

    @Test
    void keepsNamesSortedAndCutsVeryLongValues() {
        Map<String, String> recorded = RecordedVariables.of(Map.of("B", "x".repeat(5000), "A", "short"));

        assertThat(recorded.keySet()).containsExactly("A", "B");
        assertThat(recorded.get("B")).startsWith("x".repeat(4096)).endsWith("... (904 more characters)");
    }
}
