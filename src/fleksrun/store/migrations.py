"""Numbered schema migrations. Append only: never edit or rename a released migration."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from fleksrun.store.rebuild import rebuild_with_autoincrement
from fleksrun.store.tx import ERASED_GUARD  # the guard triggers' text, which store.tx turns into a sentence

migrations = Migrations("fleksrun")


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial(db: Database) -> None:
    """The whole first schema (DESIGN.md "Data"). Dates are YYYY-MM-DD text, months YYYY-MM."""
    _run_script(
        db,
        """
        CREATE TABLE citizens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            cpr TEXT,
            case_ref TEXT,
            citizen_group TEXT,
            phone TEXT,
            email TEXT,
            accommodations TEXT,
            job_goal TEXT,
            notes TEXT,
            followup_every INTEGER,
            created_at TEXT NOT NULL,
            erased_at TEXT
        );
        CREATE TABLE companies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            cvr TEXT,
            contact TEXT,
            phone TEXT,
            email TEXT,
            employees INTEGER,
            notes TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE company_closures (
            id INTEGER PRIMARY KEY,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            date TEXT NOT NULL,
            reason TEXT,
            UNIQUE (company_id, date)
        );
        -- A programme definition exactly as it was used: enrollments point at the row they began under.
        CREATE TABLE programs (
            id INTEGER PRIMARY KEY,
            program_id TEXT NOT NULL,
            definition TEXT NOT NULL,
            digest TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL CHECK (origin IN ('builtin', 'user')),
            added_at TEXT NOT NULL
        );
        CREATE TABLE enrollments (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES citizens(id),
            program_id TEXT NOT NULL,
            program_def INTEGER NOT NULL REFERENCES programs(id),
            start TEXT NOT NULL,
            end TEXT,
            status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
            outcome TEXT
        );
        CREATE TABLE phases (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            phase TEXT NOT NULL,
            entered TEXT NOT NULL,
            left TEXT,
            reason TEXT,
            forced INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE checklist (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            phase TEXT NOT NULL,
            item TEXT NOT NULL,
            done_on TEXT NOT NULL,
            UNIQUE (enrollment_id, phase, item)
        );
        CREATE TABLE placements (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            company_id INTEGER NOT NULL REFERENCES companies(id),
            kind TEXT NOT NULL CHECK (kind IN ('practice', 'ordinary', 'flexjob', 'subsidised')),
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            weekdays TEXT NOT NULL,
            hours_per_day REAL,
            holiday_policy TEXT NOT NULL DEFAULT 'skip',
            contact TEXT,
            tasks TEXT,
            goals TEXT,
            extensions INTEGER NOT NULL DEFAULT 0,
            extension_reason TEXT,
            created_at TEXT NOT NULL
        );
        -- The plan (planned_hours) and what happened (status, hours) are separate columns:
        -- "not recorded" is computed when read (a past planned day), never stored.
        CREATE TABLE days (
            id INTEGER PRIMARY KEY,
            placement_id INTEGER NOT NULL REFERENCES placements(id),
            date TEXT NOT NULL,
            planned_hours REAL,
            status TEXT NOT NULL CHECK (status IN ('planned', 'attended', 'absent', 'cancelled')),
            hours REAL,
            reason TEXT,
            note TEXT,
            holiday TEXT,
            UNIQUE (placement_id, date)
        );
        CREATE TABLE hours (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES citizens(id),
            month TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ordinary', 'practice', 'subsidised', 'flexjob')),
            hours REAL NOT NULL CHECK (hours >= 0),
            source TEXT,
            recorded_on TEXT NOT NULL,
            UNIQUE (citizen_id, month, kind)
        );
        CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            with_whom TEXT NOT NULL,
            note TEXT,
            next_due TEXT,
            next_due_rule TEXT
        );
        -- One row per command that changed something, with its journal rows under it.
        CREATE TABLE commands (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            command TEXT NOT NULL,
            citizen_id INTEGER,
            undone_at TEXT,
            undoes INTEGER
        );
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY,
            command_id INTEGER NOT NULL REFERENCES commands(id),
            table_name TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            before TEXT,
            after TEXT
        );
        CREATE INDEX idx_enrollments_citizen ON enrollments (citizen_id, status);
        CREATE INDEX idx_phases_enrollment ON phases (enrollment_id, left);
        CREATE INDEX idx_placements_enrollment ON placements (enrollment_id);
        CREATE INDEX idx_placements_end ON placements (end);
        CREATE INDEX idx_days_date ON days (date, status);
        CREATE INDEX idx_hours_month ON hours (month, kind);
        CREATE INDEX idx_followups_enrollment ON followups (enrollment_id, date);
        CREATE INDEX idx_followups_next_due ON followups (next_due);
        CREATE INDEX idx_journal_command ON journal (command_id);
        CREATE INDEX idx_commands_citizen ON commands (citizen_id);
        """
    )


@migrations()
def m002_extra_days(db: Database) -> None:
    """Days recorded with `attend` that were never booked ("extra" days), told apart from booked ones."""
    db.execute("ALTER TABLE days ADD COLUMN extra INTEGER NOT NULL DEFAULT 0")


@migrations()
def m003_phase_how(db: Database) -> None:
    """How a phase was entered, so `show` can tell the story: start, advance, forced, back, dropout, aftercare.

    NULL on rows written before this migration: the first row of an enrollment is its start, a later
    one an advance (forced when ``forced`` is 1).
    """
    db.execute("ALTER TABLE phases ADD COLUMN how TEXT")


@migrations()
def m004_agenda_indexes(db: Database) -> None:
    """Indexes for the agenda: a week's booked days read from the index alone (date, status and
    placement), and the few planned days in the past (missing attendance) without the many ahead.
    The first replaces idx_days_date, whose columns it begins with."""
    db.execute("CREATE INDEX idx_days_agenda ON days (date, status, placement_id)")
    db.execute("DROP INDEX idx_days_date")
    db.execute("CREATE INDEX idx_days_planned ON days (date) WHERE status = 'planned'")


# What each table's rows say about a citizen's agenda, and how a trigger finds that citizen from a row.
_STALE_FROM = {
    "citizens": "SELECT {row}.id",
    "enrollments": "SELECT {row}.citizen_id",
    "hours": "SELECT {row}.citizen_id",
    "phases": "SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id",
    "checklist": "SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id",
    "placements": "SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id",
    "followups": "SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id",
    "days": "SELECT e.citizen_id FROM placements p JOIN enrollments e ON e.id = p.enrollment_id"
            " WHERE p.id = {row}.placement_id",
}


@migrations()
def m005_agenda_state(db: Database) -> None:
    """Per-citizen summaries the agenda reads instead of every citizen's days and follow-ups.

    They are derived, never the record: triggers on every table they are made from mark the citizen
    in ``agenda_stale`` in the same transaction as the change (whoever makes it: a command, undo,
    forget), and ``services.agenda_state`` remakes the marked citizens' rows. Every citizen starts
    marked. Each summary holds for any "today": a date from which something holds, not whether it
    holds now.
    """
    _run_script(
        db,
        """
        CREATE TABLE agenda_stale (citizen_id INTEGER PRIMARY KEY);
        -- The version of the code that made the summaries: another version remakes them all.
        CREATE TABLE agenda_version (version INTEGER NOT NULL);
        -- Each current stay in a phase of an active enrollment: the first day its exit rules hold (NULL:
        -- not with the rows as they are). live = 1 where a rule can stop holding, so they are asked on
        -- the day, from ready_from on. hours_target is the phase's monthly ordinary-hours target.
        CREATE TABLE ready_state (
            phase_id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL,
            ready_from TEXT,
            live INTEGER NOT NULL,
            hours_target REAL
        );
        CREATE INDEX idx_ready_state_from ON ready_state (live, ready_from);
        CREATE INDEX idx_ready_state_hours ON ready_state (hours_target) WHERE hours_target IS NOT NULL;
        CREATE INDEX idx_ready_state_citizen ON ready_state (citizen_id);
        -- Each active enrollment (with its current stay: id is that stay's, or minus the enrollment's
        -- without one): the day its next follow-up is due (NULL: the cadence has ended), and whether the
        -- stay is the programme's after-care.
        CREATE TABLE followup_state (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL,
            citizen_id INTEGER NOT NULL,
            due TEXT,
            aftercare INTEGER NOT NULL
        );
        CREATE INDEX idx_followup_state_due ON followup_state (due, aftercare, citizen_id);
        CREATE INDEX idx_followup_state_citizen ON followup_state (citizen_id);
        -- Each placement of an active enrollment, with its citizen and company: the day it ends (its last
        -- day not cancelled, else its end date), and for practice the Monday its legal limit is reached.
        CREATE TABLE placement_state (
            placement_id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL,
            company_id INTEGER NOT NULL,
            ends TEXT NOT NULL,
            limit_day TEXT,
            limit_weeks INTEGER
        );
        CREATE INDEX idx_placement_state_ends ON placement_state (ends);
        CREATE INDEX idx_placement_state_limit ON placement_state (limit_day) WHERE limit_day IS NOT NULL;
        CREATE INDEX idx_placement_state_citizen ON placement_state (citizen_id);
        -- Citizens in name order, for a walk to the first names of many (the agenda's). Partial, on a
        -- term every id meets, so that only a query that says "c.id > 0" may use it: a listing of
        -- everyone is faster sorted at the end than read in name order across the file.
        CREATE INDEX idx_citizens_name ON citizens (name COLLATE NOCASE, id) WHERE id > 0;
        INSERT INTO agenda_stale (citizen_id) SELECT id FROM citizens
        """
    )
    for table, citizen in _STALE_FROM.items():
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            marks = " ".join(f"INSERT OR IGNORE INTO agenda_stale (citizen_id) {citizen.format(row=row)};"
                             for row in rows)
            db.execute(f"CREATE TRIGGER agenda_stale_{table}_{event.lower()} AFTER {event} ON {table} "
                       f"BEGIN {marks} END")


@migrations()
def m006_rule_views(db: Database) -> None:
    """The facts every exit rule and report reads, each defined once, as a view:

    - ``practice_attended``: the attended days of practice placements (virksomhedspraktik), per
      enrollment;
    - ``monthly_hours``: a citizen's hours per calendar month and kind. A figure recorded with
      `hours` (a timesheet, a payslip) REPLACES the sum of that kind's attended days in that month;
      without one, the attended days count. So the same hours are never counted twice. Figures are
      to the hundredth of an hour, as they are shown: 29.999 h is 30 h for the rules too, and the
      order in which SQLite adds them never tips one.

    ``ready_state`` now holds the spans of days on which a stay's phase is ready, worked out by the
    rule engine itself (``domain.rules.ready_spans``), one row per span; a stay never ready has one
    row without a span, so every current stay has its monthly-hours target. ``hours_state`` keeps the
    view's rows of the citizens with such a target, for the agenda to look up by citizen and month."""
    _run_script(
        db,
        """
        CREATE VIEW practice_attended AS
            SELECT p.enrollment_id AS enrollment_id, d.date AS date, d.hours AS hours
            FROM placements p JOIN days d ON d.placement_id = p.id
            WHERE p.kind = 'practice' AND d.status = 'attended';
        CREATE VIEW monthly_hours AS
            SELECT h.citizen_id AS citizen_id, h.month AS month, h.kind AS kind, ROUND(h.hours, 2) AS hours,
                   'recorded' AS source
            FROM hours h
            UNION ALL
            SELECT e.citizen_id, substr(d.date, 1, 7), p.kind, ROUND(SUM(COALESCE(d.hours, 0)), 2), 'days'
            FROM enrollments e
            JOIN placements p ON p.enrollment_id = e.id
            JOIN days d ON d.placement_id = p.id
            WHERE d.status = 'attended'
              AND NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id
                              AND h.month = substr(d.date, 1, 7) AND h.kind = p.kind)
            GROUP BY e.citizen_id, substr(d.date, 1, 7), p.kind;
        DROP TABLE ready_state;
        CREATE TABLE ready_state (
            phase_id INTEGER NOT NULL,
            citizen_id INTEGER NOT NULL,
            ready_from TEXT,
            ready_until TEXT,
            hours_target REAL
        );
        CREATE INDEX idx_ready_state_from ON ready_state (ready_from, ready_until);
        CREATE INDEX idx_ready_state_hours ON ready_state (hours_target) WHERE hours_target IS NOT NULL;
        CREATE INDEX idx_ready_state_citizen ON ready_state (citizen_id);
        CREATE INDEX idx_ready_state_phase ON ready_state (phase_id);
        -- The monthly hours (the view's rows) of the citizens in a phase with a monthly hours target,
        -- for the agenda to look up by citizen and month: a copy kept with the other summaries.
        CREATE TABLE hours_state (
            citizen_id INTEGER NOT NULL,
            month TEXT NOT NULL,
            kind TEXT NOT NULL,
            hours REAL NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (citizen_id, month, kind)
        );
        DELETE FROM agenda_version;
        INSERT OR IGNORE INTO agenda_stale (citizen_id) SELECT id FROM citizens
        """
    )


@migrations()
def m007_settings(db: Database) -> None:
    """The file's own settings (`fleksrun config`), one row per setting that differs from its default:
    ``days-off`` lists the customary days (Grundlovsdag, 1 May, Juleaftensdag, Nytårsaftensdag) that
    `schedule` treats like public holidays, e.g. ``grundlovsdag,juleaftensdag``."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)")


@migrations()
def m008_checklist_stays(db: Database) -> None:
    """A tick belongs to a stay in a phase (``stay``: the ``phases`` row the citizen was in when it
    was ticked, the last one after the end), so that back in a phase after a dropout a new tick is
    added for the new stay and the first stay keeps its own; the UNIQUE key becomes (enrollment,
    phase, item, stay). An ``anytime`` item (Rampen's end questionnaire) ticked in another phase or
    after the end keeps the phase that lists it and names the stay it was ticked in.

    A tick made before this migration belongs to the latest stay in its phase that began on or
    before the tick, else to the first stay in it (a tick before the stay began counted for the
    first stay). ``stay`` is a plain integer, not a foreign key: erasure deletes a citizen's rows in
    any order. SQLite cannot drop a UNIQUE constraint, so the table is made again, with its ids, and
    its agenda triggers (m005)."""
    _run_script(
        db,
        """
        CREATE TABLE checklist_new (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            phase TEXT NOT NULL,
            item TEXT NOT NULL,
            done_on TEXT NOT NULL,
            stay INTEGER,
            UNIQUE (enrollment_id, phase, item, stay)
        );
        INSERT INTO checklist_new (id, enrollment_id, phase, item, done_on, stay)
            SELECT k.id, k.enrollment_id, k.phase, k.item, k.done_on,
                   COALESCE((SELECT ph.id FROM phases ph WHERE ph.enrollment_id = k.enrollment_id
                               AND ph.phase = k.phase AND ph.entered <= k.done_on
                             ORDER BY ph.entered DESC, ph.id DESC LIMIT 1),
                            (SELECT MIN(ph.id) FROM phases ph WHERE ph.enrollment_id = k.enrollment_id
                               AND ph.phase = k.phase))
            FROM checklist k;
        DROP TABLE checklist;
        ALTER TABLE checklist_new RENAME TO checklist
        """
    )
    citizen = _STALE_FROM["checklist"]
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        marks = " ".join(f"INSERT OR IGNORE INTO agenda_stale (citizen_id) {citizen.format(row=row)};" for row in rows)
        db.execute(f"CREATE TRIGGER agenda_stale_checklist_{event.lower()} AFTER {event} ON checklist "
                   f"BEGIN {marks} END")


@migrations()
def m009_closure_marks(db: Database) -> None:
    """A company's closing days, and the days off the file sets, keep a citizen's continuous practice
    going (domain.continuity), so a change to them marks, for the agenda's summaries, every citizen
    with a practice placement there (anywhere, for the days off)."""
    citizens = ("SELECT e.citizen_id FROM placements p JOIN enrollments e ON e.id = p.enrollment_id "
                "WHERE p.kind = 'practice' AND p.company_id = {row}.company_id")
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        marks = " ".join(f"INSERT OR IGNORE INTO agenda_stale (citizen_id) {citizens.format(row=row)};"
                         for row in rows)
        db.execute(f"CREATE TRIGGER agenda_stale_company_closures_{event.lower()} AFTER {event} ON company_closures "
                   f"BEGIN {marks} END")
        everyone = ("INSERT OR IGNORE INTO agenda_stale (citizen_id) SELECT e.citizen_id FROM placements p "
                    "JOIN enrollments e ON e.id = p.enrollment_id WHERE p.kind = 'practice';")
        db.execute(f"CREATE TRIGGER agenda_stale_settings_{event.lower()} AFTER {event} ON settings "
                   f"BEGIN {everyone} END")


@migrations()
def m010_calendar_sent(db: Database) -> None:
    """A placement's optional time of day (``start_time``, ``HH:MM`` in Europe/Copenhagen), so its
    days can be timed events in the calendar; and ``calendar_sent``, what `export ics` last sent for
    each event, so that a newer file updates a calendar instead of adding to it.

    A calendar client takes an event again only with a higher SEQUENCE, and learns of a removal only
    from an event marked cancelled. Both need to know what went out last time, which the plan itself
    does not tell (a day's row stays the same when it is moved, and a deleted row leaves nothing), so
    each export compares an event's content with the ``digest`` sent before and raises ``sequence``
    and ``modified`` (UTC) only when it differs. The key is the thing behind the UID (``day`` and the
    day's id, ``followup`` and the enrollment's id), and ``day`` the date last sent, for cancelling a
    row that is gone. Nothing here names anyone; the digest alone was made from a first name, and
    `forget` clears it. It is bookkeeping about files already sent: not journalled, so `undo` of a
    change to the plan is simply one more change for the next export to send."""
    _run_script(
        db,
        """
        ALTER TABLE placements ADD COLUMN start_time TEXT;
        CREATE TABLE calendar_sent (
            thing TEXT NOT NULL CHECK (thing IN ('day', 'followup')),
            thing_id INTEGER NOT NULL,
            digest TEXT,
            sequence INTEGER NOT NULL,
            modified TEXT NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (thing, thing_id)
        )
        """
    )


# Tables whose ids name a person's rows, or a change to them: an id once given is never given again,
# so the journal and `history` never mix one person's rows with another's.
_NEVER_REUSED = ("citizens", "companies", "enrollments", "phases", "checklist", "placements", "days", "hours",
                 "followups", "commands", "journal")

# Every table that holds a citizen's rows, and how a trigger finds the citizen of a row ({row}: NEW or OLD).
_CITIZEN_OF = {
    "enrollments": "{row}.citizen_id",
    "hours": "{row}.citizen_id",
    "phases": "(SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id)",
    "checklist": "(SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id)",
    "placements": "(SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id)",
    "followups": "(SELECT citizen_id FROM enrollments WHERE id = {row}.enrollment_id)",
    "days": "(SELECT e.citizen_id FROM placements p JOIN enrollments e ON e.id = p.enrollment_id"
            " WHERE p.id = {row}.placement_id)",
}


def _erased_guards(db: Database) -> None:
    """Nothing can be written to a forgotten citizen, whichever command tries: a change to her row, or a
    row added or changed under her, is refused by the store itself. Removing rows stays possible."""
    db.execute(f"CREATE TRIGGER erased_guard_citizens BEFORE UPDATE ON citizens WHEN OLD.erased_at IS NOT NULL "
               f"BEGIN SELECT RAISE(ABORT, '{ERASED_GUARD}'); END")
    for table, citizen in _CITIZEN_OF.items():
        _guard_writes(db, table, citizen)


def _guard_writes(db: Database, table: str, citizen: str) -> None:
    """The store refuses a row added or changed under a forgotten citizen (``citizen``: how a trigger
    finds her from the row, ``{row}`` standing for NEW)."""
    for event in ("INSERT", "UPDATE"):
        erased = f"(SELECT erased_at FROM citizens WHERE id = {citizen.format(row='NEW')}) IS NOT NULL"
        db.execute(f"CREATE TRIGGER erased_guard_{table}_{event.lower()} BEFORE {event} ON {table} "
                   f"WHEN {erased} BEGIN SELECT RAISE(ABORT, '{ERASED_GUARD}'); END")


@migrations()
def m011_trust_db(db: Database) -> None:
    """Personal data that outlived `forget`:

    - ids of personal rows are never reused (AUTOINCREMENT, see ``store.rebuild``);
    - a forgotten citizen cannot be written to again (``_erased_guards``);
    - ``commands.pruned_at``: when `journal prune` removed the earlier values of that command's
      changes (it cannot be undone after that);
    - ``unfinished_erasure``: one row while a committed `forget` has not yet wiped the old bytes from
      the file (a reader in another window, a full disk, a killed process); the next command does it.
    """
    rebuild_with_autoincrement(db, _NEVER_REUSED)
    _erased_guards(db)
    db.execute("ALTER TABLE commands ADD COLUMN pruned_at TEXT")
    db.execute("CREATE TABLE unfinished_erasure (id INTEGER PRIMARY KEY CHECK (id = 1), since TEXT NOT NULL)")


@migrations()
def m012_written_files(db: Database) -> None:
    """The files fleksrun wrote outside the database (backups, exports): where, what kind and when,
    never their content, so that `forget` can name the copies that may still hold a person."""
    db.execute(
        "CREATE TABLE written_files (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, "
        "written_at TEXT NOT NULL)"
    )


@migrations()
def m013_unrecorded_days(db: Database) -> None:
    """``unrecorded_days``: the booked days with nothing recorded on them, defined once for `missing`
    and the agenda. A monthly figure recorded with `hours` for the placement's kind (a payslip, a
    timesheet) settles its month: its planned days ask for no attendance, as the figure replaces
    them in ``monthly_hours``. Whether a day is past is the reader's today."""
    _run_script(
        db,
        """
        CREATE VIEW unrecorded_days AS
            SELECT d.id AS id, d.placement_id AS placement_id, d.date AS date, d.planned_hours AS planned_hours,
                   p.kind AS kind, p.company_id AS company_id, p.enrollment_id AS enrollment_id,
                   e.citizen_id AS citizen_id
            FROM days d
            JOIN placements p ON p.id = d.placement_id
            JOIN enrollments e ON e.id = p.enrollment_id
            WHERE d.status = 'planned'
              AND NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id
                              AND h.month = substr(d.date, 1, 7) AND h.kind = p.kind)
        """
    )


@migrations()
def m014_name_keys(db: Database) -> None:
    """``name_keys``: the search keys of the citizens' and companies' names (``store.name_keys``), so
    `show åse`, `show aase` and `show ÅSE` find Åse through an index. Filled here for the names there
    are; kept up to date by every write of a name from now on."""
    from fleksrun.store.name_keys import NAMED_TABLES, write_keys

    db.execute("CREATE TABLE name_keys (owner TEXT NOT NULL, owner_id INTEGER NOT NULL, key TEXT NOT NULL, "
               "whole INTEGER NOT NULL)")
    # The look-up reads this index alone; the second finds a name's own keys when it is renewed.
    db.execute("CREATE INDEX idx_name_keys_key ON name_keys (owner, key, whole, owner_id)")
    db.execute("CREATE INDEX idx_name_keys_owner ON name_keys (owner, owner_id)")
    for table in NAMED_TABLES:
        write_keys(db.conn, table, db.execute(f"SELECT id, name FROM [{table}]").fetchall())


@migrations()
def m016_match_and_goals(db: Database) -> None:
    """What a company offers and what a citizen wishes, for `match` and `agreement`; and sub-goals.

    - ``company_profiles``: one row per company that has one: its tasks (comma-separated tags), a
      mentor and what they are good at, how many citizens it can take now (``places``; the legal
      capacity in ``domain.law`` stays the upper bound), the weekdays (Monday = 0) and hours a day it
      can offer, what it cannot accommodate (tags, e.g. ``tunge løft``), its address and the
      consultant's notes on it. About a company, not a citizen.
    - ``citizen_wishes``: one row per citizen: the companies she would like to work at (a JSON list
      of names as typed, also of companies not in the file yet), the tasks she wants, her skånehensyn
      as tags (functional needs, never a diagnosis), the wording of them agreed for the written
      agreement, and the weekdays and hours a day she can manage now. Personal: `forget` erases it.
    - ``goals`` (delmål): per enrollment, a sub-goal with its review date and status.

    Ids are never reused and a forgotten citizen cannot be written to (as m011 does for the others).
    """
    _run_script(
        db,
        """
        CREATE TABLE company_profiles (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL UNIQUE REFERENCES companies(id),
            tasks TEXT,
            mentor TEXT,
            mentor_strengths TEXT,
            places INTEGER CHECK (places IS NULL OR places >= 0),
            weekdays TEXT,
            hours_per_day REAL,
            cannot TEXT,
            address TEXT,
            notes TEXT
        );
        CREATE TABLE citizen_wishes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            citizen_id INTEGER NOT NULL UNIQUE REFERENCES citizens(id),
            companies TEXT,
            tasks TEXT,
            needs TEXT,
            agreed_wording TEXT,
            weekdays TEXT,
            hours_per_day REAL
        );
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
            text TEXT NOT NULL,
            review_on TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'partly', 'not_met', 'dropped')),
            set_on TEXT NOT NULL,
            note TEXT
        );
        CREATE INDEX idx_goals_enrollment ON goals (enrollment_id);
        CREATE INDEX idx_goals_review ON goals (review_on) WHERE status = 'open'
        """
    )
    _guard_writes(db, "citizen_wishes", "{row}.citizen_id")
    _guard_writes(db, "goals", _CITIZEN_OF["checklist"])  # under an enrollment, as a checklist row
