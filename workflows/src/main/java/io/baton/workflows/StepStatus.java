package io.baton.workflows;

/** The life of a step of a run. */
public enum StepStatus {
  PENDING, WAITING, RUNNING, SUCCEEDED, FAILED, CANCELLED, CACHED, REUSED, SKIPPED;

  public boolean terminal() {
    return this != PENDING && this != WAITING && this != RUNNING;
  }
}
