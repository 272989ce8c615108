package io.baton.workflows;

/**
 * A file to put under {@code $BATON_INPUTS/<name>/} before a step starts: at {@code <producer>/<path>} when the
 * input is fed by a matrix step (one folder per producing step), at {@code <path>} otherwise. {@code source} says
 * where it came from: {@code step:<name>}, {@code sha256:<hex>}, {@code dataset:<name>/<v>} or
 * {@code model:<name>/<v>} (null in requests made before it was recorded).
 */
public record StagedInput(String name, String producer, String path, String sha256, long size, String source) {
    public StagedInput(String name, String producer, String path, String sha256, long size) {
        this(name, producer, path, sha256, size, null);
    }
}
