"""Tab completion (`fleksrun --install-completion`): commands and options come from Click; the values
a consultant types most, citizens' and companies' names and programme ids, from the database.

A completion runs on every Tab, so it reads the file as it is: read-only, without migrating or
waiting for a lock, through the names' search keys (``store.name_keys``) and their index. A file it
cannot read (none yet, encrypted, another version) completes nothing rather than fail.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from fleksrun.cli.help_i18n import walk

# Which values are completed from the file, by the parameter's name.
_TABLES = {"citizen": "citizens", "company": "companies", "program": "programs", "program_id": "programs"}
_AT_MOST = 50  # a screenful: more than that is no help in choosing


def attach(root: Any) -> None:
    """Give every citizen, company and programme parameter under ``root`` its completion."""
    for _path, command in walk(root):
        for param in command.params:
            table = _TABLES.get(param.name or "")
            if table is not None:
                param._custom_shell_complete = lambda ctx, _param, text, _table=table: complete(ctx, _table, text)


def complete(ctx: Any, table: str, text: str) -> list[str]:
    """The names (or programme ids) in ``table`` that ``text`` starts, or a word of them does."""
    path = _database(ctx)
    if path is None or not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            return [row[0] for row in conn.execute(*_query(table, text))]
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _query(table: str, text: str) -> tuple[str, Any]:
    if table == "programs":
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return (f"SELECT DISTINCT program_id FROM programs WHERE program_id LIKE ? ESCAPE '\\' "
                f"ORDER BY program_id LIMIT {_AT_MOST}", [escaped + "%"])
    from fleksrun.domain.names import name_key
    from fleksrun.store.name_keys import MATCHING_IDS, key_binds

    still_named = " AND t.erased_at IS NULL" if table == "citizens" else ""
    return (f"SELECT DISTINCT t.name FROM [{table}] t WHERE t.id IN ({MATCHING_IDS}){still_named} "
            f"ORDER BY t.name COLLATE NOCASE LIMIT {_AT_MOST}", key_binds(table, name_key(text)))


def _database(ctx: Any) -> Path | None:
    """The file the command line names (--db), FLEKSRUN_DB, or the default place."""
    root = ctx.find_root()
    chosen = root.params.get("db") or os.environ.get("FLEKSRUN_DB")
    if chosen:
        return Path(chosen).expanduser()
    from fleksrun.cli.state import default_db_path

    return default_db_path()
