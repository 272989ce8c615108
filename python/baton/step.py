"""What a step reads and writes: its parameters, inputs, output and checkpoint folders, and metrics.

Each helper reads the ``BATON_*`` variables the worker gives a step (docs/pipelines.md, "What a step sees") and
raises :class:`baton.NotInStepError` when called outside a step.
"""
import json
import math
import numbers
import os
import sys
from pathlib import Path

from .errors import NotInStepError

#: Fields of a metrics line that are its x (the worker's MetricLines.AXES), not metrics.
AXES = ("epoch", "step", "iteration", "batch", "x")
#: The longest metric name the worker keeps.
MAX_NAME = 200


def _variable(name):
    value = os.environ.get(name)
    if not value:
        raise NotInStepError(
            "${} is not set: baton's step helpers work inside a Baton step, where the worker sets it "
            "(outside one, use baton.Client)".format(name))
    return value


def in_step():
    """True inside a Baton step (the worker set ``BATON_RUN_ID`` and ``BATON_OUTPUTS``)."""
    return bool(os.environ.get("BATON_RUN_ID")) and bool(os.environ.get("BATON_OUTPUTS"))


def run_id():
    """The id of the run this step belongs to."""
    return _variable("BATON_RUN_ID")


def step_name():
    """This step's name, as the run shows it (``train[lr=0.1]`` for a matrix combination)."""
    return _variable("BATON_STEP")


def attempt():
    """This attempt's number: 1 on the step's first run, 2 on its first retry, ..."""
    return int(_variable("BATON_ATTEMPT"))


def parameters():
    """The run's resolved parameters as a dict (every declared one, defaults included), as JSON types."""
    path = Path(_variable("BATON_PARAMETERS_FILE"))
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def output_dir():
    """The folder (a :class:`pathlib.Path`) whose files are this step's outputs, uploaded when it ends."""
    path = Path(_variable("BATON_OUTPUTS"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def checkpoint_dir():
    """The folder a step saves checkpoints in: uploaded while it runs, restored into a retry's."""
    path = Path(_variable("BATON_CHECKPOINT_DIR"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def input_dir(name):
    """The folder of the input ``name`` (``$BATON_INPUTS/name``); FileNotFoundError naming the step's inputs if
    it has none of that name."""
    if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
        raise ValueError("an input's name is a non-empty name without '/', not {!r}".format(name))
    root = Path(_variable("BATON_INPUTS"))
    folder = root / name
    if not folder.is_dir():
        known = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        raise FileNotFoundError(
            "this step has no input {!r} (its inputs: {}); declare it under the step's inputs: in baton.yaml".format(
                name, ", ".join(known) or "none"))
    return folder


def inputs(name):
    """The files of the input ``name``, as sorted :class:`pathlib.Path` objects (every file beneath its folder).

    An input fed by a matrix step has one sub-folder per producing step, named after it: the file
    ``.../models/train[lr=0.1]/model.pkl`` came from the step ``train[lr=0.1]`` (``path.parent.name``)."""
    folder = input_dir(name)
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _number(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("metric {!r}: {!r} is not a number (a metric's value is an int or a float)".format(
            name, value))
    if isinstance(value, numbers.Integral):
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("metric {!r}: {} is not a finite number".format(name, value))
    return value


def metrics_line(metrics=None, **values):
    """The stdout line :func:`log_metrics` prints, without printing it."""
    fields = dict(metrics or {})
    fields.update(values)
    line = {}
    for name, value in fields.items():
        if not isinstance(name, str) or not name:
            raise TypeError("a metric's name is a non-empty string, not {!r}".format(name))
        if name not in AXES and len(name) > MAX_NAME:
            raise ValueError("metric name {!r}... is longer than {} characters".format(name[:40], MAX_NAME))
        line[name] = _number(name, value)
    if not any(name not in AXES for name in line):
        raise ValueError("no metric given, only axes ({}): log at least one value, e.g. "
                         "log_metrics(epoch=1, loss=0.2)".format(", ".join(sorted(line)) or "none"))
    return json.dumps(line, allow_nan=False)


def log_metrics(metrics=None, **values):
    """Reports metrics: prints them as one JSON line on stdout, flushed, which the worker records.

    ``epoch``, ``step``, ``iteration``, ``batch`` and ``x`` are the values' x (the points' axes), every other
    field a metric: ``log_metrics(epoch=3, loss=0.21, accuracy=0.9)``. Names that are not Python identifiers go
    in a dict: ``log_metrics({"val/loss": 0.3}, step=100)``. Values must be finite numbers (TypeError or
    ValueError otherwise, before anything is printed). Outside a step the line is printed all the same."""
    line = metrics_line(metrics, **values)
    out = sys.stdout
    out.write(line + "\n")
    out.flush()
    return line
