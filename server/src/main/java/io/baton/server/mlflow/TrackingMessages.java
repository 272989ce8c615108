package io.baton.server.mlflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.baton.server.mlflow.MlflowMessages.Tag;
import java.util.List;
import java.util.Map;

/**
 * MLflow's tracking messages as its REST API writes them (snake_case, times as epoch milliseconds), for the routes
 * under {@code /api/2.0/mlflow/} that read Baton's runs and take a step's logging. Requests ignore fields Baton does
 * not use.
 */
public final class TrackingMessages {
    private TrackingMessages() {}

    public record Metric(String key, double value, long timestamp, long step) {}

    public record Param(String key, String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunInfo(
            String runId,
            String runUuid,
            String experimentId,
            String runName,
            String userId,
            String status,
            long startTime,
            Long endTime,
            String artifactUri,
            String lifecycleStage) {}

    public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {}

    public record Run(RunInfo info, RunData data, Map<String, Object> inputs) {}

    public record RunAnswer(Run run) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunInfoAnswer(RunInfo runInfo) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Runs(List<Run> runs, String nextPageToken) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Experiment(
            String experimentId,
            String name,
            String artifactLocation,
            String lifecycleStage,
            Long creationTime,
            Long lastUpdateTime,
            List<Tag> tags) {}

    public record ExperimentAnswer(Experiment experiment) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Experiments(List<Experiment> experiments, String nextPageToken) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metrics(List<Metric> metrics, String nextPageToken) {}

    /** An empty answer: what MLflow's write routes return. */
    public record Done() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MetricRequest(String runId, String runUuid, String key, Double value, Long timestamp, Long step) {
        public String run() {
            return runId != null ? runId : runUuid;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KeyValueRequest(String runId, String runUuid, String key, String value) {
        public String run() {
            return runId != null ? runId : runUuid;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BatchMetric(String key, Double value, Long timestamp, Long step) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BatchRequest(String runId, List<BatchMetric> metrics, List<Param> params, List<Tag> tags) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateRequest(String runId, String runUuid, String status, Long endTime, String runName) {
        public String run() {
            return runId != null ? runId : runUuid;
        }
    }

    /** A request naming a run and nothing Baton records (log-inputs, outputs). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunRequest(String runId) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SearchRunsRequest(
            List<String> experimentIds,
            String filter,
            String runViewType,
            Integer maxResults,
            List<String> orderBy,
            String pageToken) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SearchExperimentsRequest(
            Integer maxResults, String filter, List<String> orderBy, String viewType, String pageToken) {}
}
