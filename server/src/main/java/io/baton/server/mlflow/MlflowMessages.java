package io.baton.server.mlflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * MLflow's model registry messages as its REST API writes them (snake_case, versions as strings, times as epoch
 * milliseconds), for the routes under {@code /api/2.0/mlflow/}.
 */
public final class MlflowMessages {
    private MlflowMessages() {}

    public record Tag(String key, String value) {}

    public record Alias(String alias, String version) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelVersion(
            String name,
            String version,
            long creationTimestamp,
            long lastUpdatedTimestamp,
            String userId,
            String currentStage,
            String description,
            String source,
            String runId,
            String status,
            List<Tag> tags,
            List<String> aliases) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegisteredModel(
            String name,
            long creationTimestamp,
            long lastUpdatedTimestamp,
            String userId,
            String description,
            List<ModelVersion> latestVersions,
            List<Tag> tags,
            List<Alias> aliases) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RegisteredModelAnswer(RegisteredModel registeredModel) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RegisteredModels(List<RegisteredModel> registeredModels, String nextPageToken) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelVersionAnswer(ModelVersion modelVersion) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelVersions(List<ModelVersion> modelVersions, String nextPageToken) {}

    /** The body of {@code POST registered-models/get-latest-versions}; other fields MLflow may add are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LatestVersionsRequest(String name, List<String> stages) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DownloadUri(String artifactUri) {}

    /** An entry of an artifact listing: a file with its size or a folder. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileInfo(String path, boolean isDir, Long fileSize) {}

    public record FileList(List<FileInfo> files) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Error(String errorCode, String message) {}
}
