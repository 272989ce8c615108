"""The exceptions of the package."""


class BatonError(Exception):
    """An error answer of the Baton server: its HTTP ``status``, its ``code`` (the JSON ``error``, e.g.
    ``invalid_spec``), its ``message`` and its ``details`` (a list, e.g. a spec's problems with line and column)."""

    def __init__(self, status, code, message, details=None):
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details or [])
        super().__init__(self._text())

    def _text(self):
        text = "{} {}: {}".format(self.status, self.code, self.message)
        for detail in self.details:
            if isinstance(detail, dict):
                where = detail.get("path") or ""
                if detail.get("line") is not None:
                    where += " (line {}, column {})".format(detail.get("line"), detail.get("column"))
                text += "\n  {}: {}".format(where.strip() or "-", detail.get("message", ""))
            else:
                text += "\n  {}".format(detail)
        return text


class NotInStepError(RuntimeError):
    """A step helper (``baton.parameters()``, ``baton.inputs()``, ...) called outside a Baton step."""


class ConfigError(ValueError):
    """The client's configuration is missing or malformed (no server, no token, an unreadable config.yml)."""
