"""A database of fictive citizens over all built-in programmes, dated relative to today.

Invented names, no CPR numbers. Every programme is in use in every phase, with companies,
booked, attended and missed practice days, absences, monthly hours and follow-ups both overdue
and on time, so `due` and `report` always show a living week. The same seed gives the same data.
Everything is written in one transaction: a demo killed half-way leaves nothing behind.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fleksrun.domain.calendar import plan_days, working_day_before
from fleksrun.domain.programs import Phase, Program, builtin_programs
from fleksrun.errors import Refused
from fleksrun.services.programs import definition_row
from fleksrun.store.connection import Database
from fleksrun.store.name_keys import write_keys
from fleksrun.store.tx import record_stamp, transaction

FIRST_NAMES = ("Mette", "Jens", "Hanne", "Ali", "Fatima", "Lars", "Sofie", "Ahmed", "Birgitte", "Mikkel",
               "Camilla", "Omar", "Karen", "Søren", "Aisha", "Henrik", "Louise", "Yusuf", "Pia", "Rasmus",
               "Zainab", "Torben", "Line", "Kasper", "Nadia", "Bo", "Maja", "Emil", "Ida", "Jonas")
LAST_NAMES = ("Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
              "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
              "Johansen", "Møller", "Mortensen", "Yilmaz", "Hussein", "Ali", "Berg", "Holm", "Dahl")
COMPANIES = (("Bageriet Aps", 12), ("Byggemarkedet Syd", 45), ("Café Havnen", 8), ("Genbrugspladsen Nord", 20),
             ("Kantinen på Rådhuset", 15), ("Lagerhuset A/S", 70), ("Malerfirmaet Farve & Co", 6),
             ("Plejecenter Solhaven", 90), ("Supermarkedet Centrum", 35), ("Trælasten", 25),
             ("Vaskeriet Hvidt", 10), ("Zoo-butikken", 4))
# What each company offers (`company profile`): tasks, mentor and strengths, places, weekdays,
# hours a day, what it cannot accommodate, address.
PROFILES = {
    "Bageriet Aps": ("bageri,opvask,rengøring", "Hanne Bager", "ro og faste rutiner", 2, "0,1,2,3,4", 5.0,
                     "tidlige morgener", "Torvet 2, 8600 Silkeborg"),
    "Byggemarkedet Syd": ("lager,kundeservice,oprydning", "Kim Sørensen", "tålmodighed", 3, "0,1,2,3,4", 6.0,
                          "", "Industrivej 14, 8600 Silkeborg"),
    "Café Havnen": ("opvask,service,køkken", "Lone Madsen", "humor og ro", 1, "1,3,5", 4.0, "tunge løft",
                    "Havnevej 3, 8500 Grenaa"),
    "Genbrugspladsen Nord": ("sortering,udendørs,oprydning", "Bent Holm", "klare beskeder", 2, "0,1,2,3", 5.0,
                             "", "Nordvej 40, 8500 Grenaa"),
    "Kantinen på Rådhuset": ("køkken,opvask,rengøring", "Susanne Dahl", "struktur", 2, "0,1,2,3,4", 4.0,
                             "mange mennesker", "Rådhuspladsen 1, 8600 Silkeborg"),
    "Lagerhuset A/S": ("lager,pakning,truck", "Per Olsen", "ro og tålmodighed", 4, "0,1,2,3,4", 7.0,
                       "tidlige morgener", "Logistikvej 8, 8600 Silkeborg"),
    "Malerfirmaet Farve & Co": ("maling,oprydning", "Jonas Berg", "at vise og forklare", 1, "1,3", 6.0,
                                "højder,tunge løft", "Værkstedsvej 5, 8500 Grenaa"),
    "Plejecenter Solhaven": ("rengøring,køkken,aktiviteter", "Birgitte Møller", "omsorg og struktur", 4,
                             "0,1,2,3,4", 5.0, "", "Solhavevej 10, 8600 Silkeborg"),
    "Supermarkedet Centrum": ("varepåfyldning,kundeservice,lager", "Ali Hussein", "humor", 3, "0,1,2,3,4,5", 5.0,
                              "mange mennesker", "Centrumgade 22, 8500 Grenaa"),
    "Trælasten": ("lager,udendørs,truck", "Torben Kristensen", "faste rammer", 2, "0,1,2,3,4", 7.0, "tunge løft",
                  "Skovvej 9, 8600 Silkeborg"),
    "Vaskeriet Hvidt": ("vask,pakning,rengøring", "Pia Thomsen", "ro", 2, "0,1,2,3", 4.0, "varme",
                        "Møllevej 4, 8500 Grenaa"),
    "Zoo-butikken": ("dyrepasning,kundeservice,rengøring", "Maja Poulsen", "tålmodighed", 1, "1,2,3,4,5", 4.0,
                     "allergi over for dyr", "Dyrehavevej 1, 8600 Silkeborg"),
}
WISHED_ELSEWHERE = ("Netto Vest", "Biblioteket Midt", "Dyrlægehuset")  # wished, not in the file yet
TASKS = ("lager", "rengøring", "køkken", "opvask", "kundeservice", "pakning", "udendørs", "varepåfyldning",
         "dyrepasning", "sortering", "service", "aktiviteter")
NEEDS = ("tunge løft", "tidlige morgener", "mange mennesker", "højder", "varme", "stress")
GOALS = ("Møde til tiden alle aftalte dage", "Fra 3 til 4 timer om dagen", "Arbejde selvstændigt med en opgave",
         "Sige til, når det bliver for meget", "Et ordinært timetal i løbet af måneden", "Klare pauserne med kolleger")
BATCH = 2_000  # citizens per progress step
DAY_STATUSES = ("planned", "attended", "absent", "cancelled")  # as the days table's CHECK
CHECKED = ("enrollments", "placements", "hours", "goals")  # the other tables with CHECKs that the bulk load writes
REINDEXED = ("days", "followups")  # the tables of a million rows, whose indexes are built at the end


def _practice_phases(program: Program) -> set[str]:
    """Phases in which a demo citizen has practice days booked."""
    named = {"ovebane", "virksomhedspraktik", "trin3", "virksomhedsmoede", "fastholdelse", "tidlig_indsats"}
    return {p.id for p in program.phases if p.sessions is not None or p.id in named}


class _Builder:
    def __init__(self, today: _dt.date, seed: int) -> None:
        self.today = today
        self.rng = random.Random(seed)
        self.rows: dict[str, list[tuple]] = {k: [] for k in _COLUMNS}
        self.ids = {k: 0 for k in self.rows}
        self._plans: dict[_dt.date, list[tuple[_dt.date, str]]] = {}
        self._iso: dict[_dt.date, str] = {}
        self._due: dict[tuple[_dt.date, int], str] = {}
        # Wishes and sub-goals come from their own generator, so the rest of the demo is as before.
        self.match_rng = random.Random(seed + 16)

    def iso(self, day: _dt.date) -> str:
        """``day.isoformat()``, remembered: a demo writes the same few hundred dates millions of times."""
        text = self._iso.get(day)
        if text is None:
            text = self._iso[day] = day.isoformat()
        return text

    def next_due(self, contact: _dt.date, every: int) -> str:
        """A contact's next due date by a plain cadence of ``every`` days, moved off weekends and
        holidays as ``services.followups.next_due`` moves it (remembered: the same few pairs recur)."""
        key = (contact, every)
        text = self._due.get(key)
        if text is None:
            text = self._due[key] = working_day_before(contact + _dt.timedelta(days=every), contact).isoformat()
        return text

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def plan(self, start: _dt.date) -> list[tuple[_dt.date, str]]:
        """26 Tuesday/Thursday practice days from ``start``, Danish holidays skipped, each with its
        ISO text (cached per start)."""
        if start not in self._plans:
            self._plans[start] = [(day, day.isoformat())
                                  for day in plan_days(start, (1, 3), weeks=13, policy="extend").booked]
        return self._plans[start]

    def citizen(
        self, number: int, program: Program, program_def: int, phase_index: int, company_ids: list[int]
    ) -> None:
        rng, today = self.rng, self.today
        citizen_id = self.next_id("citizens")
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        group = program.groups[number % len(program.groups)] if program.groups else None
        self.rows["citizens"].append((citizen_id, name, group, "demo", record_stamp()))
        ended = rng.random() < 0.12
        phases = program.phases[: phase_index + 1]
        start = today - _dt.timedelta(days=rng.randint(120, 180 + 45 * len(phases)))
        enrollment_id = self.next_id("enrollments")
        entered = start
        current: Phase = phases[-1]
        for i, phase in enumerate(phases):
            left = None
            if i < len(phases) - 1:
                left = entered + _dt.timedelta(days=rng.randint(14, 45))
                left = min(left, today - _dt.timedelta(days=10 * (len(phases) - 1 - i)))
            self.rows["phases"].append((self.next_id("phases"), enrollment_id, phase.id, entered.isoformat(),
                                        left.isoformat() if left else None, None, 0))
            ticked = phase.checklist if i < len(phases) - 1 or rng.random() < 0.35 else \
                phase.checklist[: rng.randint(0, max(0, len(phase.checklist) - 1))]
            for item in ticked:
                self.rows["checklist"].append((self.next_id("checklist"), enrollment_id, phase.id, item.id,
                                               (entered + _dt.timedelta(days=rng.randint(1, 10))).isoformat()))
            if left:
                entered = left
        end = outcome = None
        status = "active"
        if ended:
            status, end = "ended", (today - _dt.timedelta(days=rng.randint(1, 25))).isoformat()
            outcome = rng.choice(("flexjob", "job", "education", "dropout", "moved", "flexjob"))
            self.rows["phases"][-1] = self.rows["phases"][-1][:4] + (end, outcome, 0)
        self.rows["enrollments"].append((enrollment_id, citizen_id, program.id, program_def, start.isoformat(), end,
                                         status, outcome))
        if current.id in _practice_phases(program):
            monday = today - _dt.timedelta(days=today.weekday())
            first = max(entered, monday - _dt.timedelta(weeks=rng.randint(-1, 10)))
            self._placement(enrollment_id, citizen_id, program, first, company_ids, ended)
        elif phase_index > 0:  # an earlier track, finished before the current phase began
            first = max(start, entered - _dt.timedelta(weeks=14))
            self._placement(enrollment_id, citizen_id, program, first, company_ids, ended)
        self._followups(enrollment_id, program, current, start, ended)
        self._wishes(citizen_id, enrollment_id, ended)

    def _wishes(self, citizen_id: int, enrollment_id: int, ended: bool) -> None:
        """What the citizen wishes and needs (`wish`), and for most active ones a sub-goal or two."""
        rng, today = self.match_rng, self.today
        wished = rng.sample(COMPANIES, 3)
        names = [name for name, _ in wished] + ([rng.choice(WISHED_ELSEWHERE)] if rng.random() < 0.15 else [])
        needs = rng.sample(NEEDS, rng.choice((0, 1, 1, 2)))
        self.rows["citizen_wishes"].append((
            self.next_id("citizen_wishes"), citizen_id, json.dumps(names, ensure_ascii=False),
            ",".join(rng.sample(TASKS, 2)), ",".join(needs) or None, rng.choice(("1,3", "0,2,4", "1,2,3", "0,1,2,3,4")),
            float(rng.choice((3, 4, 5)))))
        if ended or rng.random() < 0.3:
            return
        for text in rng.sample(GOALS, rng.choice((1, 2))):
            review = today + _dt.timedelta(days=rng.randint(-12, 45))
            status = rng.choice(("met", "partly", "open")) if review < today else "open"
            self.rows["goals"].append((self.next_id("goals"), enrollment_id, text, self.iso(review), status,
                                       self.iso(today - _dt.timedelta(days=rng.randint(20, 60)))))

    def _placement(self, enrollment_id: int, citizen_id: int, program: Program, first: _dt.date,
                   company_ids: list[int], ended: bool) -> None:
        """A 13-week Tue/Thu track from ``first``: the past recorded (mostly), the future planned."""
        rng, today = self.rng, self.today
        days = self.plan(first)
        hours = float(rng.choice((3, 4, 4, 5, 6)))
        placement_id = self.next_id("placements")
        self.rows["placements"].append((placement_id, enrollment_id, rng.choice(company_ids), "practice",
                                        days[0][1], days[-1][1], "1,3", hours, "extend", record_stamp()))
        first_id = self.ids["days"] + 1
        self.ids["days"] += len(days)
        rows = self.rows["days"]
        random_ = rng.random
        recent = today - _dt.timedelta(days=10)  # only days since then are left unrecorded
        for day_id, (day, iso) in enumerate(days, first_id):
            status, done, reason = "planned", None, None
            if ended and day > today:
                status = "cancelled"
            elif day < today:
                roll = random_()
                if roll < 0.78 or (roll >= 0.9 and day < recent):
                    status, done = "attended", hours if random_() < 0.8 else hours - 1
                elif roll < 0.9:
                    status, reason = "absent", rng.choice(("sick", "sick", "other", "no-show"))
                # else: left unrecorded, so `due` shows attendance missing
            rows.append((day_id, placement_id, iso, hours, status, done, reason))
        if program.id == "jobgaranti":
            self._ordinary_hours(citizen_id)

    def showcase(self, programs: dict[str, Program], defs: dict[str, int], company_ids: list[int]) -> int:
        """Five citizens set up so that the week shows the agenda items chance may not: a track
        passing the 13-week limit, one ending soon, an after-care check-in, ordinary hours short of
        30 with last month's payslip missing, and a weekly ordinary job whose booked days cannot
        reach 30 hours this month. Returns how many citizens it made."""
        today = self.today
        monday = today - _dt.timedelta(days=today.weekday())
        now = record_stamp()
        # name, programme, phase, weeks in phase, and what the week must show of them
        cases = [
            ("Karen Holm", "virksomhedscenter", "virksomhedspraktik", 12, "limit"),
            ("Emil Dahl", "ovebane", "ovebane", 12, "ending"),
            ("Nadia Berg", "ovebane", "eftervaern", 6, None),
            ("Omar Yilmaz", "jobgaranti", "trin3", 14, "payslip_missing"),
            ("Laila Jensen", "jobgaranti", "trin3", 6, "hours_short"),
        ]
        for name, program_id, phase_id, weeks_in, shows in cases:
            program = programs[program_id]
            citizen_id, enrollment_id = self.next_id("citizens"), self.next_id("enrollments")
            self.rows["citizens"].append((citizen_id, name, None, "demo", now))
            entered = monday - _dt.timedelta(weeks=weeks_in)
            start = entered - _dt.timedelta(weeks=4 * program.phase_index(phase_id))
            self.rows["enrollments"].append((enrollment_id, citizen_id, program_id, defs[program_id],
                                             start.isoformat(), None, "active", None))
            for phase in program.phases[: program.phase_index(phase_id) + 1]:
                left = None if phase.id == phase_id else entered
                began = entered if phase.id == phase_id else start
                self.rows["phases"].append((self.next_id("phases"), enrollment_id, phase.id, began.isoformat(),
                                            left and left.isoformat(), None, 0))
            track_company = company_ids[len(self.rows["placements"]) % len(company_ids)]
            if shows == "limit":  # a 20-week track begun 12 weeks ago passes 13 weeks next week
                days = plan_days(monday - _dt.timedelta(weeks=12), (1, 3), weeks=20).booked
                self._fixed_days(enrollment_id, track_company, "practice", "1,3", days, now)
            elif shows == "ending":
                self._fixed_days(enrollment_id, track_company, "practice", "1,3", self._ending_soon(), now)
            elif shows == "hours_short":
                # One day a week from a month before this one: at most five days, 20 h, in any month.
                days = plan_days(today.replace(day=1) - _dt.timedelta(days=28), (2,), weeks=13).booked
                self._fixed_days(enrollment_id, company_ids[-1], "ordinary", "2", days, now)
            elif shows == "payslip_missing":
                month = today.strftime("%Y-%m")
                earlier = (today.replace(day=1) - _dt.timedelta(days=40)).strftime("%Y-%m")
                for m, hours in ((earlier, 18.0), (month, 24.0)):  # last month's payslip is not in yet
                    self.rows["hours"].append((self.next_id("hours"), citizen_id, m, "ordinary", hours, "payslip",
                                               today.isoformat()))
            last = today - _dt.timedelta(days=25 if phase_id == "eftervaern" else 5)
            every = program.phase(phase_id).followup.every_days or 30
            self.rows["followups"].append((self.next_id("followups"), enrollment_id, last.isoformat(), "talk",
                                           "citizen", None, self.next_due(last, every), "cadence"))
            if shows == "hours_short":
                self._showcase_agreement(citizen_id, enrollment_id)
        return len(cases)

    def _showcase_agreement(self, citizen_id: int, enrollment_id: int) -> None:
        """Laila Jensen's wishes, agreed skånehensyn and sub-goals: `match` and `agreement` for her show
        everything (her free-text accommodations, set in ``make_demo``, stay out of the agreement)."""
        today = self.today
        self.rows["citizen_wishes"].append((
            self.next_id("citizen_wishes"), citizen_id, json.dumps(["Zoo-butikken", "Café Havnen", "Dyrlægehuset"]),
            "dyrepasning,kundeservice", "tunge løft,mange mennesker", "1,3", 4.0))
        for text, days in (("Fra 4 til 5 timer om dagen", 10), ("Passe dyrene selvstændigt om tirsdagen", -3)):
            self.rows["goals"].append((self.next_id("goals"), enrollment_id, text,
                                       self.iso(today + _dt.timedelta(days=days)), "open",
                                       self.iso(today - _dt.timedelta(weeks=4))))

    def _ending_soon(self) -> list[_dt.date]:
        """A 13-week Tue/Thu track whose last day is still to come within 14 days, whatever today's
        weekday, and a week later if a holiday took that week's Thursday."""
        later = self.today + _dt.timedelta(days=3)
        monday = later - _dt.timedelta(days=later.weekday())
        while True:
            days = plan_days(monday - _dt.timedelta(weeks=12), (1, 3), weeks=13).booked
            if days[-1] >= self.today:
                return days
            monday += _dt.timedelta(weeks=1)

    def _fixed_days(self, enrollment_id: int, company_id: int, kind: str, weekdays: str, days: list[_dt.date],
                    now: str) -> None:
        """A placement of 4-hour days: those before today attended, the rest planned."""
        today = self.today
        placement_id = self.next_id("placements")
        self.rows["placements"].append((placement_id, enrollment_id, company_id, kind, days[0].isoformat(),
                                        days[-1].isoformat(), weekdays, 4.0, "skip", now))
        for day in days:
            attended = day < today
            self.rows["days"].append((self.next_id("days"), placement_id, day.isoformat(), 4.0,
                                      "attended" if attended else "planned", 4.0 if attended else None, None))

    def _ordinary_hours(self, citizen_id: int) -> None:
        """Payslip hours for the last months, climbing towards the 30-hour line: some citizens'
        payslip for last month is not in yet, and some have this month's timesheet so far."""
        rng, today = self.rng, self.today
        level = rng.choice((6.0, 12.0, 18.0, 24.0))
        last_month_in = rng.random() < 0.7
        for back in (3, 2, 1, 0):
            y, m = today.year, today.month - back
            while m < 1:
                y, m = y - 1, m + 12
            level = min(34.0, level + rng.choice((0.0, 2.5, 4.5, 6.0)))
            if back == 1 and not last_month_in:
                continue
            if back == 0:
                if rng.random() < 0.5:
                    continue
                hours, source = min(29.5, max(16.0, level)), "timesheet"
            else:
                hours, source = level, "payslip"
            self.rows["hours"].append((self.next_id("hours"), citizen_id, f"{y:04d}-{m:02d}", "ordinary", hours,
                                       source, today.isoformat()))

    def _followups(self, enrollment_id: int, program: Program, phase: Phase, start: _dt.date, ended: bool) -> None:
        rng, today = self.rng, self.today
        every = phase.followup.every_days or 30
        overdue = rng.random() < 0.2
        last = today - _dt.timedelta(days=rng.randint(every + 1, every + 20) if overdue else rng.randint(0, every - 1))
        spacing = min(every, 14)
        dates = [last - _dt.timedelta(days=spacing * k + rng.randint(-2, 2)) for k in range(12)]
        dates = sorted({d for d in dates if d >= start} or {start})
        for date in dates:
            self.rows["followups"].append((self.next_id("followups"), enrollment_id, self.iso(date),
                                           rng.choice(("talk", "phone", "visit", "meeting")),
                                           rng.choice(("citizen", "citizen", "company", "both")), None,
                                           None if ended else self.next_due(date, every), "cadence"))

    def batches(self, programs: list[Program], defs: dict[str, int], company_ids: list[int], first: int,
                size: int) -> Iterator[tuple[int, dict[str, list[tuple]]]]:
        """The rows of citizens ``first`` … ``size - 1``, a batch at a time: (citizens made, rows)."""
        for number in range(first, size):
            program = programs[number % len(programs)]
            phase_index = (number // len(programs)) % len(program.phases)
            self.citizen(number, program, defs[program.id], phase_index, company_ids)
            if (number + 1) % BATCH == 0 or number + 1 == size:
                rows, self.rows = self.rows, {table: [] for table in self.rows}
                yield number + 1, rows


# The columns of each table's rows, in the order the demo builds them; parents before children,
# for the foreign keys.
_COLUMNS = {
    "citizens": ("id", "name", "citizen_group", "notes", "created_at"),
    "enrollments": ("id", "citizen_id", "program_id", "program_def", "start", "end", "status", "outcome"),
    "phases": ("id", "enrollment_id", "phase", "entered", "left", "reason", "forced"),
    "checklist": ("id", "enrollment_id", "phase", "item", "done_on"),
    "placements": ("id", "enrollment_id", "company_id", "kind", "start", "end", "weekdays", "hours_per_day",
                   "holiday_policy", "created_at"),
    "days": ("id", "placement_id", "date", "planned_hours", "status", "hours", "reason"),
    "hours": ("id", "citizen_id", "month", "kind", "hours", "source", "recorded_on"),
    "followups": ("id", "enrollment_id", "date", "kind", "with_whom", "note", "next_due", "next_due_rule"),
    "citizen_wishes": ("id", "citizen_id", "companies", "tasks", "needs", "weekdays", "hours_per_day"),
    "goals": ("id", "enrollment_id", "text", "review_on", "status", "set_on"),
}


# Tables of later migrations that the demo fills when the file has them: the upgrade tests make a
# file of an older schema with today's demo, and their rows are only what `match` shows.
_MATCH_TABLES = ("company_profiles", "citizen_wishes", "goals")


def _has_table(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def _write(db: Database, rows: dict[str, list[tuple]]) -> None:
    missing = {table for table in _MATCH_TABLES if not _has_table(db, table)}
    for table, columns in _COLUMNS.items():
        if rows[table] and table not in missing:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            db.conn.executemany(sql, rows[table])
    write_keys(db.conn, "citizens", ((row[0], row[1]) for row in rows["citizens"]))  # the look-up's keys


@contextmanager
def _bulk_load(db: Database) -> Iterator[None]:
    """Rows written as a bulk load: the big tables' indexes built once at the end, and each row's
    CHECK constraints tested all at once. Runs inside the demo's transaction, so a kill leaves the
    indexes as they were.

    Keeping an index in order row by row costs more than sorting it once, and SQLite evaluates a
    CHECK's ``status IN (...)`` by building a small lookup for every row: together half the
    demo's write time at 100,000 citizens.
    """
    # The agenda's triggers, too: each would mark its row's citizen; all are marked once at the end.
    indexes = db.execute(f"""SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL
                             AND (type = 'index' AND tbl_name IN ({", ".join("?" * len(REINDEXED))})
                                  OR type = 'trigger' AND name LIKE 'agenda\\_stale\\_%' ESCAPE '\\')""",
                         REINDEXED).fetchall()
    for kind, name, _sql in indexes:  # names read from the schema itself, not from anyone's input
        db.execute(f'DROP {kind.upper()} "{name}"')
    try:
        db.execute("PRAGMA ignore_check_constraints = ON")
        yield
    finally:
        db.execute("PRAGMA ignore_check_constraints = OFF")
    for _kind, _name, sql in indexes:  # the very statements the migrations stored
        db.execute(sql)
    db.execute("INSERT OR IGNORE INTO agenda_stale (citizen_id) SELECT id FROM citizens")  # made before commit
    faults = [row[0] for table in CHECKED if _has_table(db, table)
              for row in db.execute(f"PRAGMA quick_check({table})") if row[0] != "ok"]
    known = ", ".join("?" * len(DAY_STATUSES))
    if db.execute(f"SELECT EXISTS (SELECT 1 FROM days WHERE status NOT IN ({known}))", DAY_STATUSES).fetchone()[0]:
        faults.append("CHECK constraint failed in days")
    if faults:  # the demo's own rows: a fault here is fleksrun's, never the user's
        raise AssertionError(f"the demo broke its tables' constraints: {faults}")


def has_data(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM citizens) OR EXISTS (SELECT 1 FROM companies)").fetchone()[0] == 1


def make_demo(db: Database, today: _dt.date, *, size: int = 60, seed: int = 1,
              progress: Callable[[int, int], Any] | None = None) -> dict[str, int]:
    """Fill an empty database with ``size`` fictive citizens; refuses a database that has data."""
    if has_data(db):
        raise Refused("demo.has_data")
    programs = list(builtin_programs().values())
    builder = _Builder(today, seed)
    with transaction(db, "demo") as tx:
        defs = {p.id: definition_row(db, tx, p, "builtin") for p in programs}
        company_ids = [tx.insert("companies", {"name": name, "employees": employees,
                                               "created_at": record_stamp()})
                       for name, employees in COMPANIES]
        profiled = COMPANIES if _has_table(db, "company_profiles") else ()
        for company_id, (name, _employees) in zip(company_ids, profiled, strict=False):
            tasks, mentor, strengths, places, weekdays, hours, cannot, address = PROFILES[name]
            tx.insert("company_profiles", {"company_id": company_id, "tasks": tasks, "mentor": mentor,
                                           "mentor_strengths": strengths, "places": places, "weekdays": weekdays,
                                           "hours_per_day": hours, "cannot": cannot or None, "address": address})
        # The rows themselves are bulk-inserted without per-row journal entries: a demo is undone by
        # deleting the file, and 100,000 citizens must fit in well under a minute.
        shown = builder.showcase({p.id: p for p in programs}, defs, company_ids) if size >= 20 else 0
        with _bulk_load(db):
            for made, rows in builder.batches(programs, defs, company_ids, shown, size):
                _write(db, rows)
                if progress:
                    progress(made, size)
        # The free text is for the consultant's eyes only: the agreement takes the agreed wording.
        db.execute("UPDATE citizens SET job_goal = ?, accommodations = ? WHERE name = ? AND notes = 'demo'",
                   ["Butik med dyr", "Angst; tåler ikke støj om morgenen", "Laila Jensen"])
        if _has_table(db, "citizen_wishes"):
            db.execute("UPDATE citizen_wishes SET agreed_wording = ? WHERE citizen_id IN "
                       "(SELECT id FROM citizens WHERE name = ? AND notes = 'demo')",
                       ["Laila begynder tidligst kl. 9, løfter ikke tungt og arbejder i et roligt hjørne af butikken.",
                        "Laila Jensen"])
    return {"citizens": size, "companies": len(COMPANIES), **{k: v for k, v in builder.ids.items() if k != "citizens"}}
