package io.baton.workflows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The server's metadata writes, recorded instead of written; each also lands in the shared {@link Events}. */
final class RecordingControlActivities implements ControlActivities {
  private final Events events;
  private final List<StepOutcome> steps = new CopyOnWriteArrayList<>();
  private final List<RunOutcome> runs = new CopyOnWriteArrayList<>();

  RecordingControlActivities(Events events) {
    this.events = events;
  }

  @Override
  public void stepFinished(StepOutcome outcome) {
    steps.add(outcome);
    events.add("stepFinished " + outcome.step() + " " + outcome.status());
  }

  @Override
  public void runFinished(RunOutcome outcome) {
    runs.add(outcome);
    events.add("runFinished " + outcome.status());
  }

  /** Cache: keyed by the key base plus the input hashes; filled by {@link #remember}. */
  private final java.util.Map<String, List<ArtifactRef>> cache = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> waiting = new CopyOnWriteArrayList<>();

  static String key(CacheQuery query) {
    return query.keyBase() + query.inputs().stream().map(StagedInput::sha256).sorted().toList();
  }

  void remember(String key, List<ArtifactRef> outputs) {
    cache.put(key, outputs);
  }

  @Override
  public CacheResult findCached(CacheQuery query) {
    String key = key(query);
    events.add("findCached " + query.step());
    return new CacheResult(key, cache.get(key), cache.containsKey(key) ? "earlier-run" : null);
  }

  @Override
  public void stepWaiting(String runId, String step, String reason) {
    waiting.add(step);
    events.add("stepWaiting " + step);
  }

  List<String> waiting() {
    return List.copyOf(waiting);
  }

  List<StepOutcome> steps() {
    return List.copyOf(steps);
  }

  StepOutcome step(String name) {
    List<StepOutcome> found = steps.stream().filter(s -> s.step().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one stepFinished for " + name + ", got " + found);
    }
    return found.get(0);
  }

  List<RunOutcome> runs() {
    return List.copyOf(runs);
  }
}
