# A notebook reading Baton's runs with MLflow's client (a user's token): prints what it saw as JSON.
import json
import os
import sys
import tempfile

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

pipeline, run_id = sys.argv[1], sys.argv[2]
client = MlflowClient()
out = {}
experiments = client.search_experiments()
out["experiments"] = [e.name for e in experiments]
experiment = client.get_experiment_by_name(pipeline)
out["experiment_id"] = experiment.experiment_id
out["experiment_by_id"] = client.get_experiment(experiment.experiment_id).name
runs = client.search_runs([experiment.experiment_id], filter_string="metrics.loss < 0.5 and params.optimizer = 'sgd'",
                          order_by=["metrics.acc DESC"])
out["found"] = [r.info.run_name for r in runs]
out["found_none"] = len(client.search_runs([experiment.experiment_id], filter_string="metrics.loss > 5"))
run = client.get_run(run_id)
out["run"] = {
    "name": run.info.run_name,
    "status": run.info.status,
    "experiment_id": run.info.experiment_id,
    "metrics": run.data.metrics,
    "params": run.data.params,
    "tags": {k: v for k, v in run.data.tags.items()},
    "artifact_uri": run.info.artifact_uri,
}
out["history"] = [[m.step, m.value] for m in client.get_metric_history(run_id, "loss")]
try:
    out["artifacts"] = sorted(f.path for f in client.list_artifacts(run_id))
    target = tempfile.mkdtemp()
    local = client.download_artifacts(run_id, "model.txt", target)
    with open(local) as f:
        out["downloaded"] = f.read()
except MlflowException as e:
    out["artifacts_error"] = str(e)
try:
    client.log_metric(run_id, "loss", 1.0)
    out["user_write"] = "accepted"
except MlflowException as e:
    out["user_write"] = e.error_code
try:
    client.get_run(run_id[:-1] + "9")
    out["missing_run"] = "found"
except MlflowException as e:
    out["missing_run"] = e.error_code
print(json.dumps(out))
