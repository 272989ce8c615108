package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines {@code run --follow} draws, and what it prints at the end. */
class FollowViewTest {
    private static JsonNode json(String text) throws Exception {
        return ApiClient.JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void oneAlignedLinePerStepWithStatusAttemptAndElapsedTime() throws Exception {
        JsonNode run = json(
                "{'steps': ["
                        + "{'name': 'prep', 'status': 'SUCCEEDED', 'attempts': [{'number': 1, 'startedAt': '2026-01-01T00:00:00Z', 'finishedAt': '2026-01-01T00:00:02.500Z'}]},"
                        + "{'name': 'train[lr=0.1]', 'status': 'RUNNING', 'attempts': [{'number': 1}, {'number': 2, 'startedAt': '2026-01-01T00:00:10Z'}]},"
                        + "{'name': 'eval', 'status': 'WAITING', 'reason': 'waiting for pool gpu: 0 workers online', 'attempts': []}]}");

        List<FollowView.Line> lines = FollowView.lines(run, Instant.parse("2026-01-01T00:01:15Z"));

        assertThat(lines)
                .extracting(FollowView.Line::text)
                .containsExactly(
                        "prep           SUCCEEDED  attempt 1   2.5s",
                        "train[lr=0.1]  RUNNING    attempt 2   1m05s",
                        "eval           WAITING                  (waiting for pool gpu: 0 workers online)");
        // the elapsed time is not part of the key: a plain (not a terminal) follow prints a line on a change only
        assertThat(FollowView.lines(run, Instant.parse("2026-01-01T00:02:00Z")))
                .extracting(FollowView.Line::key)
                .isEqualTo(lines.stream().map(FollowView.Line::key).toList());
    }

    @Test
    void metricsAreTheLastValuePerNameOfEachStepsLatestAttempt() throws Exception {
        JsonNode metrics = json("{'series': ["
                + "{'step': 'train', 'attempt': 1, 'name': 'loss', 'points': [{'value': 9}]},"
                + "{'step': 'train', 'attempt': 2, 'name': 'loss', 'points': [{'value': 0.5}, {'value': 0.25}]},"
                + "{'step': 'train', 'attempt': 2, 'name': 'acc', 'points': [{'value': 0.9}]},"
                + "{'step': 'train', 'attempt': 2, 'name': 'epoch', 'points': [{'value': 3.0}]},"
                + "{'step': 'eval', 'attempt': 1, 'name': 'f1', 'points': []}]}");

        assertThat(FollowView.metrics(metrics)).containsExactly("train  acc=0.9 epoch=3 loss=0.25");
    }

    @Test
    void exitCodesSayHowTheRunEnded() {
        assertThat(FollowView.exitCode("SUCCEEDED")).isZero();
        assertThat(FollowView.exitCode("FAILED")).isEqualTo(1);
        assertThat(FollowView.exitCode("CANCELLED")).isEqualTo(2);
        assertThat(FollowView.ended("RUNNING")).isFalse();
    }

    @Test
    void aTerminalFrameRedrawsTheLastOneInPlace() {
        List<FollowView.Line> lines =
                List.of(new FollowView.Line("a", "k", "a  RUNNING"), new FollowView.Line("b", "k", "b  PENDING"));

        assertThat(FollowView.frame(lines, 0)).isEqualTo("\r\033[2Ka  RUNNING\n\r\033[2Kb  PENDING\n");
        assertThat(FollowView.frame(lines, 2)).startsWith("\033[2A\r\033[2Ka  RUNNING\n");
    }
}
