"""The errors every layer raises; the CLI boundary turns them into one sentence and an exit code.

An error carries a message key and parameters, not text, so that the message layer can say it in
the user's language. Never put a CPR number in the parameters.
"""

from __future__ import annotations


class FleksrunError(Exception):
    """Something the user should read as one sentence; exit code 1."""

    exit_code = 1
    code = "error"

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        from fleksrun.i18n import t

        return t(self.key, **self.params)

    def __str__(self) -> str:  # readable in tests and logs
        try:
            return self.message()
        except Exception:  # pragma: no cover - the catalogue itself is broken
            return self.key


class InputError(FleksrunError):
    """The input is wrong: a bad value, an unknown or ambiguous name (exit 2)."""

    exit_code = 2
    code = "bad_input"


class NotFound(InputError):
    """A citizen, company, programme or item that does not exist (exit 2)."""

    code = "not_found"


class Ambiguous(InputError):
    """A name that matches more than one record (exit 2)."""

    code = "ambiguous"


class Refused(FleksrunError):
    """Refused by a rule of the domain (exit 3)."""

    exit_code = 3
    code = "refused"


class StoreError(FleksrunError):
    """The database cannot be used: locked, newer, unreadable, read-only, full (exit 1)."""

    exit_code = 1
    code = "store"


class StorePathError(StoreError):
    """The database path the user gave cannot be a database, e.g. a folder (exit 2: the input is wrong)."""

    exit_code = 2
