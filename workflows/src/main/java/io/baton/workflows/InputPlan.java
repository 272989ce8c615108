package io.baton.workflows;

import java.util.List;

/**
 * One input of a step as the plan knows it before anything ran: the outputs of other steps ({@code producers},
 * several when the producer is a matrix step; {@code path} a file or glob among their outputs), or files already
 * known when the run was submitted ({@code files}: one blob named by {@code sha256:}, or the files of a dataset or
 * model version, resolved then). {@code perProducer}: the producer is a matrix step, so each producing step gets a
 * folder of its own. {@code source} says where known files came from ({@code sha256:<hex>},
 * {@code dataset:<name>/<version>}, {@code model:<name>/<version>}); {@code reference} is the input as the spec
 * wrote it.
 */
public record InputPlan(
        String name,
        List<String> producers,
        boolean perProducer,
        String path,
        String sha256,
        long size,
        List<ArtifactRef> files,
        String source,
        String reference) {
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
