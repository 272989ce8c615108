"""Reads Baton's model registry with MLflow's own client, as a user's script would, and prints what it saw as one
JSON object. MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN come from the environment.

usage: read_registry.py <model> <alias> <run id> <name prefix> <a worker token>
"""
import json
import os
import sys
import tempfile

import mlflow.artifacts
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


def version(v):
    return {"name": v.name, "version": v.version, "runId": v.run_id, "source": v.source, "status": v.status,
            "stage": v.current_stage, "tags": v.tags, "aliases": list(v.aliases), "userId": v.user_id,
            "created": v.creation_timestamp, "updated": v.last_updated_timestamp}


def model(m):
    return {"name": m.name, "description": m.description, "tags": m.tags, "aliases": m.aliases,
            "latest": [version(v) for v in m.latest_versions], "created": m.creation_timestamp}


def error_code(call):
    try:
        call()
        return None
    except MlflowException as e:
        return e.error_code


def with_token(token, call):
    """Runs call with another tracking token: the client reads MLFLOW_TRACKING_TOKEN on every request."""
    saved = os.environ["MLFLOW_TRACKING_TOKEN"]
    os.environ["MLFLOW_TRACKING_TOKEN"] = token
    try:
        return call()
    finally:
        os.environ["MLFLOW_TRACKING_TOKEN"] = saved


def downloaded(uri):
    """The files MLflow downloads for a models:/ URI, path -> text."""
    with tempfile.TemporaryDirectory() as dst:
        root = mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=dst)
        files = {}
        for folder, _, names in os.walk(root):
            for file_name in names:
                path = os.path.join(folder, file_name)
                with open(path) as f:
                    files[os.path.relpath(path, root)] = f.read()
        return files


def all_pages(search, key, **kwargs):
    """Every page of a search, one item a page, to prove page tokens carry on where the last page ended."""
    keys, token = [], None
    while True:
        page = search(max_results=1, page_token=token, **kwargs)
        keys += [key(item) for item in page]
        token = page.token
        if not token:
            return keys


name, alias, run_id, prefix, worker_token = sys.argv[1:6]
client = MlflowClient()
print(json.dumps({
    "models": [model(m) for m in client.search_registered_models(filter_string=f"name LIKE '{prefix}%'")],
    "modelByName": [m.name for m in client.search_registered_models(filter_string=f"name = '{name}'")],
    "modelPages": all_pages(client.search_registered_models, lambda m: m.name, filter_string=f"name LIKE '{prefix}%'"),
    "model": model(client.get_registered_model(name)),
    "byAlias": version(client.get_model_version_by_alias(name, alias)),
    "version2": version(client.get_model_version(name, 2)),
    "versionsByName": [version(v) for v in client.search_model_versions(f"name='{name}'")],
    "versionsByRun": [version(v) for v in client.search_model_versions(f"run_id='{run_id}'")],
    "approved": [v.version for v in client.search_model_versions(
        f"name = '{name}' AND tag.`baton.status` = 'APPROVED'")],
    "versionPages": all_pages(client.search_model_versions, lambda v: v.version, filter_string=f"name='{name}'"),
    "latest": [version(v) for v in client.get_latest_versions(name)],
    "downloadUri": client.get_model_version_download_uri(name, 1),
    "downloaded": downloaded(f"models:/{name}@{alias}"),
    "missingModel": error_code(lambda: client.get_registered_model(prefix + "-missing")),
    "missingVersion": error_code(lambda: client.get_model_version(name, 99)),
    "missingAlias": error_code(lambda: client.get_model_version_by_alias(name, "nowhere")),
    "unsupportedFilter": error_code(lambda: client.search_model_versions("source_path = 'x'")),
    "writeRoute": error_code(lambda: client.create_registered_model(prefix + "-new")),
    "unknownToken": with_token("bt_not-a-token", lambda: error_code(lambda: client.get_registered_model(name))),
    "workerToken": with_token(worker_token, lambda: error_code(lambda: client.get_registered_model(name))),
}))
