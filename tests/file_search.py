"""Look for personal data in the bytes of the database's files, as someone with the disk would."""

from __future__ import annotations

from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def database_files(db: Path) -> list[Path]:
    """The database and whatever SQLite keeps beside it (-wal, -shm, -journal)."""
    return [p for p in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))) if p.exists()]


def found(paths: list[Path], secrets: list[str]) -> list[str]:
    """Each secret found, as "secret in file (encoding)"; empty when none of them is anywhere."""
    hits = []
    for path in paths:
        data = path.read_bytes()
        for secret in secrets:
            for encoding in ENCODINGS:
                if secret.encode(encoding) in data:
                    hits.append(f"{secret!r} in {path.name} ({encoding})")
    return hits
