"""Built-in and user programmes, and the stored definitions enrollments were made under."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fleksrun.domain.programs import (
    Program,
    builtin_program,
    builtin_programs,
    builtin_text,
    load_program_file,
    parse_program,
)
from fleksrun.errors import InputError, NotFound
from fleksrun.store.connection import Database
from fleksrun.store.tx import Tx, record_stamp


def _user_programs(db: Database) -> dict[str, Program]:
    """The newest user definition of each user programme id."""
    found: dict[str, Program] = {}
    for row in db.query("SELECT program_id, definition FROM programs WHERE origin = 'user' ORDER BY id"):
        found[row["program_id"]] = _parse_cached(row["definition"], row["program_id"])
    return found


@lru_cache(maxsize=64)
def _parse_cached(text: str, name: str) -> Program:
    return parse_program(text, f"{name} (stored)")


def all_programs(db: Database) -> dict[str, Program]:
    """Every programme a citizen can be enrolled in, built-ins first."""
    return {**builtin_programs(), **_user_programs(db)}


def get_program(db: Database, program_id: str) -> Program:
    programs = all_programs(db)
    key = program_id.strip().lower()
    if key not in programs:
        raise NotFound("program.not_found", id=program_id, known=", ".join(programs))
    return programs[key]


def definition_row(db: Database, tx: Tx, program: Program, origin: str) -> int:
    """The ``programs`` row holding exactly this definition, inserted if new."""
    import hashlib  # only a command that stores a definition pays for it

    digest = hashlib.sha256(program.toml_text.encode("utf-8")).hexdigest()
    row = db.execute("SELECT id FROM programs WHERE digest = ?", [digest]).fetchone()
    if row:
        return row[0]
    return tx.insert(
        "programs",
        {
            "program_id": program.id,
            "definition": program.toml_text,
            "digest": digest,
            "origin": origin,
            "added_at": record_stamp(),
        },
    )


def origin_of(program: Program) -> str:
    return "builtin" if program.id in builtin_programs() and builtin_programs()[program.id] is program else "user"


def enrolled_program(db: Database, program_def: int) -> Program:
    """The definition an enrollment was made under (a later edit never rewrites history)."""
    row = db.execute("SELECT program_id, definition FROM programs WHERE id = ?", [program_def]).fetchone()
    if row is None:
        raise NotFound("program.not_found", id=str(program_def), known="")
    shipped = builtin_program(row[0]) if row[1] == builtin_text(row[0]) else None
    if shipped is not None:  # the shipped definition: parse it once, not once per source
        return shipped
    return _parse_cached(row[1], row[0])


def stored_programs(db: Database) -> dict[int, Program]:
    """Every stored definition an enrollment may point at, parsed (a handful: one per version)."""
    return {row[0]: enrolled_program(db, row[0]) for row in db.execute("SELECT id FROM programs ORDER BY id")}


def add_user_program(db: Database, tx: Tx, path: Path) -> Program:
    """Validate a programme file and keep it in the database."""
    program = load_program_file(path)
    if program.id in builtin_programs():
        raise InputError("program.builtin_id", id=program.id)
    definition_row(db, tx, program, "user")
    return program
