"""The client against a real Baton server (run by PythonPackageIntegrationTest, which sets BATON_PYTHON_INTEGRATION=1
and the client's config in $XDG_CONFIG_HOME): a run submitted from a folder whose steps import baton with no install,
waited for, its metrics, logs, artifacts and the model version it registered."""
import hashlib
import os
import sys
import textwrap
import time

import pytest

import baton

pytestmark = pytest.mark.skipif(os.environ.get("BATON_PYTHON_INTEGRATION") != "1",
                                reason="needs a Baton server (PythonPackageIntegrationTest)")

POOL = os.environ.get("BATON_TEST_POOL", "cpu")
MODEL = "py-model-{}".format(int(time.time() * 1000))

SPEC = """
name: python-package
parameters:
  - {{name: scale, type: float, default: 1.0}}
steps:
  - name: prepare
    command: ["python3", "prepare.py"]
    outputs: [data.txt]
    pool: {pool}
  - name: train
    needs: [prepare]
    matrix: {{lr: [0.1, 0.5]}}
    inputs: {{data: prepare/data.txt}}
    command: ["python3", "train.py", "{{matrix.lr}}"]
    outputs: [model.txt]
    pool: {pool}
  - name: pick
    needs: [train]
    inputs: {{models: train/model.txt}}
    command: ["python3", "pick.py"]
    outputs: [best/model.txt]
    pool: {pool}
    register: {{model: {model}, path: best/model.txt}}
"""

PREPARE = """
import os, baton
assert not os.path.exists("secret.txt") and not os.path.exists("junk"), "ignored files were packed"
print("baton from", baton.__file__)
scale = baton.parameters()["scale"]
(baton.output_dir() / "data.txt").write_text(" ".join(str(scale * i) for i in range(1, 4)))
baton.log_metrics(rows=3)
"""

TRAIN = """
import sys, baton
lr = float(sys.argv[1])
[data] = baton.inputs("data")
values = [float(v) for v in data.read_text().split()]
for epoch in range(1, 4):
    baton.log_metrics(epoch=epoch, loss=round(sum(values) * lr / epoch, 6))
(baton.output_dir() / "model.txt").write_text("lr={} sum={}".format(lr, sum(values)))
"""

PICK = """
import baton
models = {p.parent.name: p.read_text() for p in baton.inputs("models")}
best = sorted(models)[0]
(baton.output_dir() / "best").mkdir()
(baton.output_dir() / "best" / "model.txt").write_text(models[best])
baton.log_metrics(models=len(models))
"""


@pytest.fixture(scope="module")
def client():
    return baton.Client()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    (root / "baton.yaml").write_text(SPEC.format(pool=POOL, model=MODEL))
    for name, code in (("prepare.py", PREPARE), ("train.py", TRAIN), ("pick.py", PICK)):
        (root / name).write_text(textwrap.dedent(code))
    (root / ".gitignore").write_text("secret.txt\njunk/\n")
    (root / "secret.txt").write_text("not for the server")
    (root / "junk").mkdir()
    (root / "junk" / "big.bin").write_bytes(b"\0" * 1000)
    return root


@pytest.fixture(scope="module")
def finished(client, folder):
    run = client.run(folder, parameters={"scale": 2.0})
    assert run["status"] in ("QUEUED", "RUNNING")
    return client.wait(run, timeout=120)


def test_the_package_under_test_is_the_pip_installed_one():
    assert os.path.dirname(baton.__file__) == os.environ["BATON_PACKAGE_UNDER_TEST"]


def test_the_client_reads_the_shared_config_file(client):
    path = baton.config.config_path()
    assert path.is_file() and str(path).startswith(os.environ["XDG_CONFIG_HOME"])
    assert "BATON_SERVER" not in os.environ and "BATON_TOKEN" not in os.environ
    settings = baton.config.read()
    assert (client.server, client.token, client.project) == (settings["server"], settings["token"],
                                                             settings["project"])


def test_a_run_from_a_folder_succeeds_with_steps_that_import_baton_without_an_install(client, finished):
    assert finished["status"] == "SUCCEEDED", finished
    assert [s["name"] for s in finished["steps"]] == ["prepare", "train[lr=0.1]", "train[lr=0.5]", "pick"]
    assert finished["parameters"] == {"scale": 2.0}
    assert finished["project"] == client.project
    log = client.logs(finished, "prepare")
    # the worker's copy, not this test's pip install
    assert "baton from " in log and "/python/lib/baton/__init__.py" in log and sys.prefix not in log
    # a matrix step's name, brackets and all, as it is typed
    assert client.logs(finished, "train[lr=0.5]").splitlines()[0] == '{"epoch": 1, "loss": 6.0}'


def test_metrics_come_back_as_rows_with_their_x(client, finished):
    rows = [r for r in client.metrics(finished["id"]) if r["step"] == "train[lr=0.5]"]
    assert [(r["name"], r["epoch"], r["value"], r["attempt"]) for r in rows] == [
        ("loss", 1, 6.0, 1), ("loss", 2, 3.0, 1), ("loss", 3, 2.0, 1)]
    assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
    assert all(r["time"] for r in rows)
    everything = client.metrics(finished)
    assert {(r["step"], r["name"]) for r in everything} >= {("prepare", "rows"), ("pick", "models")}


def test_metrics_frame_is_a_pandas_data_frame(client, finished):
    frame = client.metrics_frame(finished)
    losses = frame[(frame["name"] == "loss") & (frame["step"] == "train[lr=0.1]")]
    assert list(losses["epoch"]) == [1, 2, 3]
    assert list(losses["value"]) == pytest.approx([1.2, 0.6, 0.4])
    assert str(frame["time"].dtype).startswith("datetime64")


def test_metrics_frame_without_pandas_says_how_to_get_it(client, finished, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        client.metrics_frame(finished)


def test_artifacts_download_into_a_folder_checked_against_their_sha256(client, finished, tmp_path):
    artifacts = client.artifacts(finished)
    assert {(a["step"], a["path"]) for a in artifacts} == {
        ("prepare", "data.txt"), ("train[lr=0.1]", "model.txt"), ("train[lr=0.5]", "model.txt"),
        ("pick", "best/model.txt")}
    written = client.download_artifacts(finished, tmp_path, step="pick")
    assert written == [tmp_path.resolve() / "pick" / "best" / "model.txt"]
    assert written[0].read_text() == "lr=0.1 sum=12.0"
    [pick] = [a for a in artifacts if a["step"] == "pick"]
    assert hashlib.sha256(written[0].read_bytes()).hexdigest() == pick["sha256"]
    assert len(client.download_artifacts(finished, tmp_path / "all")) == 4


def test_an_unknown_blob_leaves_no_file_and_a_known_one_is_written(client, finished, tmp_path):
    [data] = [a for a in client.artifacts(finished) if a["step"] == "prepare"]
    wrong = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(baton.BatonError) as error:
        client.download_blob(wrong, tmp_path / "x")
    assert error.value.status == 404
    assert client.download_blob(data["sha256"], tmp_path / "data.txt").read_text() == "2.0 4.0 6.0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]


def test_the_registered_model_version_by_alias_and_its_files(client, finished, tmp_path):
    latest = client.model_version(MODEL)
    assert (latest["version"], latest["run"], latest["step"]) == (1, finished["id"], "pick")
    client.set_alias(MODEL, "champion", 1)
    champion = client.model_version(MODEL, alias="champion")
    assert champion["version"] == 1
    got = client.download_model(MODEL, tmp_path, alias="champion")
    assert got["version"] == 1
    assert (tmp_path / "best" / "model.txt").read_text() == "lr=0.1 sum=12.0"


def test_runs_lists_the_run(client, finished):
    assert finished["id"] in [r["id"] for r in client.runs(pipeline="python-package", limit=20)]
    assert client.get_run(finished["id"])["status"] == "SUCCEEDED"


def test_a_registered_pipeline_runs_by_name(client):
    spec = textwrap.dedent("""
        name: py-registered
        parameters:
          - {{name: v, type: float, default: 1.5}}
        steps:
          - name: one
            pool: {pool}
            command: ["python3", "-c", "import baton; baton.log_metrics(v=baton.parameters()['v'])"]
        """).format(pool=POOL)
    registered = client.register_pipeline(spec)
    run = client.run_pipeline("py-registered", parameters={"v": 2.5}, wait=True, timeout=120)
    assert (run["status"], run["pipeline"], run["pipelineVersion"]) == ("SUCCEEDED", "py-registered",
                                                                      registered["version"])
    assert [(r["step"], r["name"], r["value"]) for r in client.metrics(run)] == [("one", "v", 2.5)]


def test_server_errors_carry_status_code_message_and_details(client, folder, tmp_path):
    with pytest.raises(baton.BatonError) as missing:
        client.get_run("no-such-run")
    assert (missing.value.status, missing.value.code) == (404, "not_found")

    (tmp_path / "baton.yaml").write_text("name: broken\nsteps:\n  - name: a\n    comand: [x]\n")
    with pytest.raises(baton.BatonError) as invalid:
        client.run(tmp_path)
    assert (invalid.value.status, invalid.value.code) == (400, "invalid_spec")
    assert any(d.get("line") == 4 for d in invalid.value.details), invalid.value.details
    assert "line 4" in str(invalid.value)
