package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** The checks that need all steps at once: unique names, needs, cycles, and inputs against needs and outputs. */
final class SpecChecks {
    private SpecChecks() {}

    static void check(List<StepParser.Draft> steps, Problems problems) {
        Map<String, StepParser.Draft> byName = new LinkedHashMap<>();
        for (StepParser.Draft d : steps) {
            if (d.name == null) {
                continue;
            }
            StepParser.Draft first = byName.get(d.name);
            if (first != null) {
                problems.add(
                        d.path + ".name",
                        d.nameNode,
                        "duplicate step name '" + d.name + "' (first at line " + YamlNodes.line(first.nameNode) + ")");
            } else {
                byName.put(d.name, d);
            }
        }
        Map<String, List<String>> graph = new LinkedHashMap<>();
        for (StepParser.Draft d : byName.values()) {
            graph.put(d.name, new ArrayList<>());
        }
        for (StepParser.Draft d : steps) {
            for (int i = 0; i < d.needs.size(); i++) {
                String need = d.needs.get(i);
                String path = d.path + ".needs[" + indexOf(d, i) + "]";
                if (need.equals(d.name)) {
                    problems.add(path, d.needNodes.get(i), "a step can't need itself");
                } else if (!byName.containsKey(need)) {
                    problems.add(path, d.needNodes.get(i), "needs names unknown step '" + abbreviate(need, SPEC) + "'");
                } else if (d.name != null && byName.get(d.name) == d) {
                    graph.get(d.name).add(need);
                }
            }
            inputs(d, byName, problems);
        }
        for (List<String> cycle : Dag.cycles(graph)) {
            StepParser.Draft first = byName.get(cycle.get(0));
            String next = cycle.get(1 % cycle.size());
            int i = first.needs.indexOf(next);
            StringBuilder text = new StringBuilder("dependency cycle: ");
            for (int k = 0; k < cycle.size(); k++) {
                text.append(k == 0 ? "" : ", ")
                        .append(cycle.get(k))
                        .append(" needs ")
                        .append(cycle.get((k + 1) % cycle.size()));
            }
            problems.add(first.path + ".needs[" + indexOf(first, i) + "]", first.needNodes.get(i), text.toString());
        }
    }

    /** The index of a need in the YAML list, for its path. */
    private static int indexOf(StepParser.Draft d, int draftIndex) {
        return d.needIndexes.get(draftIndex);
    }

    private static void inputs(StepParser.Draft d, Map<String, StepParser.Draft> byName, Problems problems) {
        for (Map.Entry<String, String> input : d.inputs.entrySet()) {
            InputReference ref = InputReference.parse(input.getValue());
            if (ref.kind() != InputReference.Kind.STEP) {
                continue;
            }
            Node at = d.inputNodes.get(input.getKey());
            String path = d.path + ".inputs." + input.getKey();
            String producer = ref.name();
            if (!d.needs.contains(producer)) {
                problems.add(
                        path,
                        at,
                        "input '" + input.getKey() + "' comes from step '" + producer + "', which is not in "
                                + (byName.containsKey(producer) ? "this step's needs" : "the spec")
                                + (byName.containsKey(producer) ? "; add it to needs" : ""));
                continue;
            }
            StepParser.Draft from = byName.get(producer);
            if (from == null) {
                continue; // unknown step: reported under needs
            }
            if (from.outputs.isEmpty()) {
                // what a step hands on is part of its contract: an input must name an output its producer declares
                problems.add(
                        path,
                        at,
                        "input '" + input.getKey() + "' wants " + ref.path() + " from step '" + producer
                                + "', which declares no outputs; add 'outputs: [" + ref.path() + "]' to step '"
                                + producer + "'");
                continue;
            }
            boolean declared = from.outputs.stream().anyMatch(o -> Outputs.matches(o, ref.path()));
            if (!declared) {
                problems.add(
                        path,
                        at,
                        "input '" + input.getKey() + "' wants " + ref.path() + " from step '" + producer
                                + "', which declares no such output; its outputs: " + String.join(", ", from.outputs));
            }
        }
    }
}
