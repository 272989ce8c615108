"""A client of the Baton API for notebooks and scripts: submit runs, wait for them, read metrics and logs, download
artifacts and model versions. The standard library only (urllib)."""
import hashlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from . import bundle, config
from .errors import BatonError, ConfigError

ENDED = ("SUCCEEDED", "FAILED", "CANCELLED")
_CHUNK = 1 << 20
_RETRIES = 10


def _id(run):
    """A run's id, from a run dict or the id itself."""
    if isinstance(run, dict):
        return run["id"]
    if not isinstance(run, str) or not run:
        raise TypeError("a run is its id (a string) or the dict the client answered, not {!r}".format(run))
    return run


def _segment(value):
    """One path segment, every reserved character encoded (a step's name ``train[lr=0.1]`` included)."""
    return urllib.parse.quote(str(value), safe="")


class Client:
    """The Baton API as the user of ``token`` sees it.

    ``server``, ``token`` and ``project`` default to the shared config (``~/.config/baton/config.yml``, or
    ``$XDG_CONFIG_HOME/baton/config.yml``) and the ``BATON_SERVER``, ``BATON_TOKEN`` and ``BATON_PROJECT``
    variables, which win over the file. Inside a step these variables are the attempt's (read-only) access.
    Every error answer of the server raises :class:`baton.BatonError`."""

    def __init__(self, server=None, token=None, project=None, timeout=90):
        settings = config.read()
        server = server or settings.get("server")
        token = token or settings.get("token")
        if not server:
            raise ConfigError("no Baton server: pass Client(server=...), set BATON_SERVER or put 'server: URL' "
                              "in {}".format(config.config_path()))
        if not token:
            raise ConfigError("no token: pass Client(token=...), set BATON_TOKEN or put 'token: ...' in {} "
                              "(baton login writes it)".format(config.config_path()))
        self.server = config.server_base(server)
        self.token = token
        self.project = project or settings.get("project") or "default"
        self.timeout = timeout

    def __repr__(self):
        return "Client(server={!r}, project={!r})".format(self.server, self.project)

    # --- HTTP ---------------------------------------------------------------------------------------------------

    def _url(self, path, query=None):
        url = self.server + "/api/v1" + path
        if query:
            pairs = [(k, v) for k, v in query.items() if v is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs, doseq=True)
        return url

    def _open(self, method, path, query=None, body=None, content_type=None, headers=None, timeout=None,
              accept="*/*"):
        request = urllib.request.Request(self._url(path, query), data=body, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        request.add_header("Accept", accept)
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            return urllib.request.urlopen(request, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as e:
            raise self._error(e) from None
        except urllib.error.URLError as e:
            raise ConnectionError("cannot reach the Baton server at {}: {}".format(self.server, e.reason)) from None

    @staticmethod
    def _error(e):
        text = e.read().decode("utf-8", "replace")
        try:
            answer = json.loads(text)
        except ValueError:
            answer = None
        if isinstance(answer, dict) and "error" in answer:
            return BatonError(e.code, answer.get("error"), answer.get("message", ""), answer.get("details"))
        return BatonError(e.code, "http_{}".format(e.code), text.strip()[:500] or e.reason)

    def _json(self, method, path, query=None, document=None, timeout=None):
        body = None if document is None else json.dumps(document).encode("utf-8")
        with self._open(method, path, query, body, "application/json" if body is not None else None,
                        timeout=timeout, accept="application/json") as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def _pages(self, path, query):
        query = dict(query)
        while True:
            page = self._json("GET", path, query)
            for item in page.get("items", []):
                yield item
            cursor = page.get("nextCursor")
            if not cursor:
                return
            query["cursor"] = cursor

    # --- runs ---------------------------------------------------------------------------------------------------

    def upload_bundle(self, folder, project=None):
        """Packs ``folder`` (honouring ``.gitignore`` and ``.batonignore``) and uploads it; answers the server's
        ``{"sha256", "size", "files"}``."""
        data = bundle.pack(folder)
        with self._open("POST", "/bundles", {"project": project or self.project}, data,
                        "application/gzip") as answer:
            return json.loads(answer.read())

    def run(self, folder=".", parameters=None, spec="baton.yaml", project=None, priority=None, wait=False,
            timeout=None):
        """Submits a run of the pipeline in ``folder``: its ``spec`` file (``baton.yaml``, relative to the folder)
        with the folder packed as the code bundle. Answers the run (a dict); with ``wait=True``, the ended run."""
        folder = Path(folder)
        spec_path = folder / spec
        try:
            text = spec_path.read_text(encoding="utf-8")
        except OSError as e:
            raise FileNotFoundError("cannot read the pipeline spec {}: {}".format(spec_path, e.strerror)) from None
        project = project or self.project
        sha = self.upload_bundle(folder, project)["sha256"]
        submission = {"project": project, "spec": text, "bundle": sha, "parameters": dict(parameters or {})}
        if priority is not None:
            submission["priority"] = priority
        run = self._json("POST", "/runs", document=submission)
        return self.wait(run, timeout) if wait else run

    def register_pipeline(self, spec, project=None):
        """Registers a pipeline: ``spec`` is its YAML text or the path of its file. Answers the version (``name``,
        ``version``, ...): a new one when the text changed, else the one registered before."""
        if isinstance(spec, os.PathLike) or (isinstance(spec, str) and "\n" not in spec and os.path.isfile(spec)):
            spec = Path(spec).read_text(encoding="utf-8")
        return self._json("POST", "/pipelines", document={"project": project or self.project, "spec": spec})

    def run_pipeline(self, name, parameters=None, version=None, bundle=None, project=None, priority=None,
                     wait=False, timeout=None):
        """Submits a run of the registered pipeline ``name`` (its latest version, or ``version``), with the code
        bundle ``bundle`` (a sha256 that :meth:`upload_bundle` answered) if its steps need code."""
        submission = {"project": project or self.project, "pipeline": name, "parameters": dict(parameters or {})}
        if version is not None:
            submission["pipelineVersion"] = version
        if bundle is not None:
            submission["bundle"] = bundle
        if priority is not None:
            submission["priority"] = priority
        run = self._json("POST", "/runs", document=submission)
        return self.wait(run, timeout) if wait else run

    def get_run(self, run):
        """The run (a dict: ``status``, ``steps``, ``metrics``, ...)."""
        return self._json("GET", "/runs/" + _segment(_id(run)))

    def runs(self, project=None, pipeline=None, status=None, limit=None, **filters):
        """Runs, newest first, as a list of dicts; ``limit`` caps how many (all of them by default). Other
        keywords are the list's query (``param=["lr:gt:0.01"]``, ``sort="metric.accuracy:desc"``, ...)."""
        query = {"project": project or self.project, "pipeline": pipeline, "status": status}
        query.update(filters)
        if limit is not None:
            query["limit"] = min(limit, 500)
        found = []
        for run in self._pages("/runs", query):
            found.append(run)
            if limit is not None and len(found) >= limit:
                break
        return found

    def wait(self, run, timeout=None):
        """Waits until the run has ended (SUCCEEDED, FAILED or CANCELLED) and answers it; TimeoutError after
        ``timeout`` seconds (None: no limit). One long-poll request a minute at most, none busy. A server that is
        briefly away (a restart: no connection, 502, 503, 504) is asked again, up to 10 times in a row."""
        run_id = _id(run)
        deadline = None if timeout is None else time.monotonic() + timeout
        failures = 0
        while True:
            wait = 60 if deadline is None else max(1, min(60, int(deadline - time.monotonic())))
            try:
                current = self._json("GET", "/runs/" + _segment(run_id), {"wait": "{}s".format(wait)},
                                     timeout=wait + 30)
                failures = 0
            except (OSError, BatonError) as e:
                if isinstance(e, BatonError) and e.status not in (502, 503, 504) or failures >= _RETRIES:
                    raise
                failures += 1
                time.sleep(min(0.1 * 2 ** failures, 5))
                current = None
            if current is not None and current["status"] in ENDED:
                return current
            if deadline is not None and time.monotonic() >= deadline:
                status = current["status"] if current is not None else "unknown (the server did not answer)"
                raise TimeoutError("run {} is still {} after {} s".format(run_id, status, timeout))

    def cancel(self, run):
        """Cancels the run; answers it (409 BatonError when it has ended)."""
        return self._json("POST", "/runs/" + _segment(_id(run)) + "/cancel")

    # --- metrics and logs ---------------------------------------------------------------------------------------

    def metrics(self, run):
        """The run's metrics as rows, one per point: dicts with ``step``, ``attempt``, ``name``, ``seq``,
        ``value``, ``time`` and the point's x fields (``epoch``, ``step``... ; an x named like a column is
        prefixed ``x_``)."""
        answer = self._json("GET", "/runs/" + _segment(_id(run)) + "/metrics")
        rows = []
        for series in answer.get("series", []):
            for point in series.get("points", []):
                row = {"step": series["step"], "attempt": series["attempt"], "name": series["name"],
                       "seq": point.get("seq"), "value": point.get("value"), "time": point.get("time")}
                for key, value in (point.get("x") or {}).items():
                    row["x_" + key if key in row else key] = value
                rows.append(row)
        return rows

    def metrics_frame(self, run):
        """:meth:`metrics` as a pandas DataFrame (ImportError when pandas is not installed)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("metrics_frame needs pandas (pip install pandas); metrics() answers the same rows "
                              "as a list of dicts") from None
        columns = ["step", "attempt", "name", "seq", "value", "time"]
        rows = self.metrics(run)
        frame = pandas.DataFrame(rows, columns=columns + sorted({k for r in rows for k in r} - set(columns)))
        frame["time"] = pandas.to_datetime(frame["time"], utc=True)
        return frame

    def logs(self, run, step, attempt=None):
        """The step's output (stdout and stderr) as text: the latest attempt's, or ``attempt``'s."""
        path = "/runs/" + _segment(_id(run)) + "/steps/" + _segment(step) + "/logs"
        with self._open("GET", path, {"attempt": attempt}) as answer:
            return answer.read().decode("utf-8", "replace")

    # --- artifacts ----------------------------------------------------------------------------------------------

    def artifacts(self, run):
        """The outputs of every step and attempt: dicts with ``step``, ``attempt``, ``path``, ``sha256``,
        ``size``."""
        return list(self._pages("/runs/" + _segment(_id(run)) + "/artifacts", {}))

    def download_blob(self, sha256, target):
        """Downloads the blob ``sha256`` to the file ``target`` (its folders made), checking its hash on the
        way: a mismatch raises ValueError and leaves no file. Answers the target's Path."""
        if not isinstance(sha256, str) or len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256: {!r}".format(sha256))
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, temp = tempfile.mkstemp(prefix=".baton-", dir=str(target.parent))
        try:
            with os.fdopen(fd, "wb") as out, self._open("GET", "/artifacts/" + sha256) as answer:
                while True:
                    chunk = answer.read(_CHUNK)
                    if not chunk:
                        break
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise ValueError("the download of {} has sha256 {}: not what was asked".format(
                    sha256, digest.hexdigest()))
            os.replace(temp, str(target))
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
        return target

    def download_artifacts(self, run, target, step=None, path=None):
        """Downloads the run's outputs into the folder ``target``, as ``target/<step>/<path>`` (each step's last
        attempt), or only ``step``'s, or only the files whose path is ``path``. Answers the files written."""
        chosen = {}
        for artifact in self.artifacts(run):
            if step is not None and artifact["step"] != step:
                continue
            if path is not None and artifact["path"] != path:
                continue
            key = (artifact["step"], artifact["path"])
            if key not in chosen or artifact["attempt"] > chosen[key]["attempt"]:
                chosen[key] = artifact
        return [self.download_blob(a["sha256"], _inside(target, a["step"], a["path"]))
                for _, a in sorted(chosen.items())]

    # --- models -------------------------------------------------------------------------------------------------

    def model_version(self, name, version=None, alias=None, project=None):
        """A model's version (a dict: ``version``, ``run``, ``step``, ``files``, ``metrics``, ``status``, ...) by
        number, or by ``alias`` (``production``, ``latest``, ...); the latest when neither is given."""
        project = project or self.project
        base = "/models/" + _segment(name)
        if version is None:
            alias = alias or "latest"
            if alias == "latest":
                page = self._json("GET", base + "/versions", {"project": project, "limit": 1})
                if not page.get("items"):
                    raise BatonError(404, "not_found", "model {} has no version".format(name))
                version = page["items"][0]["version"]
            else:
                version = self._json("GET", base + "/aliases/" + _segment(alias), {"project": project})["version"]
        return self._json("GET", base + "/versions/" + _segment(version), {"project": project})

    def set_alias(self, name, alias, version, project=None):
        """Points the model's ``alias`` at ``version`` (a protected alias needs the promote permission)."""
        return self._json("PUT", "/models/" + _segment(name) + "/aliases/" + _segment(alias),
                          {"project": project or self.project}, {"version": version})

    def download_model(self, name, target, version=None, alias=None, project=None):
        """Downloads the files of a model version (see :meth:`model_version`) into the folder ``target``,
        keeping their paths. Answers the version (a dict)."""
        found = self.model_version(name, version, alias, project)
        for file in found.get("files", []):
            self.download_blob(file["sha256"], _inside(target, file["path"]))
        return found


def _inside(target, *parts):
    """``target`` joined with the server-given ``parts``: a path leaving ``target`` (absolute, ``..``) is refused."""
    root = Path(target).resolve()
    relative = Path(*[p for part in parts for p in str(part).split("/") if p not in ("", ".")])
    if any(str(part).startswith("/") for part in parts) or ".." in relative.parts:
        raise ValueError("refusing to write {} outside {}".format("/".join(map(str, parts)), root))
    path = (root / relative).resolve()
    if path != root and root not in path.parents:
        raise ValueError("refusing to write {} outside {}".format(relative, root))
    return path
