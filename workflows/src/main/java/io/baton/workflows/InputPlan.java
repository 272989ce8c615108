package io.baton.workflows;

import java.util.List;

/**
 * One input of a step as the plan knows it before anything ran: the outputs of other steps ({@code producers},
 * several when the producer is a matrix step; {@code path} a file or glob among their outputs), or one blob named
 * by {@code sha256}, staged as {@code path} ({@code size} bytes). {@code perProducer}: the producer is a matrix
 * step, so each producing step gets a folder of its own.
 */
public record InputPlan(String name, List<String> producers, boolean perProducer, String path, String sha256,
                        long size) {
  public InputPlan {
    producers = producers == null ? List.of() : List.copyOf(producers);
  }

  public boolean fromSteps() {
    return sha256 == null;
  }
}
