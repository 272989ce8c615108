package io.baton.workflows;

/**
 * A file to put under {@code $BATON_INPUTS/<name>/} before a step starts: at {@code <producer>/<path>} when the
 * input is fed by a matrix step (one folder per producing step), at {@code <path>} otherwise.
 */
public record StagedInput(String name, String producer, String path, String sha256, long size) {
}
