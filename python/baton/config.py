"""The client's settings, shared with the ``baton`` CLI: ``~/.config/baton/config.yml`` (or
``$XDG_CONFIG_HOME/baton/config.yml``), a flat mapping of ``key: value`` lines, overridden by ``BATON_SERVER``,
``BATON_TOKEN`` and ``BATON_PROJECT``."""
import os
from pathlib import Path

from .errors import ConfigError

KEYS = ("server", "token", "project")


def config_path(environ=None):
    """Where the config file is: under ``$XDG_CONFIG_HOME`` when it is set, else ``~/.config``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME")
    if base:
        return Path(base) / "baton" / "config.yml"
    home = environ.get("HOME")
    return (Path(home) if home else Path.home()) / ".config" / "baton" / "config.yml"


def _unquote(value, path, number):
    if value[:1] in ("'", '"'):
        quote = value[0]
        end = value.find(quote, 1)
        while quote == "'" and end >= 0 and value[end + 1:end + 2] == "'":
            end = value.find(quote, end + 2)  # '' is a quote inside a single-quoted YAML scalar
        if end < 0:
            raise ConfigError("{}:{}: a quote is not closed".format(path, number))
        rest = value[end + 1:].strip()
        if rest and not rest.startswith("#"):
            raise ConfigError("{}:{}: text after the closing quote".format(path, number))
        inner = value[1:end]
        return inner.replace("''", "'") if quote == "'" else inner.replace('\\"', '"').replace("\\\\", "\\")
    # a plain scalar: a comment starts at " #"
    cut = value.find(" #")
    return (value[:cut] if cut >= 0 else value).strip()


def parse(text, path="config.yml"):
    """The mapping of a config file's text: one ``key: value`` per line, ``#`` comments, optional quotes.
    Unknown keys are kept (the CLI may write more); a line that is not ``key: value`` is a ConfigError."""
    values = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line == "---":
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key or " " in key:
            raise ConfigError("{}:{}: not a 'key: value' line: {!r}".format(path, number, raw))
        value = _unquote(value.strip(), path, number)
        values[key] = None if value in ("", "~", "null") else value
    return values


def read(environ=None, path=None):
    """The settings: the config file's (if there is one), then the environment's ``BATON_*`` over them.
    ``server`` loses a trailing ``/`` and ``/api/v1``."""
    environ = os.environ if environ is None else environ
    path = Path(path) if path else config_path(environ)
    settings = {}
    if path.is_file():
        try:
            settings = parse(path.read_text(encoding="utf-8"), str(path))
        except OSError as e:
            raise ConfigError("cannot read {}: {}".format(path, e))
    for key in KEYS:
        value = environ.get("BATON_" + key.upper())
        if value:
            settings[key] = value
    if settings.get("server"):
        settings["server"] = server_base(settings["server"])
    return settings


def server_base(url):
    """The server's base URL without a trailing ``/`` or ``/api/v1``."""
    url = url.strip().rstrip("/")
    if url.endswith("/api/v1"):
        url = url[:-len("/api/v1")].rstrip("/")
    return url
