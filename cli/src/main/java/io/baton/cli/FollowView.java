package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The lines of a followed run: one per step with its status, attempt and elapsed time (pure: tested alone). */
public final class FollowView {
    private FollowView() {}

    /** One step's state as a line, and the part of it whose change is worth a new line when not on a terminal. */
    public record Line(String step, String key, String text) {}

    public static List<Line> lines(JsonNode run, Instant now) {
        JsonNode steps = run.path("steps");
        int width = 4;
        for (JsonNode step : steps) {
            width = Math.max(width, step.path("name").asText().length());
        }
        List<Line> lines = new ArrayList<>();
        for (JsonNode step : steps) {
            String name = step.path("name").asText();
            String status = step.path("status").asText();
            JsonNode attempts = step.path("attempts");
            JsonNode last = attempts.size() == 0 ? null : attempts.get(attempts.size() - 1);
            String attempt =
                    last == null ? "" : "attempt " + last.path("number").asInt();
            String elapsed = last == null ? "" : elapsed(last, now);
            StringBuilder text = new StringBuilder(
                    String.format("%-" + width + "s  %-9s  %-10s  %s", name, status, attempt, elapsed));
            String reason = step.path("reason").asText("");
            if (!reason.isEmpty() && (status.equals("PENDING") || status.equals("WAITING"))) {
                text.append("  (").append(reason).append(')');
            }
            lines.add(new Line(
                    name, status + "/" + attempt + "/" + reason, text.toString().stripTrailing()));
        }
        return lines;
    }

    static String elapsed(JsonNode attempt, Instant now) {
        String started = Tables.text(attempt, "startedAt");
        if (started == null) {
            return "";
        }
        String finished = Tables.text(attempt, "finishedAt");
        Instant end = finished == null ? now : Instant.parse(finished);
        return Tables.duration(Duration.between(Instant.parse(started), end));
    }

    public static boolean ended(String status) {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
    }

    /** Contract 3: how a run's end reads as an exit code. */
    public static int exitCode(String status) {
        return switch (status) {
            case "SUCCEEDED" -> 0;
            case "FAILED" -> CliException.FAILED;
            case "CANCELLED" -> CliException.CANCELLED;
            default -> CliException.OTHER;
        };
    }

    /** The last value of each metric name per step (its latest attempt), as "step  name=value ..." lines. */
    public static List<String> metrics(JsonNode metrics) {
        Map<String, Map<String, String>> byStep = new LinkedHashMap<>();
        Map<String, Integer> attemptOf = new HashMap<>();
        for (JsonNode series : metrics.path("series")) {
            String step = series.path("step").asText();
            int attempt = series.path("attempt").asInt();
            Integer seen = attemptOf.get(step);
            if (seen != null && seen > attempt) {
                continue;
            }
            if (seen != null && seen < attempt) {
                byStep.remove(step);
            }
            attemptOf.put(step, attempt);
            JsonNode points = series.path("points");
            if (points.size() > 0) {
                byStep.computeIfAbsent(step, s -> new TreeMap<>())
                        .put(
                                series.path("name").asText(),
                                number(points.get(points.size() - 1).path("value")));
            }
        }
        int width = byStep.keySet().stream().mapToInt(String::length).max().orElse(0);
        List<String> out = new ArrayList<>();
        byStep.forEach((step, values) -> {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s ", step));
            values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            out.add(line.toString());
        });
        return out;
    }

    /** A metric's value as people write it: 3 rather than 3.0, 0.25 as it is. */
    static String number(JsonNode value) {
        double d = value.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : value.asText();
    }

    /** On a terminal: the cursor moved up over the {@code drawn} lines of the last frame, each line cleared and redrawn. */
    public static String frame(List<Line> lines, int drawn) {
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append("\033[").append(drawn).append('A');
        }
        for (Line line : lines) {
            frame.append("\r\033[2K").append(line.text()).append('\n');
        }
        return frame.toString();
    }
}
