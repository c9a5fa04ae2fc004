"""Phases, checklist items and outcomes by their names in the user's language, for tables and
sentences; the codes themselves stay in --json (and in what the user types)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fleksrun.domain.programs import Program
    from fleksrun.store.connection import Database


class Names:
    """The names of one run: the programmes are read once, when a name is first asked for."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._programs: dict[str, Program] | None = None

    def _program(self, program_id: str) -> Program | None:
        if self._programs is None:
            from fleksrun.services.programs import all_programs

            self._programs = all_programs(self._db)
        return self._programs.get(program_id)

    def phase(self, program_id: str, phase_id: str | None) -> str:
        """The phase's name (``Trin 1: Afklaring``); the id when the programme no longer has it."""
        if phase_id is None:
            return "—"
        program = self._program(program_id)
        found = next((p for p in program.phases if p.id == phase_id), None) if program else None
        return found.title() if found else phase_id

    def item(self, program_id: str, item_id: str) -> str:
        """A checklist item's name (``CV udarbejdet``), from whichever phase of the programme has it."""
        program = self._program(program_id)
        for phase in program.phases if program else ():
            for item in phase.checklist:
                if item.id == item_id:
                    return item.title()
        return item_id

    def phases(self, program_id: str, ids: list[str]) -> str:
        return " → ".join(self.phase(program_id, p) for p in ids)


def outcome_name(code: str | None) -> str:
    from fleksrun.i18n import label

    return label("outcome", code)
