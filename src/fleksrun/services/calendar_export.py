"""The calendar file for Outlook (iCalendar, RFC 5545), made with the ``icalendar`` package.

Every event keeps the UID of the thing it shows: ``day-<id>@fleksrun`` for a placement's day (moved or
not), ``followup-<enrollment>@fleksrun`` for an enrollment's next follow-up (whatever its date). What
went out last time is kept in ``calendar_sent`` (store.migrations.m010): an event whose content changed
since goes out with a higher SEQUENCE and a later LAST-MODIFIED, and one that no longer takes place
(cancelled, absent, its enrollment ended, its citizen forgotten, its row gone) with STATUS:CANCELLED,
so importing the newer file leaves a calendar showing the current plan.

Nothing of a citizen but the first name leaves: no CPR number, surname, note or reason; the company
and the kind of day. A forgotten citizen's events go out cancelled and without a name.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fleksrun.errors import InputError
from fleksrun.i18n import t
from fleksrun.store.connection import Database
from fleksrun.store.queries import LATEST_FOLLOWUP
from fleksrun.store.tx import record_stamp, transaction

ZONE = "Europe/Copenhagen"
PRODID = "-//fleksrun//fleksrun//EN"
# A day takes place while it is planned or attended; cancelled and absent days do not.
TAKES_PLACE = ("planned", "attended")

Date = _dt.date | _dt.datetime


@dataclass(frozen=True)
class Event:
    """One calendar event as the plan shows it now; ``thing`` and ``thing_id`` make its UID."""

    thing: str
    thing_id: int
    start: Date
    end: Date
    summary: str
    location: str | None = None
    description: str | None = None
    cancelled: bool = False

    @property
    def uid(self) -> str:
        return f"{self.thing}-{self.thing_id}@fleksrun"

    @property
    def day(self) -> _dt.date:
        return self.start.date() if isinstance(self.start, _dt.datetime) else self.start

    def digest(self) -> str:
        """What a calendar shows of the event, hashed: equal digests, nothing to send again."""
        zone = str(getattr(self.start, "tzinfo", None) or "")
        shown = [self.start.isoformat(), self.end.isoformat(), zone, self.summary, self.location, self.description,
                 self.cancelled]
        return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Sent:
    """What ``calendar_sent`` remembers of an event's last export."""

    digest: str | None
    sequence: int
    modified: _dt.datetime
    day: _dt.date


def first_name(name: str | None) -> str:
    """Only the first name leaves in a calendar; a missing name becomes '?'."""
    parts = (name or "").split()
    return parts[0] if parts else "?"


def _who(row: dict[str, Any]) -> str:
    return t("export.ics.erased") if row["erased_at"] else first_name(row["citizen"])


def _zone() -> _dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ZONE)


def _day_event(row: dict[str, Any]) -> Event:
    """A placement's day: timed from the placement's start time for its planned hours, else all day."""
    day = _dt.date.fromisoformat(row["date"])
    hours = row["planned_hours"]
    start: Date = day
    end: Date = day + _dt.timedelta(days=1)
    if row["start_time"] and hours:
        start = _dt.datetime.combine(day, _dt.time.fromisoformat(row["start_time"]), tzinfo=_zone())
        end = start + _dt.timedelta(hours=hours)
    return Event("day", row["id"], start, end, t(f"export.ics.{row['kind']}", who=_who(row)),
                 location=row["company"], description=t("export.ics.hours", hours=hours) if hours else None,
                 cancelled=row["status"] not in TAKES_PLACE or bool(row["erased_at"]))


def _followup_event(row: dict[str, Any], sent: Sent | None) -> Event | None:
    """An enrollment's next follow-up, all day on its due date; cancelled once the enrollment has
    ended, the cadence has no next date (then on the day last sent), or the citizen is forgotten."""
    due = _dt.date.fromisoformat(row["due"]) if row["due"] else None
    cancelled = row["status"] != "active" or due is None or bool(row["erased_at"])
    day = due or (sent.day if sent is not None else None)
    if day is None:
        return None
    return Event("followup", row["id"], day, day + _dt.timedelta(days=1), t("export.ics.followup", who=_who(row)),
                 description=row["program"], cancelled=cancelled)


def _gone_event(thing: str, thing_id: int, sent: Sent) -> Event:
    """A thing sent before whose row is gone (a schedule or enrollment undone): cancelled, nameless."""
    return Event(thing, thing_id, sent.day, sent.day + _dt.timedelta(days=1), t("export.ics.gone"), cancelled=True)


def _sent(db: Database) -> dict[tuple[str, int], Sent]:
    return {(thing, thing_id): Sent(digest, sequence, _dt.datetime.fromisoformat(modified),
                                    _dt.date.fromisoformat(day))
            for thing, thing_id, digest, sequence, modified, day
            in db.execute("SELECT thing, thing_id, digest, sequence, modified, day FROM calendar_sent")}


def plan_events(db: Database, start: _dt.date, end: _dt.date,
                sent: dict[tuple[str, int], Sent]) -> list[Event]:
    """The events of the period, and every event sent before, as the plan shows them now."""
    binds = {"from": start.isoformat(), "to": end.isoformat()}
    days = db.query("""
        SELECT d.id, d.date, d.planned_hours, d.status, p.kind, p.start_time, co.name AS company,
               c.name AS citizen, c.erased_at
        FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
        JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = p.company_id
        WHERE d.date BETWEEN :from AND :to
           OR d.id IN (SELECT thing_id FROM calendar_sent WHERE thing = 'day')""", binds)
    # The next follow-up as the agenda has it (store.queries.due_followups): the latest contact's
    # next due date, or the first day while there is no contact yet.
    followups = db.query(f"""
        SELECT * FROM (
            SELECT e.id, e.status, e.program_id AS program, c.name AS citizen, c.erased_at,
                   CASE WHEN f.id IS NULL THEN e.start ELSE f.next_due END AS due
            FROM enrollments e JOIN citizens c ON c.id = e.citizen_id
            {LATEST_FOLLOWUP})
        WHERE status = 'active' AND due BETWEEN :from AND :to
           OR id IN (SELECT thing_id FROM calendar_sent WHERE thing = 'followup')""", binds)
    events = [_day_event(row) for row in days]
    for row in followups:
        event = _followup_event(row, sent.get(("followup", row["id"])))
        if event is not None:
            events.append(event)
    found = {(e.thing, e.thing_id) for e in events}
    events += [_gone_event(thing, thing_id, s) for (thing, thing_id), s in sent.items()
               if (thing, thing_id) not in found]
    return events


def _goes_out(event: Event, sent: Sent | None, start: _dt.date, end: _dt.date) -> bool:
    """In the file: what takes place in the period, what was sent there before (cancelled or not),
    and, wherever it now lies, what changed since it was sent. Never the news of a cancellation
    nobody was told about."""
    if sent is None:
        return not event.cancelled and start <= event.day <= end
    return sent.digest != event.digest() or start <= event.day <= end


def _stamped(events: Iterable[Event], sent: dict[tuple[str, int], Sent], now: _dt.datetime) -> list[tuple[Event, Sent]]:
    """Each event with its sequence and last-modified time: unchanged ones keep theirs, changed ones
    go one up, at ``now`` or a second after the last one, whichever is later (two exports in one
    second still grow)."""
    stamped = []
    for event in events:
        before, digest = sent.get((event.thing, event.thing_id)), event.digest()
        if before is None:
            after = Sent(digest, 0, now, event.day)
        elif before.digest != digest:
            after = Sent(digest, before.sequence + 1, max(now, before.modified + _dt.timedelta(seconds=1)), event.day)
        else:
            after = before
        stamped.append((event, after))
    return stamped


def _calendar_bytes(stamped: list[tuple[Event, Sent]]) -> bytes:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    timed = [e.day for e, _s in stamped if isinstance(e.start, _dt.datetime)]
    if timed:  # the zone's rules for the span of the timed events, as RFC 5545 wants beside a TZID
        calendar.add_component(icalendar.Timezone.from_tzid(
            ZONE, first_date=min(timed), last_date=max(timed) + _dt.timedelta(days=1)))
    for event, sent in stamped:
        item = icalendar.Event()
        item.add("uid", event.uid)
        # Without a METHOD, DTSTAMP is when the event last changed: the same as LAST-MODIFIED, which
        # keeps a file of unchanged events the same, byte for byte.
        item.add("dtstamp", sent.modified)
        item.add("last-modified", sent.modified)
        item.add("sequence", sent.sequence)
        item.add("dtstart", event.start)
        item.add("dtend", event.end)
        item.add("summary", event.summary)
        if event.location:
            item.add("location", event.location)
        if event.description:
            item.add("description", event.description)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    return calendar.to_ical()


def _remember(db: Database, stamped: list[tuple[Event, Sent]]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO calendar_sent (thing, thing_id, digest, sequence, modified, day) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(e.thing, e.thing_id, s.digest, s.sequence, s.modified.isoformat(timespec="seconds"), s.day.isoformat())
         for e, s in stamped])


def export_calendar(db: Database, start: _dt.date, end: _dt.date,
                    write: Callable[[bytes], Any]) -> dict[str, int]:
    """Make the calendar for ``start``–``end``, hand its bytes to ``write``, and remember what went
    out (all in one transaction: a failed write leaves nothing remembered). No events: no file.

    Returns how many events went out, how many of them are new or changed since the last export,
    and how many are cancelled.
    """
    if start > end:
        raise InputError("export.bad_period", start=start, end=end)
    if db.read_only:  # still a true file; the next export from a writable file sends it again
        return _export(db, start, end, write, remember=False)
    with transaction(db, "export ics"):
        return _export(db, start, end, write, remember=True)


def _export(db: Database, start: _dt.date, end: _dt.date, write: Callable[[bytes], Any], *,
            remember: bool) -> dict[str, int]:
    sent = _sent(db)
    events = [e for e in plan_events(db, start, end, sent)
              if _goes_out(e, sent.get((e.thing, e.thing_id)), start, end)]
    events.sort(key=lambda e: (e.day, e.thing, e.thing_id))
    stamped = _stamped(events, sent, _dt.datetime.fromisoformat(record_stamp()))
    if stamped:
        write(_calendar_bytes(stamped))
        if remember:
            _remember(db, stamped)
    return {"events": len(stamped),
            "changed": sum(1 for e, s in stamped if sent.get((e.thing, e.thing_id)) != s),
            "cancelled": sum(1 for e, _s in stamped if e.cancelled)}


def forget_sent(db: Database, day_ids: Iterable[int], enrollment_ids: Iterable[int]) -> None:
    """Clear the digests a forgotten citizen's events were sent with (each made from her first
    name): the next export sends them again, cancelled and without a name."""
    for thing, ids in (("day", day_ids), ("followup", enrollment_ids)):
        db.execute("UPDATE calendar_sent SET digest = NULL WHERE thing = ? "
                   "AND thing_id IN (SELECT value FROM json_each(?))", [thing, json.dumps(sorted(ids))])
