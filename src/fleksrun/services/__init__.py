"""Services: one module per capability. They own transactions: one command, one transaction."""

from __future__ import annotations

from pathlib import Path

from fleksrun.store.connection import Database


def open_database(path: Path, *, start_new: bool = True) -> Database:
    """The database at ``path``, opened and migrated, with the agenda's summaries kept up: every
    write transaction remakes those of the citizens it changed before it commits, and summaries made
    by another version of fleksrun are remade once here. ``start_new``: see store.db.open_db."""
    from fleksrun.services.agenda import summaries
    from fleksrun.services.privacy import finish_erasure
    from fleksrun.store.db import open_db

    db = open_db(path, start_new=start_new)
    finish_erasure(db)  # a `forget` that could not wipe the old bytes yet: this command does
    db.before_commit.append(summaries.refresh_before_commit)
    summaries.upgrade(db)
    return db
