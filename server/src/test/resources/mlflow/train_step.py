# MLflow training code as users write it, run unchanged in a Baton step: the worker sets MLFLOW_TRACKING_URI,
# MLFLOW_TRACKING_TOKEN and MLFLOW_RUN_ID. The few lines after the training check what a step may not do.
import hashlib
import json
import os
import sys
import time

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

with mlflow.start_run() as run:
    mlflow.log_param("lr", 0.1)
    mlflow.log_params({"epochs": 3, "optimizer": "sgd"})
    for step in range(3):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metrics({"acc": 0.9, "f1": 0.75}, step=2)
    mlflow.set_tag("stage", "dev")
    now = int(time.time() * 1000)
    MlflowClient().log_batch(
        run.info.run_id,
        metrics=[Metric("val_loss", 0.5, now, 0), Metric("val_loss", 0.25, now + 1, 1)],
        params=[Param("batch_size", "32")],
        tags=[RunTag("team", "vision")],
    )
    model = os.path.join(os.environ["TMPDIR"], "model.txt")
    with open(model, "w") as f:
        f.write("weights\n")
    mlflow.log_artifact(model)
    mlflow.log_artifact(model, artifact_path="nested/dir")
    big = os.path.join(os.environ["TMPDIR"], "big.bin")  # past the 1 MiB of a JSON body: an artifact's limit
    with open(big, "wb") as f:
        f.write(os.urandom(1536 * 1024))
    mlflow.log_artifact(big)

    checks = {"run_id": run.info.run_id, "env_run_id_matches": run.info.run_id.endswith("_" + os.environ["BATON_ATTEMPT"])}
    try:  # a param is immutable, as in MLflow
        mlflow.log_param("lr", 0.2)
        checks["changed_param"] = "accepted"
    except MlflowException as e:
        checks["changed_param"] = e.error_code
    # a batch with one bad metric is refused whole: its param is not written either
    try:
        MlflowClient().log_batch(run.info.run_id, metrics=[Metric("loss", float("nan"), now, 5)],
                                 params=[Param("half_written", "yes")])
        checks["bad_batch"] = "accepted"
    except MlflowException as e:
        checks["bad_batch"] = e.error_code
    checks["half_written"] = "half_written" in MlflowClient().get_run(run.info.run_id).data.params
    # another step's run of the same Baton run: not this attempt's to write
    other = "%s_%s_1" % (os.environ["BATON_RUN_ID"], hashlib.sha256(b"other").hexdigest()[:12])
    try:
        MlflowClient().log_metric(other, "loss", 1.0)
        checks["other_run"] = "accepted"
    except MlflowException as e:
        checks["other_run"] = e.error_code
    print("MLFLOW_CHECKS " + json.dumps(checks), flush=True)
    print("MLFLOW_TOKEN " + os.environ["MLFLOW_TRACKING_TOKEN"], flush=True)
