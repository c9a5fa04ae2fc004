"""Programmes are data: one TOML file per programme, read and checked here.

Pure code: no database, no terminal, no clock; the standard library's ``tomllib`` only. The built-in
programmes (one per seed document) ship in ``fleksrun/programs/*.toml``; a consultant can add her own
file with ``fleksrun program add FILE``, which goes through the same :func:`parse_program`.

The file format
===============

A programme file is UTF-8 TOML (a byte-order mark is tolerated). Ids are lower-case ASCII
(``[a-z0-9_]+``). Texts ending in ``_da`` are the Danish versions; each falls back to the English
text when it is left out. Only ``id``, ``name``, ``[followup]`` and ``[[phases]]`` (each with ``id``
and ``name``) are required. Any key not listed here is an error, so a typo never passes silently::

    id = "jobgaranti"                    # required
    name = "Education and job guarantee — 3 steps"            # required
    name_da = "Uddannelses- og jobgaranti — 3 trin"
    description = "One or two sentences."
    description_da = "…"
    source = "seed 003: Indsatsmodel i …"      # where the model comes from (the built-ins all say)
    target_group = "Who the programme is for."
    target_group_da = "…"
    groups = ["newly_approved", "dismissed"]   # optional: the allowed values of a citizen's --group
    aftercare_phase = "eftervaern"   # optional: `end --outcome job|flexjob` moves the citizen into this
                                     # phase instead of ending; it must be the last phase
    period_from = 2021-03-01         # optional: the project period (TOML dates)
    period_to = 2022-12-31

    [followup]                       # required: the programme's follow-up cadence
    every_days = 30                  # required: next contact due this many days after the last one
    intensive_every_days = 14        # optional, together with intensive_weeks: a tighter cadence
    intensive_weeks = 4              #   for contacts in the first weeks of the enrollment
    until_weeks = 52                 # optional: no due date beyond this many weeks of the enrollment
    from_phase = "trin3"             # optional: intensive_weeks and until_weeks count from the day
                                     #   the enrollment last entered this phase instead of its start
                                     #   (see "Counting a cadence from a phase" below)
    per_citizen = false              # true: the consultant picks a cadence per citizen (Rampen);
                                     #   every_days is then the default until she does
    choices_days = [7, 14, 21]       # optional, only with per_citizen = true: the usual choices

    [targets]                        # optional: the KPI targets the seed states, numbers >= 0
    participants = 180               # a name ending in _pct is a percentage (at most 100)
    ledighedsydelse_share_pct = 13.0
    ledighedsydelse_share_pct_baseline = 15.3   # NAME_baseline: the starting value of target NAME

    [[periods]]                      # optional: parts of the project period with their own targets
    name = "2021"                    # optional: a label for the report
    from = 2021-03-01                # required, with to: inside period_from to period_to, no overlap
    to = 2021-12-31
    [periods.targets]                # as [targets]; a report of exactly this part uses these over
    participants = 80                #   [targets], any other report the [targets] of the whole

    [[phases]]                       # at least one; in order
    id = "trin3"                     # required, unique
    name = "Step 3: Company placement"                         # required
    name_da = "Trin 3: Virksomhedsforløb"
    description = "…"
    description_da = "…"
    mode = "any"                     # all | any: how the exit rules combine (default all)
    on_dropout = "trin2"             # a phase id, or "end" (the default)
    checklist = [ { id = "agreement", label = "Agreement signed", label_da = "Aftale indgået" } ]
    rules = [
      { kind = "ordinary_hours_month", min = 30 },
      { kind = "outcome", in = ["job", "education"] },
    ]
    [phases.sessions]                # optional: the default session pattern for `schedule`
    weeks = 13                       # required
    weekdays = ["tue", "thu"]        # required: mon tue wed thu fri sat sun (Danish names work too)
    hours = 4                        # optional: hours a day, above 0 and at most 24
    kind = "practice"                # practice | ordinary | flexjob | subsidised (default practice)
    [phases.followup]                # optional: this phase's own cadence, replacing the programme's
    every_days = 14                  #   (same keys as [followup])

Counting a cadence from a phase: a cadence with ``from_phase`` counts its weeks from the start of
the enrollment's latest stay in that phase (a new stay after a dropout starts them again); an
enrollment never in it counts from the start of its current phase. Jobgaranti's monthly contact
"in the first year" of the employment is ``[phases.followup]`` of trin 3 and of after-care with
``until_weeks = 52`` and ``from_phase = "trin3"``: a citizen who entered trin 3 after eight months
is followed for a year from that day, in after-care too. A contact whose next due date would fall
past ``until_weeks`` leaves nothing due (the follow-up stops); a contact already overdue stays
listed until it is recorded.

Checklist items may also be written as ``[[phases.checklist]]`` tables with ``id``, ``label`` and an
optional ``label_da``; rules as ``[[phases.rules]]``. An item with ``anytime = true`` (Rampen's end
questionnaire) may be ticked with ``mark`` in whichever phase the citizen is, and after ``end``; it is
kept under the phase that lists it. Every tick belongs to a stay in a phase: back in a phase after a
dropout, a tick is a new one for the new stay, and the first stay keeps its own.

Exit rules (a closed vocabulary: validated here, evaluated by pure code elsewhere, never eval'd):

=============================  =============================================================
``checklist``                  every checklist item of the phase ticked (the phase needs items)
``ordinary_hours_month`` min   at least ``min`` (> 0) ordinary hours in one calendar month since
                               the phase began
``continuous_practice_weeks``  ``min`` (whole, > 0) consecutive weeks with attended practice
``practice_days`` min          at least ``min`` (whole, > 0) attended practice days in the phase
``weeks_in_phase`` min         at least ``min`` (whole, > 0) weeks since the phase began
``hours_increase`` [min]       effective weekly hours above those at the phase start; with ``min``
                               (>= 0) the increase must also be at least ``min`` hours a week
``outcome`` in                 the enrollment's outcome is one of ``in`` (flexjob, job, education,
                               dropout, rehab, moved, other)
=============================  =============================================================

A phase with no rules is allowed only as the last phase or the aftercare phase: it lasts until the
enrollment ends. Every problem in a file raises ``InputError("program.invalid", file=…, phase=…,
key=…, problem=…)`` (exit 2), e.g. "Programme file my.toml, phase trin3, key rules[0].min: must be a
number above 0." ``phase`` is "-" for keys outside a phase; ``key`` is dotted, relative to the phase.
A new file (``load_program_file``) may hold no number above 10,000; stored definitions are read as
they were kept.
"""

from __future__ import annotations

# The package is split by seam: model (the dataclasses), check and parse and subtables (reading a
# file), builtins (the shipped programmes), describe (JSON and words). Import from here.
from fleksrun.domain.programs.builtins import (
    BUILTIN_FILES,
    builtin_program,
    builtin_programs,
    builtin_text,
)
from fleksrun.domain.programs.describe import (
    cadence_to_dict,
    describe_cadence,
    describe_exit,
    describe_rule,
    program_to_dict,
)
from fleksrun.domain.programs.model import (
    DROPOUT_END,
    MODES,
    OUTCOMES,
    RULE_KINDS,
    SESSION_KINDS,
    WEEKDAY_NAMES,
    Cadence,
    ChecklistItem,
    Period,
    Phase,
    Program,
    Rule,
    Sessions,
)
from fleksrun.domain.programs.parse import load_program_file, parse_program

__all__ = [
    "BUILTIN_FILES",
    "DROPOUT_END",
    "builtin_program",
    "builtin_text",
    "MODES",
    "OUTCOMES",
    "RULE_KINDS",
    "SESSION_KINDS",
    "WEEKDAY_NAMES",
    "Cadence",
    "ChecklistItem",
    "Period",
    "Phase",
    "Program",
    "Rule",
    "Sessions",
    "builtin_programs",
    "cadence_to_dict",
    "describe_cadence",
    "describe_exit",
    "describe_rule",
    "load_program_file",
    "parse_program",
    "program_to_dict",
]
