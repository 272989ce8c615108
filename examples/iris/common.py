"""Paths Baton gives every step, read once."""
import os
from pathlib import Path

INPUTS = Path(os.environ.get("BATON_INPUTS", "inputs"))
OUTPUTS = Path(os.environ.get("BATON_OUTPUTS", "outputs"))
OUTPUTS.mkdir(parents=True, exist_ok=True)
