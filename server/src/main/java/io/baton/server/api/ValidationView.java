package io.baton.server.api;

import io.baton.pipeline.SpecProblem;
import java.util.List;

/** {@code POST /api/v1/pipelines/validate}: whether a spec is valid, and every problem with its place. */
public record ValidationView(boolean valid, List<SpecProblem> details) {}
