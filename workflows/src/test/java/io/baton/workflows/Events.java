package io.baton.workflows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the fake worker and the fake server saw, in one thread-safe timeline, so tests can assert order. */
final class Events {
    private final List<String> events = new CopyOnWriteArrayList<>();

    void add(String event) {
        events.add(event);
    }

    List<String> all() {
        return List.copyOf(events);
    }

    /** Where an event happened in the timeline; fails if it never did. */
    int indexOf(String event) {
        int index = events.indexOf(event);
        if (index < 0) {
            throw new AssertionError("never happened: " + event + " in " + events);
        }
        return index;
    }
}
