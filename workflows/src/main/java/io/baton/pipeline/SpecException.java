package io.baton.pipeline;

import java.util.List;

/** Thrown when a spec, or the parameters given for it, break a rule; carries every problem found at once. */
public final class SpecException extends RuntimeException {
    private final List<SpecProblem> problems;

    public SpecException(List<SpecProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }

    private static String summary(List<SpecProblem> problems) {
        if (problems.isEmpty()) {
            return "the spec is invalid";
        }
        SpecProblem first = problems.get(0);
        String path = first.path() == null || first.path().isEmpty() ? "spec" : first.path();
        String where = first.line() == null ? path : path + " (line " + first.line() + ")";
        String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s), see details)" : "";
        return "invalid spec: " + where + ": " + first.message() + more;
    }
}
