"""Baton's Python package: helpers for code running in a Baton step, and a client of the Baton API.

In a step (no install needed: the worker puts this package on the step's PYTHONPATH)::

    import baton
    lr = baton.parameters()["lr"]
    for path in baton.inputs("data"): ...
    baton.log_metrics(epoch=1, loss=0.2)
    (baton.output_dir() / "model.pkl").write_bytes(...)

In a notebook or script (``pip install ./python``; the same config as the ``baton`` CLI)::

    client = baton.Client()
    run = client.run("examples/iris", parameters={"epochs": 10}, wait=True)
    rows = client.metrics(run)
"""
from .client import Client
from .errors import BatonError, ConfigError, NotInStepError
from .step import (attempt, checkpoint_dir, in_step, input_dir, inputs, log_metrics, output_dir, parameters, run_id,
                   step_name)

__version__ = "0.1.0"

__all__ = [
    "Client", "BatonError", "ConfigError", "NotInStepError", "attempt", "checkpoint_dir", "in_step", "input_dir",
    "inputs", "log_metrics", "output_dir", "parameters", "run_id", "step_name", "__version__",
]
