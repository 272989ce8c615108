package io.baton.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The graph of steps and their {@code needs}. */
public final class Dag {
    private Dag() {}

    /**
     * Steps in an order where each comes after everything it needs. Stable: among the steps that are ready, the one
     * written first in the spec goes first, so a spec with no needs keeps its order.
     *
     * @throws IllegalArgumentException when the steps form a cycle or need an unknown step (a parsed spec never does)
     */
    public static List<String> topologicalOrder(PipelineSpec spec) {
        Map<String, List<String>> graph = graph(spec);
        for (Map.Entry<String, List<String>> e : graph.entrySet()) {
            for (String need : e.getValue()) {
                if (!graph.containsKey(need)) {
                    throw new IllegalArgumentException("step '" + e.getKey() + "' needs unknown step '" + need + "'");
                }
            }
        }
        List<String> order = new ArrayList<>(graph.size());
        Set<String> done = new HashSet<>();
        List<String> pending = new ArrayList<>(graph.keySet());
        // O(n^2) is fine: specs have tens of steps, and this keeps "first ready in spec order" obvious.
        while (!pending.isEmpty()) {
            String ready = null;
            for (String step : pending) {
                if (done.containsAll(graph.get(step))) {
                    ready = step;
                    break;
                }
            }
            if (ready == null) {
                throw new IllegalArgumentException("the steps form a cycle: " + cycles(graph));
            }
            pending.remove(ready);
            done.add(ready);
            order.add(ready);
        }
        return List.copyOf(order);
    }

    /** The spec's steps in order with their needs. */
    public static Map<String, List<String>> graph(PipelineSpec spec) {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        for (StepSpec step : spec.steps()) {
            graph.put(step.name(), step.needs());
        }
        return graph;
    }

    /**
     * One cycle per group of steps that need each other (strongly connected component of more than one step, or a
     * step that needs itself), as the list of step names along the cycle, starting with the group's step that comes
     * first in {@code graph}'s order. Edges to names that are not keys of {@code graph} are ignored. Groups are listed
     * in the order of their first step.
     */
    public static List<List<String>> cycles(Map<String, ? extends Collection<String>> graph) {
        List<String> names = new ArrayList<>(graph.keySet());
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            position.put(names.get(i), i);
        }
        List<List<String>> result = new ArrayList<>();
        for (Set<String> component : new Tarjan(graph).components()) {
            String first = component.stream()
                    .min((a, b) -> position.get(a) - position.get(b))
                    .orElseThrow();
            boolean selfLoop = graph.get(first).contains(first);
            if (component.size() > 1 || selfLoop) {
                result.add(pathBack(graph, component, first, position));
            }
        }
        result.sort((a, b) -> position.get(a.get(0)) - position.get(b.get(0)));
        return List.copyOf(result);
    }

    /** A shortest path inside the component from start back to start (BFS), following needs in their written order. */
    private static List<String> pathBack(
            Map<String, ? extends Collection<String>> graph,
            Set<String> component,
            String start,
            Map<String, Integer> position) {
        if (graph.get(start).contains(start)) {
            return List.of(start);
        }
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String node = queue.removeFirst();
            for (String next : graph.get(node)) {
                if (!component.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String n = node; n != null; n = parent.get(n)) {
                        path.add(0, n);
                    }
                    return List.copyOf(path);
                }
                if (!parent.containsKey(next)) {
                    parent.put(next, node);
                    queue.addLast(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start); // cannot happen within a component
    }

    /** Tarjan's strongly connected components, iterative so a long chain of steps cannot overflow the stack. */
    private static final class Tarjan {
        private final Map<String, ? extends Collection<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<Set<String>> components = new ArrayList<>();
        private int counter;

        Tarjan(Map<String, ? extends Collection<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> components() {
            for (String node : graph.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return components;
        }

        private void visit(String root) {
            // Each frame: the node and an iterator over its (known) successors.
            Deque<Map.Entry<String, Iterator<String>>> frames = new ArrayDeque<>();
            open(root, frames);
            while (!frames.isEmpty()) {
                Map.Entry<String, Iterator<String>> frame = frames.peekLast();
                String node = frame.getKey();
                if (frame.getValue().hasNext()) {
                    String next = frame.getValue().next();
                    if (!graph.containsKey(next)) {
                        continue;
                    }
                    if (!index.containsKey(next)) {
                        open(next, frames);
                    } else if (onStack.contains(next)) {
                        low.put(node, Math.min(low.get(node), index.get(next)));
                    }
                    continue;
                }
                frames.removeLast();
                if (!frames.isEmpty()) {
                    String parent = frames.peekLast().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(node)));
                }
                if (low.get(node).equals(index.get(node))) {
                    Set<String> component = new HashSet<>();
                    String member;
                    do {
                        member = stack.removeLast();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(node));
                    components.add(component);
                }
            }
        }

        private void open(String node, Deque<Map.Entry<String, Iterator<String>>> frames) {
            index.put(node, counter);
            low.put(node, counter);
            counter++;
            stack.addLast(node);
            onStack.add(node);
            frames.addLast(Map.entry(node, graph.get(node).iterator()));
        }
    }
}
