"""What every kind of agenda item is asked with: the window, the filters, the limits, and the groups
its lines go into."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fleksrun.domain.names import name_key
from fleksrun.services.agenda.lines import KINDS, Groups
from fleksrun.store.connection import Database
from fleksrun.store.name_keys import EXACT_IDS, key_binds

if TYPE_CHECKING:
    from fleksrun.domain.programs import Program

# A line with this many rows for each name it shows gets its names from a walk through the citizens
# in name order (``Context.walk``); a line of fewer is read whole.
BIG_LINE = 20


class Context:
    """One agenda's question: ``limit`` lines per group (None: all, a listing) and ``names`` bookings
    named on a company's line (None: all); and the groups its lines go into. (A plain class: a
    dataclass costs a command ~0.5 ms to create at import.)"""

    def __init__(self, db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *,
                 citizen_id: int | None = None, company_id: int | None = None,
                 kinds: frozenset[str] = frozenset(KINDS), limit: int | None = None,
                 names: int | None = None) -> None:
        self.db, self.today, self.start, self.end = db, today, start, end
        self.citizen_id, self.company_id = citizen_id, company_id
        self.kinds, self.limit, self.names = kinds, limit, names
        self.groups = Groups(limit)
        self._shared: dict[str, bool] = {}

    @cached_property
    def shared_names(self) -> frozenset[str]:
        """The search keys (``domain.names``: "ÅSE Hansen" is "Åse Hansen") of whole names that two or
        more citizens have, from the keys' index alone (a forgotten citizen has no key): for a
        listing, which names many lines."""
        return frozenset(key for (key,) in self.db.execute(
            "SELECT key FROM name_keys WHERE owner = 'citizens' AND whole = 1 GROUP BY key HAVING COUNT(*) > 1"))

    def who(self, name: str, citizen_id: int) -> str:
        """A citizen as a line names her: with her number where another citizen has the same name, as
        the look-up reads names. The table asks the keys' index for the few names it shows; a listing
        reads every shared name."""
        key = name_key(name)
        if self.limit is None:
            return f"{name} (#{citizen_id})" if key in self.shared_names else name
        if key not in self._shared:
            self._shared[key] = len(self.db.execute(EXACT_IDS, key_binds("citizens", key)).fetchall()) > 1
        return f"{name} (#{citizen_id})" if self._shared[key] else name

    @property
    def includes_today(self) -> bool:
        """Whether the window holds today: only then are what is overdue and today's own lines shown."""
        return self.start <= self.today <= self.end

    def wants(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))

    @cached_property
    def programs(self) -> dict[int, Program]:
        """Every stored programme definition, read once for all kinds: {definition id: programme}."""
        from fleksrun.services.programs import stored_programs

        return stored_programs(self.db)

    def binds(self, **extra: Any) -> dict[str, Any]:
        """The named parameters every query of the agenda may use, and ``extra``."""
        return {"today": self.today.isoformat(), "start": self.start.isoformat(), "end": self.end.isoformat(),
                "from_day": max(self.start, self.today).isoformat(),
                "citizen": self.citizen_id, "company": self.company_id,
                "limit": -1 if self.limit is None else self.limit, **extra}

    def walk(self, sql: str, binds: dict[str, Any], need: dict[Any, int],
             bucket: Callable[[Sequence[Any]], Hashable]) -> dict[Any, list[Sequence[Any]]]:
        """Rows read in the order ``sql`` gives them (its citizens in name order), each kept in its
        ``bucket(row)`` until every bucket of ``need`` has its number: a screen's worth of the first
        names, where a line of many meets one every citizens / its count rows."""
        kept: dict[Any, list[Sequence[Any]]] = {line: [] for line in need}
        open_lines = sum(1 for n in need.values() if n)
        rows: Iterable[Sequence[Any]] = self.db.execute(sql, binds) if open_lines else ()
        for row in rows:
            line = bucket(row)
            found = kept.get(line)
            if found is None or len(found) >= need[line]:
                continue
            found.append(row)
            if len(found) == need[line]:
                open_lines -= 1
                if not open_lines:
                    break
        return kept
