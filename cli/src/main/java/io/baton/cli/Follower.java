package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a run to its end with the server's long poll ({@code GET /runs/{id}?wait=}): step lines redrawn in place on
 * a terminal, a line per change otherwise; a failed step's log tail; the final metrics; the exit code.
 */
public final class Follower {
    static final int LOG_TAIL_LINES = 20;

    private final ApiClient api;
    private final PrintStream out;
    private final boolean terminal;
    private volatile boolean following;

    public Follower(ApiClient api, PrintStream out, boolean terminal) {
        this.api = api;
        this.out = out;
        this.terminal = terminal;
    }

    /** Follows run {@code id}; the run as it ended. Ctrl-C stops following only (the run goes on). */
    public JsonNode follow(String id, PrintStream err) {
        following = true;
        Thread hook = new Thread(() -> {
            if (following) {
                err.println();
                err.println("baton: stopped following run " + id + "; it goes on (cancel it with: baton runs cancel "
                        + id + ")");
                err.flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop(id);
        } finally {
            following = false;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now
            }
        }
    }

    private JsonNode loop(String id) {
        String path = "/runs/" + ApiClient.segment(id);
        String wait = terminal ? "1s" : "2s";
        Map<String, String> shown = new HashMap<>();
        Set<String> tailed = new HashSet<>();
        int drawn = 0;
        JsonNode run = api.get(path);
        while (true) {
            List<FollowView.Line> lines = FollowView.lines(run, Instant.now());
            if (terminal) {
                out.print(FollowView.frame(lines, drawn));
                drawn = lines.size();
            } else {
                for (FollowView.Line line : lines) {
                    if (!line.key().equals(shown.put(line.step(), line.key()))) {
                        out.println(line.text());
                    }
                }
            }
            for (JsonNode step : run.path("steps")) {
                String name = step.path("name").asText();
                if (step.path("status").asText().equals("FAILED") && tailed.add(name)) {
                    tail(id, step);
                    drawn = 0; // the tail sits below the block: start a new one under it
                }
            }
            out.flush();
            String status = run.path("status").asText();
            if (FollowView.ended(status)) {
                return run;
            }
            run = api.get(path + "?wait=" + wait);
        }
    }

    private void tail(String id, JsonNode step) {
        String name = step.path("name").asText();
        JsonNode attempts = step.path("attempts");
        JsonNode last = attempts.size() == 0 ? null : attempts.get(attempts.size() - 1);
        String logs;
        try {
            logs = api.text("/runs/" + ApiClient.segment(id) + "/steps/" + ApiClient.segment(name) + "/logs");
        } catch (CliException e) {
            logs = "(no logs: " + e.getMessage() + ")";
        }
        List<String> all = logs.lines().toList();
        List<String> tail = all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size());
        String exit = last != null && last.hasNonNull("exitCode")
                ? ", exit code " + last.get("exitCode").asInt()
                : "";
        out.println("--- " + name + " failed (attempt "
                + (last == null ? "-" : last.path("number").asInt()) + exit + "); the last " + tail.size()
                + " lines of its log:");
        tail.forEach(l -> out.println("    " + l));
        out.println("---");
    }

    /** The end of a followed run: the metrics' last values, the run's id, status and how to see more. */
    public void summary(JsonNode run) {
        String id = run.path("id").asText();
        try {
            List<String> metrics = FollowView.metrics(api.get("/runs/" + ApiClient.segment(id) + "/metrics"));
            if (!metrics.isEmpty()) {
                out.println("metrics (last values):");
                metrics.forEach(m -> out.println("  " + m));
            }
        } catch (CliException e) {
            out.println("(no metrics: " + e.getMessage() + ")");
        }
        String took = "";
        String created = Tables.text(run, "createdAt");
        String finished = Tables.text(run, "finishedAt");
        if (created != null && finished != null) {
            took = " in " + Tables.duration(Duration.between(Instant.parse(created), Instant.parse(finished)));
        }
        out.println("run " + id + " " + run.path("status").asText() + took + "  (" + api.server() + "/api/v1/runs/" + id
                + "; baton runs show " + id + ")");
        out.flush();
    }
}
