"""Errors the user sees: one line each, with a stable code.

Every error the tool raises on purpose is a :class:`KGError`; the CLI prints
``kg: error: [E###] message`` and exits non-zero, never a traceback.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of the errors shown to users as one line.

    Attributes:
        code: Stable error code, e.g. ``"E101"``.
        exit_code: Process exit code.
    """

    code = "E000"
    exit_code = 1

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class InputError(KGError):
    """Input that cannot be read: missing, binary, undecodable, malformed."""

    code = "E100"
    exit_code = 2


class EmptyInputError(InputError):
    """No document with any text was found."""

    code = "E101"


class OutputError(KGError):
    """Output that cannot be written."""

    code = "E200"
    exit_code = 3


class GraphError(KGError):
    """A graph file that cannot be read or fails validation."""

    code = "E300"
    exit_code = 4


class QueryError(KGError):
    """A SPARQL query that is malformed, refused or timed out."""

    code = "E400"
    exit_code = 5


class ServerError(KGError):
    """The SPARQL endpoint cannot start (port taken, binary missing)."""

    code = "E500"
    exit_code = 6


class ModelError(KGError):
    """A trained model folder that is missing, unreadable or of another version."""

    code = "E600"
    exit_code = 7
