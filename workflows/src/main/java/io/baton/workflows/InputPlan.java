package io.baton.workflows;

import java.util.List;

/**
 * One input of a step as the plan knows it before anything ran: the outputs of other steps, or files known when the
 * run was submitted (a blob, or a dataset or model version's files).
 */
public record InputPlan(
        String name,
        List<String> producers, // several when the producer is a matrix step
        boolean perProducer, // the producer is a matrix step: each producing step gets a folder of its own
        String path, // a file or glob among the producers' outputs
        String sha256,
        long size,
        List<ArtifactRef> files, // known at submission: one blob named by sha256:, or a dataset/model version's files
        String source, // where known files came from: sha256:<hex>, dataset:<name>/<version>, model:<name>/<version>
        String reference) { // the input as the spec wrote it
    public InputPlan {
        producers = producers == null ? List.of() : List.copyOf(producers);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** An input fed by the outputs of other steps. */
    public static InputPlan fromSteps(
            String name, List<String> producers, boolean perProducer, String path, String reference) {
        return new InputPlan(name, producers, perProducer, path, null, 0, List.of(), null, reference);
    }

    /** An input whose files were known when the run was submitted. */
    public static InputPlan known(String name, List<ArtifactRef> files, String source, String reference) {
        return new InputPlan(name, List.of(), false, null, null, 0, files, source, reference);
    }

    public boolean fromSteps() {
        return sha256 == null && files.isEmpty();
    }

    /**
     * The files of an input known at submission. Plans written before {@code files} existed name one blob by
     * {@code sha256}, staged as {@code path}.
     */
    public List<ArtifactRef> knownFiles() {
        return sha256 != null && files.isEmpty() ? List.of(new ArtifactRef(path, sha256, size)) : files;
    }

    /** Where known files came from, also for plans written before {@code source} existed. */
    public String knownSource() {
        return source != null ? source : "sha256:" + sha256;
    }
}
