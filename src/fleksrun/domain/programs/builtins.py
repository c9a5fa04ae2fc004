"""Where the built-in programmes come from: ``fleksrun/programs/*.toml``, parsed on first use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fleksrun.domain.programs.model import Program
from fleksrun.domain.programs.parse import parse_program

# In the order of the source documents (seeds 000–004).
_FOLDER = Path(__file__).resolve().parents[2] / "programs"
BUILTIN_FILES = ("ovebane.toml", "rampen.toml", "virksomhedscenter.toml", "jobgaranti.toml", "fleksjob_aalborg.toml")


@cache
def builtin_text(program_id: str) -> str | None:
    """The shipped TOML text of a built-in programme (ids are the file names), or None."""
    name = f"{program_id}.toml"
    if name not in BUILTIN_FILES:
        return None
    # A plain file beside the package (importlib.resources would cost ~2 ms of imports a command).
    return (_FOLDER / name).read_text(encoding="utf-8")


@cache
def builtin_program(program_id: str) -> Program | None:
    """One built-in programme, parsed on first use (a command rarely needs all five)."""
    text = builtin_text(program_id)
    return None if text is None else parse_program(text, f"{program_id}.toml")


def builtin_programs() -> dict[str, Program]:
    """The programmes that ship with fleksrun, by id, in the order of the source documents."""
    found = (builtin_program(name.removesuffix(".toml")) for name in BUILTIN_FILES)
    return {program.id: program for program in found if program is not None}
