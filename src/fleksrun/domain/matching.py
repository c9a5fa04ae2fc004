"""The match between a citizen and a company: the reasons for it, the conflicts against it, and the
one order in which `match` lists companies (or citizens). Pure: no database, no clock, no text.

The order is lexicographic, each level deciding only between equals on the levels before it
(README, "match"):

1. room: a company with room now, then one whose room is not known, then one without room;
2. wished: a company the citizen named among her wished companies first;
3. task fit: more of the tasks she wants that the company offers first;
4. conflicts: fewer conflicts first (needs the company cannot accommodate, no common weekday, the
   practice limit reached there); room is level 1's, not counted here;
5. history: companies with earlier placements by their attendance rate, highest first, then those
   without any;
6. the company's name, then its number, so that the order never depends on chance.

Reasons and conflicts are (code, parameters) pairs for the message layer to word.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any, NamedTuple

Note = tuple[str, dict[str, Any]]

ROOM, ROOM_UNKNOWN, NO_ROOM = 2, 1, 0


def parse_tags(text: str | None) -> tuple[str, ...]:
    """Tags from comma-separated text ("Lager, rengøring,,lager" → ("lager", "rengøring")): lower
    case, one space between words, each once, in the order given."""
    if not text:
        return ()
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = " ".join(part.split()).lower()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def join_tags(tags: Iterable[str]) -> str | None:
    """Tags as stored: comma-separated, or None for none."""
    text = ",".join(tags)
    return text or None


def name_key(name: str) -> str:
    """A company name as wishes are compared with it: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


class Room(NamedTuple):
    """A company's room now: ``level`` (ROOM, ROOM_UNKNOWN, NO_ROOM) and what it rests on."""

    level: int
    free: int | None          # places free now (None: not known)
    places: int | None        # the places the company said it can take
    legal: int | None         # the legal capacity for its employees (None: employees not known)
    placed: int               # citizens placed there now
    free_from: _dt.date | None  # when full: the day after the placement that ends first


def room(places: int | None, legal: int | None, placed: int, placed_capacity: int,
         ends: list[_dt.date]) -> Room:
    """Room now from the company's own places and the legal capacity (the upper bound): free is
    the smaller of places minus everyone placed there and capacity minus those in practice or wage
    subsidy. ``ends``: the last days of the placements there now."""
    bounds = []
    if places is not None:
        bounds.append(places - placed)
    if legal is not None:
        bounds.append(legal - placed_capacity)
    if not bounds:
        return Room(ROOM_UNKNOWN, None, places, legal, placed, None)
    free = min(bounds)
    if free > 0:
        return Room(ROOM, free, places, legal, placed, None)
    # Full: a place frees when enough placements there have ended.
    needed = 1 - free
    ordered = sorted(ends)
    free_from = ordered[needed - 1] + _dt.timedelta(days=1) if needed <= len(ordered) else None
    return Room(NO_ROOM, 0, places, legal, placed, free_from)


class History(NamedTuple):
    """Earlier placements at a company: how many, the attendance on their days, how they ended."""

    placements: int
    attended: int
    absent: int
    outcomes: dict[str, int]

    @property
    def rate(self) -> float | None:
        recorded = self.attended + self.absent
        return None if recorded == 0 else self.attended / recorded


class Offer(NamedTuple):
    """What a company offers (its profile), and its room and history."""

    id: int
    name: str
    tasks: tuple[str, ...]
    cannot: tuple[str, ...] | None   # None: no profile, so not known
    weekdays: tuple[int, ...]
    mentor: str | None
    mentor_strengths: str | None
    room: Room
    history: History


class Wish(NamedTuple):
    """What a citizen wishes and needs."""

    companies: tuple[str, ...]
    tasks: tuple[str, ...]
    needs: tuple[str, ...]
    weekdays: tuple[int, ...]


class Assessment(NamedTuple):
    company_id: int
    company: str
    reasons: list[Note]
    conflicts: list[Note]
    key: tuple[Any, ...]


def wished(wish: Wish, company_name: str) -> bool:
    return name_key(company_name) in {name_key(n) for n in wish.companies}


def assess(wish: Wish, offer: Offer, *, limit: Note | None = None, placed_here: bool = False) -> Assessment:
    """Why a company fits a citizen and what stands against it, and its place in the order.
    ``limit``: the practice-limit conflict at this company, if reached (found by the caller from
    the law's rules); ``placed_here``: she is placed there now."""
    reasons: list[Note] = []
    conflicts: list[Note] = []
    is_wished = wished(wish, offer.name)
    if is_wished:
        reasons.append(("wished", {}))
    fit = [task for task in wish.tasks if task in offer.tasks]
    if fit:
        reasons.append(("tasks_fit", {"tasks": fit}))
    _room_notes(offer.room, reasons, conflicts)
    counted = 0
    if offer.cannot is not None:
        cannot = [need for need in wish.needs if need in offer.cannot]
        can = [need for need in wish.needs if need not in offer.cannot]
        if can:
            reasons.append(("avoids", {"needs": can}))
        if cannot:
            conflicts.append(("cannot", {"needs": cannot}))
            counted += 1
    if wish.weekdays and offer.weekdays:
        common = [d for d in wish.weekdays if d in offer.weekdays]
        if common:
            reasons.append(("days_fit", {"days": common}))
        else:
            conflicts.append(("no_common_day", {"offered": list(offer.weekdays), "managed": list(wish.weekdays)}))
            counted += 1
    if limit is not None:
        conflicts.append(limit)
        counted += 1
    if placed_here:
        reasons.append(("placed_here", {}))
    if offer.mentor:
        reasons.append(("mentor", {"mentor": offer.mentor, "strengths": offer.mentor_strengths}))
    rate = offer.history.rate
    if offer.history.placements:
        reasons.append(("history", {"placements": offer.history.placements, "rate": rate,
                                    "outcomes": offer.history.outcomes}))
    key = (-offer.room.level, not is_wished, -len(fit), counted, rate is None, -(rate or 0.0),
           name_key(offer.name), offer.id)
    return Assessment(offer.id, offer.name, reasons, conflicts, key)


def _room_notes(room: Room, reasons: list[Note], conflicts: list[Note]) -> None:
    if room.level == ROOM:
        total = room.places if room.places is not None else room.legal
        reasons.append(("room", {"free": room.free, "places": total}))
    elif room.level == ROOM_UNKNOWN:
        conflicts.append(("room_unknown", {}))
    elif room.free_from is not None:
        conflicts.append(("full_until", {"day": room.free_from}))
    else:
        conflicts.append(("full", {"placed": room.placed}))
    if room.legal is not None and room.places is not None and room.legal < room.places:
        conflicts.append(("legal_bound", {"legal": room.legal, "places": room.places}))


def ranked(assessments: Iterable[Assessment]) -> list[Assessment]:
    """Best first, by the lexicographic order in the module's docstring."""
    return sorted(assessments, key=lambda a: a.key)


def citizen_key(is_wished: bool, fit: int, conflicts: int, name: str, citizen_id: int) -> tuple[Any, ...]:
    """The order of `match --company`: wished it first, then more tasks fitting, fewer conflicts, name."""
    return (not is_wished, -fit, conflicts, name_key(name), citizen_id)
