package io.baton.worker.temporal;

import io.baton.worker.hardware.Capacity;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The slot supplier of one shape's task queue: the worker polls it only while its shared {@link Capacity} could start
 * a step of that shape.
 */
public final class ShapeSlotSupplier implements SlotSupplier<ActivitySlotInfo> {
    private final Capacity capacity;
    private final int slots;
    private final int gpus;

    public ShapeSlotSupplier(Capacity capacity, int slots, int gpus) {
        this.capacity = capacity;
        this.slots = slots;
        this.gpus = gpus;
    }

    @Override
    public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> context) {
        CompletableFuture<Void> fits = capacity.whenFits(slots, gpus);
        return SlotSupplierFuture.fromCompletableFuture(
                fits.thenApply(v -> new SlotPermit()), () -> capacity.abandon(fits));
    }

    @Override
    public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> context) {
        return capacity.fits(slots, gpus) ? Optional.of(new SlotPermit()) : Optional.empty();
    }

    @Override
    public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> context) {
        capacity.arrive(context.getSlotInfo().getActivityInfo().getTaskToken(), slots, gpus);
    }

    @Override
    public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> context) {
        if (context.getSlotInfo() != null) {
            capacity.leave(context.getSlotInfo().getActivityInfo().getTaskToken());
        }
    }
}
