package io.baton.worker;

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
 * The slot supplier of one shape's task queue: Temporal asks it for a slot before it polls, so the worker polls
 * a shape's queue only while the worker's shared {@link Capacity} can start a step of that shape now.
 */
final class ShapeSlotSupplier implements SlotSupplier<ActivitySlotInfo> {
  private final Capacity capacity;
  private final int slots;
  private final int gpus;

  ShapeSlotSupplier(Capacity capacity, int slots, int gpus) {
    this.capacity = capacity;
    this.slots = slots;
    this.gpus = gpus;
  }

  @Override
  public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> context) {
    CompletableFuture<Capacity.Grant> grant = capacity.take(slots, gpus);
    CompletableFuture<SlotPermit> permit = grant.thenApply(SlotPermit::new);
    return SlotSupplierFuture.fromCompletableFuture(permit, () -> {
      if (!capacity.abandon(grant)) {
        grant.thenAccept(capacity::give); // granted meanwhile: give it back
      }
    });
  }

  @Override
  public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> context) {
    return capacity.tryTake(slots, gpus).map(SlotPermit::new);
  }

  @Override
  public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> context) {
    capacity.bind(context.getSlotInfo().getActivityInfo().getTaskToken(),
        (Capacity.Grant) context.getSlotPermit().userData);
  }

  @Override
  public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> context) {
    if (context.getSlotInfo() != null) {
      capacity.unbind(context.getSlotInfo().getActivityInfo().getTaskToken());
    }
    capacity.give((Capacity.Grant) context.getSlotPermit().userData);
  }
}
