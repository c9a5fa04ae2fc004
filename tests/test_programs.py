"""Programmes as data: the five built-ins are faithful to their seeds; broken files say where."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from fleksrun.domain import programs as mod
from fleksrun.domain.programs import (
    OUTCOMES,
    RULE_KINDS,
    Cadence,
    Rule,
    builtin_programs,
    describe_cadence,
    describe_exit,
    describe_rule,
    load_program_file,
    parse_program,
    program_to_dict,
)
from fleksrun.errors import InputError, NotFound
from fleksrun.i18n import has, language, set_language


@pytest.fixture(autouse=True)
def english():
    before = language()
    set_language("en")
    yield
    set_language(before)


def rule_dicts(program_id: str, phase_id: str) -> list[dict]:
    return [r.to_dict() for r in builtin_programs()[program_id].phase(phase_id).rules]


# -- the built-ins ---------------------------------------------------------------------------------

def test_five_builtins_load_with_file_names_as_ids():
    programs = builtin_programs()
    assert set(programs) == {"ovebane", "rampen", "virksomhedscenter", "jobgaranti", "fleksjob_aalborg"}
    files = sorted(
        e.name for e in resources.files("fleksrun.programs").iterdir() if e.name.endswith(".toml")
    )
    assert files == sorted(f"{pid}.toml" for pid in programs)
    assert builtin_programs() is not programs  # a fresh dict: callers may not spoil the cache
    assert builtin_programs()["jobgaranti"] is programs["jobgaranti"]  # parsed once


@pytest.mark.parametrize("program_id", ["ovebane", "rampen", "virksomhedscenter", "jobgaranti", "fleksjob_aalborg"])
def test_builtin_is_complete_in_both_languages(program_id):
    p = builtin_programs()[program_id]
    assert re.fullmatch(r"seed 00[0-4]: .+", p.source)
    for text in (p.name, p.name_da, p.description, p.description_da, p.target_group, p.target_group_da):
        assert text.strip()
    assert p.name != p.name_da
    for phase in p.phases:
        assert phase.name and phase.name_da and phase.name != phase.name_da
        assert phase.description and phase.description_da != phase.description
        assert re.fullmatch(r"[a-z0-9_]+", phase.id)
        for item in phase.checklist:
            assert item.label and item.label_da and item.label != item.label_da
    # the file is kept as read, and reads back to the same programme
    assert parse_program(p.toml_text, "copy.toml") == p
    json.dumps(program_to_dict(p))


def test_ovebane_is_faithful_to_seed_000():
    p = builtin_programs()["ovebane"]
    assert p.phase_ids == ("ovebane", "jobsogning", "eftervaern")
    assert p.aftercare_phase == "eftervaern"
    assert p.targets == {"participants": 180}
    assert (p.period_from, p.period_to) == (dt.date(2021, 3, 1), dt.date(2022, 12, 31))
    track = p.phase("ovebane")
    assert track.sessions.weeks == 13
    assert track.sessions.weekdays == (1, 3)  # Tuesday and Thursday, Monday = 0
    assert track.sessions.weekday_names == ("tue", "thu")
    assert track.sessions.kind == "practice"
    assert track.sessions.days == 26
    assert {"kind": "continuous_practice_weeks", "min": 13} in rule_dicts("ovebane", "ovebane")
    assert rule_dicts("ovebane", "jobsogning") == [{"kind": "outcome", "in": ["flexjob"]}]
    assert p.phase("eftervaern").rules == ()
    assert p.phase("eftervaern").followup.per_citizen  # "efter behov"


def test_rampen_is_faithful_to_seed_001():
    p = builtin_programs()["rampen"]
    assert p.phase_ids == ("opstart", "virksomhedsmoede", "fastholdelse")
    assert p.targets == {"participants": 100}
    assert p.followup.per_citizen is True
    assert p.followup.choices_days == (7, 14, 21)  # every week or every 2-3 weeks
    assert all(ph.followup == p.followup for ph in p.phases)
    assert p.phase("opstart").checklist_ids == ("contact_person", "start_questionnaire", "company_list")
    assert "3–5" in p.phase("opstart").checklist[2].label
    assert p.phase("virksomhedsmoede").checklist_ids == (
        "initial_meeting", "tasks", "qualifications", "accommodations"
    )
    assert p.phase("fastholdelse").checklist_ids == ("end_questionnaire",)
    assert all(rule_dicts("rampen", ph) == [{"kind": "checklist"}] for ph in p.phase_ids)
    assert p.aftercare_phase is None and p.groups == ()


def test_virksomhedscenter_is_faithful_to_seed_002():
    p = builtin_programs()["virksomhedscenter"]
    assert p.phase_ids == ("virksomhedspraktik", "mod_fleksjob")
    practice = p.phase("virksomhedspraktik")
    assert practice.mode == "all"
    assert rule_dicts("virksomhedscenter", "virksomhedspraktik") == [
        {"kind": "checklist"},
        {"kind": "continuous_practice_weeks", "min": 13},
    ]
    assert practice.checklist_ids == ("mentor_match", "clear_goals")
    assert p.targets == {"continuous_practice_13w_pct": 75}


def test_jobgaranti_is_faithful_to_seed_003():
    p = builtin_programs()["jobgaranti"]
    assert p.phase_ids == ("trin1", "trin2", "trin3", "eftervaern")
    trin1, trin2, trin3, after = p.phases
    assert trin1.checklist_ids == ("visitation", "cv", "job_goal", "jobformidler")
    assert (trin1.mode, trin1.on_dropout) == ("all", "end")
    assert rule_dicts("jobgaranti", "trin1") == [{"kind": "checklist"}]
    assert trin2.checklist_ids == ("agreement", "followup_plan", "company_contact")
    for word in ("tasks", "hours", "sub-goals", "health"):
        assert word in trin2.checklist[0].label
    assert trin2.mode == "all" and trin2.rules == (Rule("checklist"),)
    assert trin3.mode == "any"
    assert trin3.on_dropout == "trin2"
    assert trin3.rules == (Rule("ordinary_hours_month", min=30), Rule("outcome", in_=("job", "education")))
    assert p.dropout_phase("trin3") is trin2 and p.dropout_phase("trin1") is None
    c = p.followup  # trin 1 and 2: monthly, intensive at the start, no end before the employment
    assert c.every_days <= 31 and c.until_weeks is None and c.from_phase is None
    assert c.intensive_every_days < c.every_days and c.intensive_weeks
    assert trin1.followup == trin2.followup == c
    # "minimum kontakt ... en gang i måneden i det første år" of the employment: counted from trin 3
    for ph in (trin3, after):
        assert ph.followup.every_days <= 31 and ph.followup.until_weeks == 52
        assert ph.followup.from_phase == "trin3"
        assert ph.followup.intensive_every_days < ph.followup.every_days  # intensive at the start
    # efterværn ("Kommunerne opfordres endvidere til at indarbejde efterværn"): after a job
    assert p.targets == {} and p.aftercare_phase == "eftervaern"
    assert after.rules == () and after.on_dropout == "trin2"


def test_fleksjob_aalborg_is_faithful_to_seed_004():
    p = builtin_programs()["fleksjob_aalborg"]
    assert p.phase_ids == ("tidlig_italesaettelse", "rehabiliteringsmoede", "tidlig_indsats", "opfoelgning")
    assert p.groups == ("newly_approved", "dismissed", "ledighedsydelse", "small_flexjob")
    assert rule_dicts("fleksjob_aalborg", "opfoelgning") == [{"kind": "hours_increase"}]
    t = p.targets
    assert (t["ledighedsydelse_share_pct_baseline"], t["ledighedsydelse_share_pct"]) == (15.3, 13.0)
    assert (t["hours_increase_share_pct_baseline"], t["hours_increase_share_pct"]) == (21.0, 35.0)
    assert (p.period_from, p.period_to) == (dt.date(2017, 1, 1), dt.date(2018, 6, 30))


# -- navigating a programme ------------------------------------------------------------------------

def test_phase_navigation():
    p = builtin_programs()["jobgaranti"]
    assert p.first_phase.id == "trin1"
    assert p.next_phase("trin1").id == "trin2"
    assert p.next_phase("trin3").id == "eftervaern"
    assert p.next_phase("eftervaern") is None
    assert p.phase_index("trin3") == 2
    with pytest.raises(NotFound) as err:
        p.phase("trin9")
    assert err.value.exit_code == 2 and err.value.key == "program.unknown_phase"
    assert "trin9" in str(err.value) and "trin1, trin2, trin3, eftervaern" in str(err.value)
    assert isinstance(err.value, InputError)
    with pytest.raises(InputError) as err:
        p.phase("trin1").item("cvv", program=p.id)
    assert err.value.key == "program.unknown_item" and "visitation, cv, job_goal" in str(err.value)
    assert p.phase("trin1").item("cv").label == "CV made"
    with pytest.raises(InputError) as err:
        p.phase("trin3").item("cv", program=p.id)
    assert err.value.key == "program.no_checklist"


def test_titles_follow_the_language():
    p = builtin_programs()["jobgaranti"]
    assert p.phase("trin1").title("en") == "Step 1: Clarification"
    assert p.phase("trin1").title("da") == "Trin 1: Afklaring"
    assert p.phase("trin1").checklist[1].title("da") == "CV udarbejdet"
    assert p.title("da") == "Uddannelses- og jobgaranti — 3 trin"
    set_language("da")
    assert p.phase("trin2").title() == "Trin 2: På vej mod job"
    set_language("en")
    assert p.phase("trin2").title() == "Step 2: On the way to a job"


# -- the --json contract ---------------------------------------------------------------------------

def test_program_to_dict_contract():
    d = program_to_dict(builtin_programs()["jobgaranti"])
    assert {"id", "name", "name_da", "description", "source", "target_group", "groups", "targets", "phases"} <= set(d)
    phase = d["phases"][2]
    assert {"id", "name", "name_da", "checklist", "checklist_labels", "mode", "rules", "sessions",
            "followup", "on_dropout"} <= set(phase)
    assert phase["rules"] == [{"kind": "ordinary_hours_month", "min": 30}, {"kind": "outcome", "in": ["job", "education"]}]
    assert phase["on_dropout"] == "trin2" and phase["mode"] == "any"
    trin1 = d["phases"][0]
    assert trin1["checklist"] == ["visitation", "cv", "job_goal", "jobformidler"]
    assert trin1["checklist_labels"]["cv"] == {"label": "CV made", "label_da": "CV udarbejdet"}
    assert trin1["rules"] == [{"kind": "checklist"}]
    assert d["followup"]["until_weeks"] is None and d["followup"]["from_phase"] is None
    assert (phase["followup"]["until_weeks"], phase["followup"]["from_phase"]) == (52, "trin3")
    ove = program_to_dict(builtin_programs()["ovebane"])
    assert ove["phases"][0]["sessions"] == {"weeks": 13, "weekdays": ["tue", "thu"], "hours": None, "kind": "practice"}
    assert ove["period"] == {"from": "2021-03-01", "to": "2022-12-31"}
    assert ove["phases"][2]["aftercare"] is True
    for p in builtin_programs().values():
        text = json.dumps(program_to_dict(p))
        assert re.findall(r'"([A-Za-z_]+)":', text) == [k for k in re.findall(r'"([A-Za-z_]+)":', text) if k == k.lower()]


# -- describing rules and cadences -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (Rule("checklist"), "every checklist item ticked"),
        (Rule("ordinary_hours_month", min=30), "at least 30 ordinary hours in one calendar month since the phase began"),
        (Rule("ordinary_hours_month", min=28.5), "at least 28.5 ordinary hours in one calendar month since the phase began"),
        (Rule("continuous_practice_weeks", min=13), "13 weeks of continuous practice (holidays, closing days and a sick week keep it going)"),
        (Rule("continuous_practice_weeks", min=1), "1 week with attended practice"),
        (Rule("practice_days", min=26), "at least 26 attended practice days in the phase"),
        (Rule("weeks_in_phase", min=13), "at least 13 weeks in the phase"),
        (Rule("weeks_in_phase", min=1), "at least 1 week in the phase"),
        (Rule("hours_increase"), "effective weekly hours above those at the start of the phase"),
        (Rule("hours_increase", min=2), "effective weekly hours at least 2 above those at the start of the phase"),
        (Rule("outcome", in_=("job", "education")), "the outcome is a job or education"),
        (Rule("outcome", in_=("flexjob",)), "the outcome is a flex job"),
        (Rule("outcome", in_=("flexjob", "job", "education")), "the outcome is a flex job, a job or education"),
    ],
)
def test_describe_rule(rule, text):
    assert describe_rule(rule) == text


def test_every_rule_kind_and_outcome_is_described():
    for kind in RULE_KINDS:
        rule = Rule(kind, min=3 if kind not in ("checklist", "outcome") else None,
                    in_=OUTCOMES if kind == "outcome" else ())
        assert describe_rule(rule)
    assert describe_exit(builtin_programs()["jobgaranti"].phase("trin3")).startswith("any of: at least 30")
    assert describe_exit(builtin_programs()["ovebane"].phase("eftervaern")).startswith("no exit rule")


def test_describe_cadence():
    jg = builtin_programs()["jobgaranti"]
    assert describe_cadence(jg.followup) == "every 2 weeks in the first 4 weeks, then every 30 days"
    assert describe_cadence(jg.phase("trin3").followup) == (
        "every 2 weeks in the first 4 weeks, then every 30 days, for the first 52 weeks from the start of phase trin3"
    )
    assert describe_cadence(Cadence(30, until_weeks=52)) == "every 30 days, for the first 52 weeks of the enrollment"
    assert describe_cadence(Cadence(30, 14, 4, from_phase="trin3")) == (
        "every 2 weeks in the first 4 weeks, then every 30 days (weeks counted from the start of phase trin3)")
    assert describe_cadence(builtin_programs()["rampen"].followup) == (
        "chosen per citizen: every week, every 2 weeks or every 3 weeks (default every 2 weeks)"
    )
    assert describe_cadence(Cadence(30)) == "every 30 days"
    assert describe_cadence(Cadence(1)) == "every day"


def test_next_due():
    jg = builtin_programs()["jobgaranti"].phase("trin3").followup
    start = dt.date(2026, 1, 5)  # here: the day trin 3 began
    assert jg.next_due(start, start) == dt.date(2026, 1, 19)  # intensive at the start
    assert jg.next_due(dt.date(2026, 3, 2), start) == dt.date(2026, 4, 1)  # then monthly
    assert jg.next_due(dt.date(2026, 12, 20), start) is None  # past the first year
    assert jg.next_due(dt.date(2026, 3, 2), start, chosen_days=7) == dt.date(2026, 3, 9)
    assert Cadence(14).next_due(dt.date(2030, 1, 1), start) == dt.date(2030, 1, 15)


# -- broken files ------------------------------------------------------------------------------------

GOOD = """\
id = "mine"
name = "My programme"
description = "A small programme of my own."
source = "team meeting 2026-03-02"
target_group = "Anyone"

[followup]
every_days = 30

[[phases]]
id = "first"
name = "First"
checklist = [ { id = "cv", label = "CV made" } ]
rules = [ { kind = "checklist" } ]

[[phases]]
id = "trin3"
name = "Last"
on_dropout = "first"
rules = [ { kind = "ordinary_hours_month", min = 30 } ]
[phases.sessions]
weeks = 13
weekdays = ["tue", "thu"]
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def test_good_file_parses():
    p = parse_program(GOOD, "my.toml")
    assert p.phase_ids == ("first", "trin3")
    assert p.name_da == "My programme"  # Danish texts fall back to English
    assert p.phase("first").checklist[0].label_da == "CV made"
    assert p.phase("trin3").followup == Cadence(30)
    assert p.phase("trin3").sessions.hours is None


def test_minimal_file_parses():
    p = parse_program(
        'id = "mine"\nname = "Mine"\n[followup]\nevery_days = 30\n'
        '[[phases]]\nid = "one"\nname = "One"\nrules = [{ kind = "weeks_in_phase", min = 4 }]\n'
        '[[phases]]\nid = "two"\nname = "Two"\n',
        "mine.toml",
    )
    assert (p.description, p.source, p.target_group, p.groups, p.targets) == ("", "", "", (), {})
    assert p.phase("one").mode == "all" and p.phase("one").on_dropout == "end"
    assert p.phase("two").rules == () and p.next_phase("one").id == "two"


BROKEN = [
    # (case, text, phase, key, words in the problem)
    ("syntax error", broken("every_days = 30", "every_days = "), "-", "-", "TOML syntax error at line 8, column 14: invalid value"),
    ("unknown key", broken('on_dropout = "first"', 'on_dropuot = "first"'), "trin3", "on_dropuot", 'perhaps a typo for "on_dropout"'),
    ("unknown top key", broken('target_group = "Anyone"', 'target_group = "Anyone"\ntarget_grupe = "x"'), "-", "target_grupe", "perhaps a typo for \"target_group\""),
    ("unknown rule kind", broken('kind = "ordinary_hours_month"', 'kind = "ordinary_hours"'), "trin3", "rules[0].kind", "ordinary_hours_month"),
    ("min missing", broken(', min = 30 }', ' }'), "trin3", "rules[0].min", "is required"),
    ("min negative", broken("min = 30", "min = -5"), "trin3", "rules[0].min", "must be a number above 0"),
    ("min not a number", broken("min = 30", 'min = "30"'), "trin3", "rules[0].min", "must be a number above 0"),
    ("weeks not whole", broken('{ kind = "ordinary_hours_month", min = 30 }', '{ kind = "continuous_practice_weeks", min = 13.5 }'), "trin3", "rules[0].min", "whole number"),
    ("param of another kind", broken('{ kind = "checklist" }', '{ kind = "checklist", min = 2 }'), "first", "rules[0].min", "takes none"),
    ("bad outcome", broken('{ kind = "checklist" }', '{ kind = "outcome", in = ["job", "pension"] }'), "first", "rules[0].in[1]", '"pension" is not an outcome'),
    ("checklist rule without items", broken('checklist = [ { id = "cv", label = "CV made" } ]\n', ""), "first", "rules[0].kind", "checklist items"),
    ("on_dropout to missing phase", broken('on_dropout = "first"', 'on_dropout = "trin9"'), "trin3", "on_dropout", '"trin9" is not a phase'),
    ("duplicate phase id", broken('id = "trin3"', 'id = "first"'), "first", "id", '"first" is used twice'),
    ("duplicate item id", broken('{ id = "cv", label = "CV made" } ]', '{ id = "cv", label = "CV made" }, { id = "cv", label = "Again" } ]'), "first", "checklist[1].id", "twice"),
    ("bad weekday", broken('weekdays = ["tue", "thu"]', 'weekdays = ["tue", "thx"]'), "trin3", "sessions.weekdays[1]", '"thx" is not a weekday'),
    ("bad session kind", broken("weekdays = [", 'kind = "paid"\nweekdays = ['), "trin3", "sessions.kind", '"paid" is not a session kind'),
    ("bad mode", broken('name = "First"', 'name = "First"\nmode = "some"'), "first", "mode", 'must be "all" or "any"'),
    ("missing name", broken('name = "Last"\n', ""), "trin3", "name", "is required"),
    ("missing phase id", broken('id = "trin3"\n', ""), "-", "phases[1].id", "is required"),
    ("bad phase id", broken('id = "trin3"', 'id = "Trin 3"'), "-", "phases[1].id", "lower-case"),
    ("missing followup", broken("[followup]\nevery_days = 30\n", ""), "-", "followup", "is required"),
    ("zero cadence", broken("every_days = 30", "every_days = 0"), "-", "followup.every_days", "whole number above 0"),
    ("bad phase cadence", broken('weekdays = ["tue", "thu"]\n', 'weekdays = ["tue", "thu"]\n[phases.followup]\nevery_day = 7\n'), "trin3", "followup.every_day", 'perhaps a typo for "every_days"'),
    ("choices without per_citizen", broken("every_days = 30", "every_days = 30\nchoices_days = [7, 14]"), "-", "followup.choices_days", "per_citizen"),
    ("half an intensive cadence", broken("every_days = 30", "every_days = 30\nintensive_every_days = 7"), "-", "followup.intensive_weeks", "required together"),
    ("no rules in a middle phase", broken('rules = [ { kind = "checklist" } ]\n', ""), "first", "rules", "no exit rules"),
    ("aftercare to missing phase", broken('target_group = "Anyone"', 'target_group = "Anyone"\naftercare_phase = "after"'), "-", "aftercare_phase", '"after" is not a phase'),
    ("aftercare not last", broken('target_group = "Anyone"', 'target_group = "Anyone"\naftercare_phase = "first"'), "-", "aftercare_phase", "last phase"),
    ("baseline without target", broken("[followup]", "[targets]\nshare_pct_baseline = 15.3\n\n[followup]"), "-", "targets.share_pct_baseline", "no target share_pct"),
    ("percentage over 100", broken("[followup]", "[targets]\nshare_pct = 130\n\n[followup]"), "-", "targets.share_pct", "at most 100"),
    ("phases as a table", GOOD.split("[[phases]]")[0] + '[phases]\nid = "x"\n', "-", "phases", "list of tables"),
    ("hours too many", broken("weeks = 13\n", "weeks = 13\nhours = 25\n"), "trin3", "sessions.hours", "at most 24"),
    ("cadence from a missing phase", broken("every_days = 30", 'every_days = 30\nfrom_phase = "trin9"'), "-", "followup.from_phase", '"trin9" is not a phase'),
    ("phase cadence from a missing phase", broken('weekdays = ["tue", "thu"]\n', 'weekdays = ["tue", "thu"]\n[phases.followup]\nevery_days = 7\nfrom_phase = "none"\n'), "trin3", "followup.from_phase", '"none" is not a phase'),
    ("from_phase not an id", broken("every_days = 30", "every_days = 30\nfrom_phase = 3"), "-", "followup.from_phase", "text in quotes"),
]
# Numbers a new file may not hold; a definition stored before the limit is read without it.
TOO_LARGE = [
    ("weeks past the calendar", broken('{ kind = "ordinary_hours_month", min = 30 }', '{ kind = "weeks_in_phase", min = 600000 }'), "trin3", "rules[0].min"),
    ("monthly hours absurd", broken("min = 30", "min = 1e9"), "trin3", "rules[0].min"),
    ("cadence absurd", broken("every_days = 30", "every_days = 99999999"), "-", "followup.every_days"),
    ("session weeks absurd", broken("weeks = 13\n", "weeks = 20000\n"), "trin3", "sessions.weeks"),
]


def test_numbers_with_their_own_limit_keep_it_in_a_new_file(tmp_path):
    path = tmp_path / "my.toml"
    path.write_text(broken("weeks = 13\n", "weeks = 13\nhours = 20000\n"), encoding="utf-8")
    with pytest.raises(InputError, match="at most 24"):
        load_program_file(path)
    path.write_text(broken("[followup]", "[targets]\nparticipants = 12000\n\n[followup]"), encoding="utf-8")
    assert load_program_file(path).targets["participants"] == 12000  # a count of people, not a calendar number


@pytest.mark.parametrize(("case", "text", "phase", "key", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_names_file_phase_and_key(case, text, phase, key, words):
    with pytest.raises(InputError) as err:
        parse_program(text, "my.toml")
    e = err.value
    assert e.exit_code == 2
    assert e.key == "program.invalid"
    assert (e.params["file"], e.params["phase"], e.params["key"]) == ("my.toml", phase, key)
    message = str(e)
    assert message.startswith(f"Programme file my.toml, phase {phase}, key {key}: ")
    assert message.endswith(".")
    assert words in message


@pytest.mark.parametrize(("case", "text", "phase", "key"), TOO_LARGE, ids=[b[0] for b in TOO_LARGE])
def test_a_new_file_with_an_absurd_number_is_refused_but_a_stored_one_is_read(tmp_path, case, text, phase, key):
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_program_file(path)
    assert (err.value.params["phase"], err.value.params["key"]) == (phase, key)
    assert str(err.value).endswith(f"key {key}: must be at most 10000.")
    assert parse_program(text, "my.toml (stored)").id == "mine"


def test_exact_message():
    with pytest.raises(InputError) as err:
        parse_program(broken("min = 30", "min = 0"), "my.toml")
    assert str(err.value) == "Programme file my.toml, phase trin3, key rules[0].min: must be a number above 0."


def test_every_problem_has_a_message():
    # every module of the package: the checks are spread over parse.py, subtables.py and check.py
    source = "".join(f.read_text(encoding="utf-8") for f in Path(mod.__file__).parent.glob("*.py"))
    problems = set(re.findall(r'fail\(\s*[^,]+,\s*"([a-z_]+)"', source))
    problems |= {"bad_kind_hint", "bad_kind", "unknown_key"}
    assert len(problems) > 30
    missing = sorted(p for p in problems if not has(f"program.problem.{p}"))
    assert missing == []


def test_load_program_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))  # Notepad's byte-order mark
    p = load_program_file(path)
    assert p.id == "mine" and not p.toml_text.startswith("\ufeff")

    with pytest.raises(InputError) as err:
        load_program_file(tmp_path / "nope.toml")
    assert err.value.key == "program.file_missing" and "nope.toml" in str(err.value)

    latin = tmp_path / "latin.toml"
    latin.write_bytes(GOOD.replace("My programme", "Øvebane").encode("latin-1"))
    with pytest.raises(InputError) as err:
        load_program_file(latin)
    assert "latin.toml" in str(err.value) and "UTF-8" in str(err.value)

    bad = tmp_path / "bad.toml"
    bad.write_text(broken("min = 30", "min = -1"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_program_file(bad)
    assert f"Programme file {bad}, phase trin3, key rules[0].min" in str(err.value)


def test_danish_weekday_names_and_dates_as_text():
    text = broken('weekdays = ["tue", "thu"]', 'weekdays = ["Tirsdag", "tor"]')
    text = text.replace('target_group = "Anyone"', 'target_group = "Anyone"\nperiod_from = "2026-01-01"')
    p = parse_program(text, "my.toml")
    assert p.phase("trin3").sessions.weekdays == (1, 3)
    assert p.period_from == dt.date(2026, 1, 1)


def test_a_cadence_may_count_its_weeks_from_a_phase():
    text = broken('weekdays = ["tue", "thu"]\n', 'weekdays = ["tue", "thu"]\n[phases.followup]\nevery_days = 30\n'
                  'until_weeks = 52\nfrom_phase = "trin3"\n')
    p = parse_program(text, "my.toml")
    assert p.followup.from_phase is None
    assert p.phase("trin3").followup == Cadence(30, until_weeks=52, from_phase="trin3")
    # the weeks count from the day given: here the day the phase began, not the enrollment's start
    began = dt.date(2026, 9, 1)
    assert p.phase("trin3").followup.next_due(dt.date(2027, 7, 30), began) == dt.date(2027, 8, 29)
    assert p.phase("trin3").followup.next_due(dt.date(2027, 8, 10), began) is None  # past 52 weeks


def test_rampen_end_questionnaire_may_be_ticked_in_any_phase():
    p = builtin_programs()["rampen"]
    phase, item = p.anytime_item("end_questionnaire")
    assert (phase.id, item.anytime) == ("fastholdelse", True)
    assert p.anytime_item("start_questionnaire") is None  # the others belong to their phase
    d = program_to_dict(p)
    assert [ph["checklist_anytime"] for ph in d["phases"]] == [[], [], ["end_questionnaire"]]
    with pytest.raises(InputError) as err:
        parse_program(broken('{ id = "cv", label = "CV made" }', '{ id = "cv", label = "CV made", anytime = "yes" }'),
                      "my.toml")
    assert err.value.params["key"] == "checklist[0].anytime"
