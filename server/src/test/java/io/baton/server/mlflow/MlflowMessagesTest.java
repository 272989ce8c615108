package io.baton.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.mlflow.MlflowMessages.ModelVersion;
import io.baton.server.mlflow.MlflowMessages.ModelVersions;
import io.baton.server.mlflow.MlflowMessages.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlflowMessagesTest {
    @Test
    void messagesUseMlflowsSnakeCaseNamesAndLeaveOutWhatIsMissing() {
        ModelVersion version = new ModelVersion(
                "iris",
                "3",
                1L,
                2L,
                "alice",
                "None",
                null,
                "baton://runs/r1/steps/train",
                "r1",
                "READY",
                List.of(new Tag("baton.status", "APPROVED")),
                List.of("prod"));

        JsonNode json = new ObjectMapper().valueToTree(new ModelVersions(List.of(version), null));

        JsonNode v = json.get("model_versions").get(0);
        assertThat(v.get("creation_timestamp").asLong()).isEqualTo(1L);
        assertThat(v.get("last_updated_timestamp").asLong()).isEqualTo(2L);
        assertThat(v.get("run_id").asText()).isEqualTo("r1");
        assertThat(v.get("current_stage").asText()).isEqualTo("None");
        assertThat(v.get("tags").get(0).get("key").asText()).isEqualTo("baton.status");
        assertThat(v.has("description")).isFalse();
        assertThat(json.has("next_page_token")).isFalse();
    }
}
