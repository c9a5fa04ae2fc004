"""Random programmes (every rule kind, mins at and around their edges, both modes) and random
caseloads in them: citizens with stays, ticks, booked and attended days and recorded hours."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from fleksrun.domain.programs import parse_program
from fleksrun.store.db import open_db

ITEMS = ("a", "b", "c")
KINDS = ("practice", "ordinary", "flexjob", "subsidised")
HOURS = (0, 0.1, 0.2, 0.3, 2.5, 4, 7.3, 7.5, 15, 29.9, 30)


def _rule(rng: random.Random, kind: str) -> str:
    if kind in ("checklist",):
        return '{ kind = "checklist" }'
    if kind == "outcome":
        return '{ kind = "outcome", in = ["job", "education"] }'
    if kind == "hours_increase":
        return rng.choice(['{ kind = "hours_increase" }', '{ kind = "hours_increase", min = 1 }',
                           '{ kind = "hours_increase", min = 2.5 }'])
    # As low as a programme file allows (whole numbers above 0; hours above 0), and the usual ones.
    low = {"weeks_in_phase": [1, 2, 13], "practice_days": [1, 3, 8], "continuous_practice_weeks": [1, 2, 4],
           "ordinary_hours_month": [0.5, 10, 29.9, 30]}[kind]
    return f'{{ kind = "{kind}", min = {rng.choice(low)} }}'


def random_program(rng: random.Random) -> str:
    kinds = ["checklist", "weeks_in_phase", "practice_days", "continuous_practice_weeks", "ordinary_hours_month",
             "hours_increase", "outcome"]
    phases = []
    for n in range(5):
        # Only the last phase may go without rules.
        chosen = rng.sample(kinds, rng.choice([0, 1, 2] if n == 4 else [1, 1, 2, 3]))
        rules = ", ".join(_rule(rng, k) for k in chosen)
        items = ITEMS[: rng.choice([1, 2, 3] if "checklist" in chosen else [0, 1, 2, 3])]
        checklist = "".join(f'\n[[phases.checklist]]\nid = "{i}"\nlabel = "{i}"\n' for i in items)
        phases.append(f'[[phases]]\nid = "p{n}"\nname = "Phase {n}"\nmode = "{rng.choice(["all", "any"])}"\n'
                      + (f'rules = [{rules}]\n' if rules else "") + checklist)
    return 'id = "random"\nname = "Random"\n[followup]\nevery_days = 30\n\n' + "\n".join(phases)


def _day(rng: random.Random, first: dt.date, span: int) -> dt.date:
    return first + dt.timedelta(days=rng.randrange(span))


def fill(db, rng: random.Random, program_def: int, program, citizens: int = 80) -> None:
    """Random citizens, one or two enrollments each, in random phases with a random history."""
    base = dt.date(2026, 1, 1)
    with db.conn:
        company = db.execute("INSERT INTO companies (name, created_at) VALUES ('X', 'now')").lastrowid
        for closed in ("2025-12-24", "2026-02-10", "2026-02-11", "2026-07-14"):  # closing days keep runs going
            db.execute("INSERT INTO company_closures (company_id, date, reason) VALUES (?, ?, 'x')", [company, closed])
        for n in range(citizens):
            cid = db.execute("INSERT INTO citizens (name, created_at) VALUES (?, 'now')", [f"C{n}"]).lastrowid
            for _ in range(rng.choice([1, 1, 2])):
                start = _day(rng, base - dt.timedelta(days=200), 300)
                outcome = rng.choice([None, None, "job", "rehab"])
                eid = db.execute("INSERT INTO enrollments (citizen_id, program_id, program_def, start, status, outcome)"
                                 " VALUES (?, 'random', ?, ?, 'active', ?)",
                                 [cid, program_def, start.isoformat(), outcome]).lastrowid
                # Some stays before the current one, sometimes in the same phase (a dropout back).
                entered = start
                phase = rng.choice(program.phases).id
                for _stay in range(rng.choice([0, 0, 1, 2])):
                    left = entered + dt.timedelta(days=rng.randrange(1, 60))
                    db.execute("INSERT INTO phases (enrollment_id, phase, entered, left) VALUES (?, ?, ?, ?)",
                               [eid, rng.choice([phase, program.phases[0].id]), entered.isoformat(), left.isoformat()])
                    entered = left
                db.execute("INSERT INTO phases (enrollment_id, phase, entered) VALUES (?, ?, ?)",
                           [eid, phase, entered.isoformat()])
                for item in rng.sample(ITEMS, rng.randrange(len(ITEMS) + 1)):
                    db.execute("INSERT INTO checklist (enrollment_id, phase, item, done_on) VALUES (?, ?, ?, ?)",
                               [eid, phase, item, _day(rng, start, 300).isoformat()])
                for _p in range(rng.choice([0, 1, 2, 3])):
                    kind = rng.choice(KINDS)
                    # Placements of a few weeks to most of a year, so weeks without one break a run.
                    first = _day(rng, start - dt.timedelta(days=20), 120)
                    last = first + dt.timedelta(days=rng.choice([20, 60, 120, 300]))
                    weekdays = ",".join(str(d) for d in sorted(rng.sample(range(5), rng.choice([1, 2, 3]))))
                    pid = db.execute("INSERT INTO placements (enrollment_id, company_id, kind, start, end, weekdays,"
                                     " created_at) VALUES (?, ?, ?, ?, ?, ?, 'now')",
                                     [eid, company, kind, first.isoformat(), last.isoformat(), weekdays]).lastrowid
                    # Runs of weekly days with gaps, so continuous weeks have edges to find.
                    day = _day(rng, start - dt.timedelta(days=30), 90)
                    for _d in range(rng.randrange(0, 30)):
                        day += dt.timedelta(days=rng.choice([1, 3, 7, 7, 7, 14]))
                        status = rng.choice(["attended", "attended", "attended", "absent", "planned", "cancelled"])
                        reason = rng.choice(["sick", "sick", "other", "no-show"]) if status == "absent" else None
                        db.execute("INSERT OR IGNORE INTO days (placement_id, date, planned_hours, status, hours, reason)"
                                   " VALUES (?, ?, 4, ?, ?, ?)",
                                   [pid, day.isoformat(), status,
                                    rng.choice(HOURS + (None,)) if status == "attended" else None, reason])
            for _h in range(rng.choice([0, 1, 3, 6])):
                month = _day(rng, base - dt.timedelta(days=400), 700).strftime("%Y-%m")
                db.execute("INSERT OR IGNORE INTO hours (citizen_id, month, kind, hours, recorded_on) VALUES (?, ?, ?, ?, 'x')",
                           [cid, month, rng.choice(KINDS), rng.choice(HOURS + (31, 45, 60, 80))])


def random_caseload(tmp_path: Path, seed: int, citizens: int = 80):
    """A database of one random programme and a random caseload in it: (db, {definition id: programme})."""
    rng = random.Random(seed)
    text = random_program(rng)
    program = parse_program(text, "random.toml")
    db = open_db(tmp_path / "r.db")
    with db.conn:
        program_def = db.execute("INSERT INTO programs (program_id, definition, digest, origin, added_at)"
                                 " VALUES ('random', ?, 'x', 'user', 'now')", [text]).lastrowid
    fill(db, rng, program_def, program, citizens)
    return db, {program_def: program}


TODAYS = [dt.date(2026, m, d) for m in (1, 2, 3, 4, 6, 9, 12) for d in (1, 15, 28)] + [
    dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 4, 30), dt.date(2025, 12, 31)]
