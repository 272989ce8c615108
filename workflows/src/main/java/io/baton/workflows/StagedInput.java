package io.baton.workflows;

/**
 * A file to put under {@code $BATON_INPUTS/<name>/} before a step starts: at {@code <producer>/<path>} when a matrix
 * step feeds the input (one folder per producing step), at {@code <path>} otherwise.
 */
public record StagedInput(
        String name,
        String producer,
        String path,
        String sha256,
        long size,
        String source) { // step:<name>, sha256:<hex>, dataset:<name>/<v> or model:<name>/<v>; null in older requests
    public StagedInput(String name, String producer, String path, String sha256, long size) {
        this(name, producer, path, sha256, size, null);
    }
}
