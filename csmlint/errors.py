"""The exception hierarchy.

Problems in *how csmlint was run* (usage, configuration, rule pack) are
:class:`CsmlintError` subclasses: the CLI prints them on one line and exits 2. Problems in
*linted files* are :class:`InputError`: the engine turns them into findings of the
input-error rule and the run goes on.
"""

from __future__ import annotations


class CsmlintError(Exception):
    """A run-stopping problem; ``str()`` is the one-line message shown to the user."""


class UsageError(CsmlintError):
    """Bad command-line usage (a missing path, an unknown rule id, a bad option value)."""


class ConfigError(CsmlintError):
    """An invalid configuration file."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        super().__init__(f"{where}{message}")


class RulePackError(CsmlintError):
    """An invalid rule pack: ``file:line: rule CSMnnn: what is wrong``."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        line: int | None = None,
        rule_id: str | None = None,
    ):
        self.path = path
        self.line = line
        self.rule_id = rule_id
        self.reason = message
        where = f"{path}:{line}" if line else path
        rule = f" rule {rule_id}:" if rule_id else ""
        super().__init__(f"{where}:{rule} {message}")


class InputError(Exception):
    """A linted file could not be read or parsed; becomes one input-error finding."""

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
    ):
        self.reason = reason
        self.line = line
        self.column = column
        self.pointer = pointer
        """RFC 6901 pointer of the offending value (JSON inputs)."""
        super().__init__(reason)
