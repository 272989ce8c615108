"""Fixtures of the package's tests. The integration tests (test_integration.py) run against a real Baton server when
BATON_PYTHON_INTEGRATION=1 (PythonPackageIntegrationTest sets it, with the client's config in $XDG_CONFIG_HOME)."""
import os

import pytest


@pytest.fixture
def step_env(tmp_path, monkeypatch):
    """A fake step: the BATON_* variables of an attempt, pointing into a workspace under tmp_path."""
    workspace = tmp_path / "workspace"
    for folder in ("code", "inputs", "outputs", "checkpoint"):
        (workspace / folder).mkdir(parents=True)
    (workspace / "parameters.json").write_text('{"lr": 0.1, "epochs": 3, "name": "a b", "flag": true}')
    values = {
        "BATON_RUN_ID": "01run", "BATON_STEP": "train[lr=0.1]", "BATON_ATTEMPT": "2",
        "BATON_INPUTS": str(workspace / "inputs"), "BATON_OUTPUTS": str(workspace / "outputs"),
        "BATON_CHECKPOINT_DIR": str(workspace / "checkpoint"),
        "BATON_PARAMETERS_FILE": str(workspace / "parameters.json"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return workspace


@pytest.fixture
def no_step(monkeypatch):
    for name in list(os.environ):
        if name.startswith("BATON_"):
            monkeypatch.delenv(name)
