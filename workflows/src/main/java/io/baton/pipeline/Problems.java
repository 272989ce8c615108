package io.baton.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Collects problems while a spec is walked, so that one pass reports all of them rather than the first. */
final class Problems {
    private final List<SpecProblem> list = new ArrayList<>();

    void add(String path, Node at, String message) {
        if (at == null) {
            list.add(new SpecProblem(path, null, null, message));
        } else {
            list.add(new SpecProblem(path, YamlNodes.line(at), YamlNodes.column(at), message));
        }
    }

    void add(SpecProblem problem) {
        list.add(problem);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    /** In document order (problems without a position last), so the list reads top to bottom like the spec. */
    List<SpecProblem> sorted() {
        List<SpecProblem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing(SpecProblem::line, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(SpecProblem::column, Comparator.nullsLast(Comparator.naturalOrder())));
        return List.copyOf(copy);
    }
}
