"""The step helpers against a fake step's variables: what they read, and what they refuse."""
import json
import math

import pytest

import baton
from baton import step


def test_parameters_are_the_runs_resolved_values(step_env):
    assert baton.parameters() == {"lr": 0.1, "epochs": 3, "name": "a b", "flag": True}


def test_run_step_and_attempt_come_from_the_environment(step_env):
    assert (baton.run_id(), baton.step_name(), baton.attempt(), baton.in_step()) == ("01run", "train[lr=0.1]", 2, True)


def test_inputs_are_every_file_beneath_the_input_sorted_with_matrix_folders(step_env):
    data = step_env / "inputs" / "data"
    (data / "sub").mkdir(parents=True)
    for name in ("b.csv", "a.csv", "sub/c.csv"):
        (data / name).write_text(name)
    for producer in ("train[lr=0.1]", "train[lr=0.01]"):
        (step_env / "inputs" / "models" / producer).mkdir(parents=True)
        (step_env / "inputs" / "models" / producer / "model.pkl").write_text(producer)

    assert [p.relative_to(data).as_posix() for p in baton.inputs("data")] == ["a.csv", "b.csv", "sub/c.csv"]
    assert [p.parent.name for p in baton.inputs("models")] == ["train[lr=0.01]", "train[lr=0.1]"]
    assert baton.input_dir("data") == data


def test_an_unknown_input_names_the_steps_inputs(step_env):
    (step_env / "inputs" / "data").mkdir()
    with pytest.raises(FileNotFoundError, match=r"no input 'modles' \(its inputs: data\)"):
        baton.inputs("modles")
    with pytest.raises(ValueError, match="without '/'"):
        baton.inputs("../outputs")


def test_output_and_checkpoint_folders_are_paths_that_exist(step_env):
    assert baton.output_dir() == step_env / "outputs"
    (step_env / "checkpoint").rmdir()
    assert baton.checkpoint_dir().is_dir()


def test_log_metrics_prints_one_flushed_json_line_with_axes(step_env, capsys):
    baton.log_metrics(epoch=3, loss=0.25, accuracy=1)
    baton.log_metrics({"val/loss": 0.5}, step=10)

    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == [{"epoch": 3, "loss": 0.25, "accuracy": 1},
                                                    {"val/loss": 0.5, "step": 10}]


def test_log_metrics_refuses_what_the_worker_would_not_record(step_env, capsys):
    with pytest.raises(TypeError, match="'loss': 'low' is not a number"):
        baton.log_metrics(loss="low")
    with pytest.raises(TypeError, match="'ok': True is not a number"):
        baton.log_metrics(ok=True)
    with pytest.raises(ValueError, match="not a finite number"):
        baton.log_metrics(loss=math.nan)
    with pytest.raises(ValueError, match="not a finite number"):
        baton.log_metrics(epoch=1, loss=float("inf"))
    with pytest.raises(ValueError, match="no metric given, only axes"):
        baton.log_metrics(epoch=1)
    with pytest.raises(ValueError, match="longer than 200"):
        baton.log_metrics({"x" * 201: 1.0})
    with pytest.raises(TypeError, match="non-empty string"):
        baton.log_metrics({3: 1.0})
    assert capsys.readouterr().out == ""


def test_numbers_of_other_kinds_are_written_as_json_numbers():
    from decimal import Decimal
    from fractions import Fraction

    assert json.loads(step.metrics_line(a=Fraction(1, 4), b=2 ** 70)) == {"a": 0.25, "b": 2 ** 70}
    with pytest.raises(TypeError):
        step.metrics_line(a=Decimal("0.1"))  # not a numbers.Real


@pytest.mark.parametrize("helper", [baton.parameters, baton.output_dir, baton.checkpoint_dir, baton.run_id,
                                    baton.attempt, lambda: baton.inputs("data")])
def test_outside_a_step_the_helpers_say_so(no_step, helper):
    with pytest.raises(baton.NotInStepError, match="inside a Baton step"):
        helper()
    assert not baton.in_step()
