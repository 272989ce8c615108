package io.baton.workflows;

/** Every task queue name Baton uses, in one place. */
public final class TaskQueues {
  /** Where the server's workflow worker (pipeline workflows and control activities) polls. */
  public static final String CONTROL = "baton-control";

  private static final String POOL_PREFIX = "pool-";

  private TaskQueues() {
  }

  /** The task queue of a pool's steps: {@code pool-cpu}, {@code pool-gpu}, ... */
  public static String pool(String pool) {
    return POOL_PREFIX + pool;
  }
}
