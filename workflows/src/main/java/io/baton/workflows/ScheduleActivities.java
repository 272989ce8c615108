package io.baton.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a schedule's action asks of the server, run as a local activity inside it. */
@ActivityInterface
public interface ScheduleActivities {
    /**
     * Records the run of the schedule's fire at {@code scheduledAtMillis} (a data trigger's: of its dataset's latest
     * version) without starting it. Idempotent: a retried or replayed fire answers the run recorded the first time.
     */
    @ActivityMethod
    ScheduledFire recordFire(String scheduleId, long scheduledAtMillis);
}
