"""How the agenda's items become groups and lines: the kinds and their order, the one sort key of a
line, the lines kept per group, and the bounded selection that spares SQLite sorting rows only
counted. Nothing here reads the database.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

KINDS = ("followup", "aftercare", "practice_day", "attendance_missing", "ready_to_advance", "hours_at_risk",
         "placement_ending", "practice_limit", "data_missing", "goal_review")
KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
BOOKINGS_LAST = len(KINDS)   # a day's company lines come after its other lines
OVERDUE = "overdue"          # the key of the overdue group; the other groups are ISO dates

_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def name_key(name: str | None) -> str:
    """A name as SQLite's NOCASE compares it (ASCII letters folded), so SQL and Python sort alike."""
    if not name:
        return ""
    return name.lower() if name.isascii() else name.translate(_FOLD)  # lower() folds more than ASCII


def new_item(date: _dt.date | str, kind: str, citizen_id: int | None, citizen: str | None, program: str | None,
             text: str, overdue_days: int = 0, company: str | None = None) -> dict[str, Any]:
    return {
        "date": date if isinstance(date, str) else date.isoformat(), "kind": kind, "citizen_id": citizen_id,
        "citizen": citizen, "company": company, "program": program, "text": text, "overdue_days": overdue_days,
    }


def line_key(kind: str, date: str, *, overdue: int = 0, company: str | None = None, citizen: str | None = None,
             citizen_id: int | None = None) -> tuple[Any, ...]:
    """Where a line goes in its group: the most overdue first, then by day, kind (a day's bookings
    last), company, citizen name and number."""
    order = BOOKINGS_LAST if kind == "practice_day" else KIND_ORDER[kind]
    return (-overdue, date, order, company or "", name_key(citizen), citizen_id or 0)


def item_key(item: dict[str, Any]) -> tuple[Any, ...]:
    """Overdue first (most overdue first), then by day, kind, company and citizen."""
    return (-item["overdue_days"], item["date"], KIND_ORDER[item["kind"]], item["company"] or "",
            name_key(item["citizen"]), item["citizen_id"] or 0)


Item = dict[str, Any]
# A line's items, or a function that makes them (a list, or an iterator already in ``item_key`` order)
# only when the line is shown or written.
Items = list[Item] | Callable[[], Iterable[Item]]


class Groups:
    """Collects lines per group, keeping at most ``limit`` lines of each kind in each group (a kind
    hands its lines over in order) and counting everything."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.lines: dict[str, list[dict[str, Any]]] = {}
        self.total_lines: dict[str, int] = {}
        self.total_items: dict[str, int] = {}
        self._kept: dict[tuple[str, str], int] = {}
        self.streams: dict[str, list[Callable[[], Iterable[Item]]]] = {}

    def wanted(self, group: str, kind: str) -> bool:
        """Whether the next line of ``kind`` in ``group`` may still be shown."""
        return self.limit is None or self._kept.get((group, kind), 0) < self.limit

    def count(self, group: str, items: int = 1, lines: int = 1) -> None:
        """Lines that are counted but not kept (past the limit), and the items they stand for."""
        self.total_lines[group] = self.total_lines.get(group, 0) + lines
        self.total_items[group] = self.total_items.get(group, 0) + items

    def add(self, group: str, kind: str, key: tuple[Any, ...], items: Items, count: int | None = None) -> None:
        """A line: its sort key within the group, its items (or a function that makes them, called
        only if the line is among the group's first) and how many items it stands for."""
        if count is None:
            count = 1 if callable(items) else len(items)
        self.count(group, count)
        self._kept[(group, kind)] = self._kept.get((group, kind), 0) + 1
        self.lines.setdefault(group, []).append({"kind": kind, "key": key, "items": items, "count": count})

    def add_stream(self, group: str, items: Callable[[], Iterable[Item]], count: int) -> None:
        """For a listing (no limit): ``count`` items of one group, made only when written, already in
        ``item_key`` order, with nothing kept of them before."""
        assert self.limit is None, "a stream has no lines to show"
        self.count(group, items=count, lines=count)
        self.streams.setdefault(group, []).append(items)

    def _order(self) -> list[str]:
        return sorted(self.total_lines, key=lambda g: (g != OVERDUE, g))

    def items(self) -> Iterator[Item]:
        """Every item, overdue first (most overdue first), then by day, kind, company and citizen
        (``item_key``): each group's lines merged as they are worded, so memory holds about one
        item a line, not every item. (Every item of the overdue group is overdue, and every other is
        dated on its group's day; each line's items come in ``item_key`` order.)"""
        for group in self._order():
            made = [_made(line["items"]) for line in self.lines.pop(group, [])]
            made += [_made(stream) for stream in self.streams.pop(group, [])]
            yield from heapq.merge(*made, key=item_key)

    def result(self) -> list[dict[str, Any]]:
        """The groups in order (overdue first, then by day), each with its first lines and totals."""
        out = []
        for group in self._order():
            lines = sorted(self.lines.get(group, []), key=lambda line: line["key"])
            if self.limit is not None:
                lines = lines[: self.limit]
            for line in lines:
                if callable(line["items"]):  # worded only now that it is shown
                    line["items"] = list(line["items"]())
            out.append({"key": group, "lines": lines, "total_lines": self.total_lines[group],
                        "total_items": self.total_items[group]})
        return out


def _made(items: Items) -> Iterator[Item]:
    """A line's items, made when the first is asked for."""
    yield from items() if callable(items) else items


class Firsts:
    """The ``k`` entries with the smallest keys in each bucket (every entry if ``k`` is None), and how
    many each bucket had. A bounded selection: the query need not sort rows of which only a screen's
    worth is shown (sorting 70,000 bookings by name cost SQLite more than reading them). Keys must be
    unique within a bucket, so that the firsts are the same whatever order the rows came in."""

    def __init__(self, k: int | None) -> None:
        self.k = k
        self.counts: dict[Any, int] = {}
        self._kept: dict[Any, list[tuple[Any, Any]]] = {}
        self._worst: dict[Any, Any] = {}  # once a bucket is trimmed: its k-th smallest key then, a bound
        # that only falls: a key above it can never be among the first k

    def add(self, bucket: Any, key: Any, value: Any) -> None:
        self.counts[bucket] = self.counts.get(bucket, 0) + 1
        if self.k == 0:
            return  # only counted
        if bucket in self._worst and key > self._worst[bucket]:
            return  # k smaller keys are already kept
        kept = self._kept.setdefault(bucket, [])
        kept.append((key, value))
        if self.k is not None and len(kept) >= 4 * self.k + 64:  # trim now and then: n log k on average
            self._trim(bucket, kept)

    def _trim(self, bucket: Any, kept: list[tuple[Any, Any]]) -> None:
        kept.sort(key=lambda entry: entry[0])
        del kept[self.k:]
        self._worst[bucket] = kept[-1][0]

    def buckets(self) -> list[Any]:
        return list(self.counts)

    def firsts(self, bucket: Any) -> list[Any]:
        """The values of the bucket's first entries, by key."""
        kept = sorted(self._kept.get(bucket, []), key=lambda entry: entry[0])
        return [value for _key, value in (kept if self.k is None else kept[: self.k])]


def json_ids(ids: Iterable[int]) -> str:
    """Row ids as one JSON list, for ``json_each``: one query for the few lines shown."""
    return json.dumps(sorted({int(i) for i in ids}))
