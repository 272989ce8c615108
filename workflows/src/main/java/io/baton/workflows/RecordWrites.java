package io.baton.workflows;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * How every workflow runs the local activities that read and write Baton's record in the server: the database may be
 * away for a while (a restart), so they keep trying, and nothing the workflow decided is lost to it.
 */
final class RecordWrites {
    private RecordWrites() {}

    /** Tried until they succeed. */
    static LocalActivityOptions options() {
        // a schedule-to-close bound, not "no limit": Temporal's Java SDK does not retry a local activity that sets
        // neither attempts nor this bound (sdk-java issue 1727), and a run's workflow failed at its first failed write
        return builder(RetryOptions.newBuilder())
                .setScheduleToCloseTimeout(KEEP_TRYING)
                .build();
    }

    /** How long a write of the record is tried again (every 10 s at most) before the workflow gives up. */
    static final Duration KEEP_TRYING = Duration.ofDays(7);

    /** Tried at most {@code attempts} times (then the workflow decides). */
    static LocalActivityOptions options(int attempts) {
        return builder(RetryOptions.newBuilder().setMaximumAttempts(attempts)).build();
    }

    private static LocalActivityOptions.Builder builder(RetryOptions.Builder retry) {
        return LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(retry.setInitialInterval(Duration.ofMillis(200))
                        .setMaximumInterval(Duration.ofSeconds(10))
                        .build());
    }
}
