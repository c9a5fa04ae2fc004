"""The global options of one run (database, today, language) and the lazily opened database."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fleksrun.store.connection import Database


def data_folder() -> Path:
    """The platform's user data folder: ~/.local/share/fleksrun on Linux (XDG_DATA_HOME), Application
    Support on macOS, and on Windows the local AppData, never the roaming one, so that health data is
    not synced to other machines."""
    import platformdirs

    return Path(platformdirs.user_data_dir("fleksrun", appauthor=False, roaming=False))


def default_db_path() -> Path:
    """The real database: fleksrun.db in the user data folder."""
    return data_folder() / "fleksrun.db"


def demo_db_path() -> Path:
    """The demo's own file beside the real one (`fleksrun demo`, `fleksrun --demo due`): fictive
    citizens never share a file with real ones."""
    return data_folder() / "demo.db"


def earlier_db_path() -> Path:
    """Where fleksrun kept the database before it used the user data folder (~/.config/fleksrun)."""
    import typer

    return Path(typer.get_app_dir("fleksrun")) / "fleksrun.db"


def move_from_earlier_place(path: Path) -> Path | None:
    """Move the database (and its -wal and -shm files) from where fleksrun kept it before to ``path``,
    once: when ``path`` is the default and has no file yet. The place it came from, or None."""
    earlier = earlier_db_path()
    if path != default_db_path() or path.exists() or not earlier.is_file() or earlier == path:
        return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for suffix in ("-wal", "-shm", ""):  # the database last: it is the one a later run looks for
        part = Path(f"{earlier}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{path}{suffix}"))
    return earlier


class State:
    """A plain class: every command builds one, and a dataclass costs ~0.5 ms to create at import."""

    def __init__(self, db_path: Path, today: _dt.date, lang: str, clock: _dt.date | None = None) -> None:
        self.db_path, self.today, self.lang = db_path, today, lang
        self.clock = clock or today  # the real date: a what-if run's today may be before it
        self._db: Any = None
        self._passphrase: str | None = None
        self.left_out = 0  # facts recorded after a what-if run's today, left out of what it reads

    def db(self) -> Database:
        """The migrated database, opened on first use (commands that need none never open it). A
        command that only reads never makes a file: where there is none, it says how to begin."""
        if self._db is None:
            from fleksrun.services import open_database

            moved = move_from_earlier_place(self.db_path)
            if moved is not None:
                from fleksrun.i18n import t
                from fleksrun.render import aside

                aside(t("store.moved", old=str(moved), new=str(self.db_path)))
            command = running_command()
            if not self.db_path.exists() and command not in STARTING and not self.db_path.is_symlink():
                from fleksrun.errors import StoreError

                raise StoreError("store.none_yet", path=str(self.db_path))
            self._db = open_database(self.db_path, start_new=command in STARTING)
        return self._db

    def passphrase(self, path: Path) -> str | None:
        """The passphrase of an encrypted database: FLEKSRUN_PASSPHRASE, else typed once per run when
        fleksrun runs in a terminal (a script without the variable is told to set it)."""
        from fleksrun.store.connection import PASSPHRASE_ENV

        if self._passphrase is None:
            self._passphrase = env(PASSPHRASE_ENV) or (ask_passphrase(path) if interactive() else None)
        return self._passphrase

    def use_passphrase(self, passphrase: str) -> None:
        """The passphrase the database has from now on in this run (`encrypt` just set it)."""
        self._passphrase = passphrase

    def db_as_of_today(self) -> Database:
        """The database read as it stood at the end of today: in a what-if run into the past, what
        was recorded later plays no part (``services.as_of``); ``left_out`` says how much."""
        from fleksrun.services.as_of import read_as_of

        db = self.db()
        self.left_out = read_as_of(db, self.today, self.clock)
        return db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


# The commands that add the first data to a new database: they alone may start one in a file that
# is there but empty. Any other command, and every reading one, says the file is empty instead of
# silently making it an empty database (a copy cut short must not pass for one).
STARTING = frozenset({"enroll", "company add", "program add", "demo", "config", "import", "programs",
                      "program show"})


def running_command() -> str:
    """The running command as typed, without the program's name: "due", "company add"."""
    from typer._click.globals import get_current_context

    names = []
    ctx = get_current_context(silent=True)
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


_current: State | None = None


def set_state(state: State) -> None:
    global _current
    _current = state
    # An encrypted file's passphrase comes from this run: the variable, or a question in the terminal.
    from fleksrun.store import connection

    connection.passphrase_source = state.passphrase


def interactive() -> bool:
    """Whether someone at a terminal can answer a question (not a script, not a pipe)."""
    import sys

    return sys.stdin.isatty()


def ask_passphrase(path: Path) -> str:
    """Ask for the passphrase of the database at ``path``; what is typed is not shown."""
    import typer

    from fleksrun.i18n import t

    return str(typer.prompt(t("encryption.prompt", path=str(path)), hide_input=True, err=True))


def state() -> State:
    """The state of the running command (set by the app's callback)."""
    if _current is None:  # a command module used without the app: default everything
        set_state(State(default_db_path(), _dt.date.today(), "en"))
    assert _current is not None
    return _current


def env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def close_state() -> None:
    if _current is not None:
        _current.close()
