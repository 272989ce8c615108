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
        return builder(RetryOptions.newBuilder()).build();
    }

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
