"""The whole demo in Danish names every phase, checklist item, outcome and rule by its Danish name:
no internal code in the plain output (the codes stay in --json)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Cli
from fleksrun.domain.programs import builtin_programs
from fleksrun.domain.programs.model import OUTCOMES, RULE_KINDS


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\wæøå]+", text.casefold()))


def internal_codes() -> set[str]:
    """The ids a consultant should not meet in a Danish sentence: phase and checklist item ids, rule
    kinds and outcome codes. Left out: the programme ids (what --program takes), and an id that is a
    word of its own Danish name ("jobformidler" in "Personlig jobformidler tilknyttet")."""
    from fleksrun.i18n import set_language, t

    set_language("da")
    codes: set[str] = set()
    for program in builtin_programs().values():
        for phase in program.phases:
            if phase.id not in _words(phase.title("da")):
                codes.add(phase.id)
            codes |= {i.id for i in phase.checklist if i.id not in _words(i.title("da"))}
    codes |= {kind for kind in RULE_KINDS if kind not in _words(t(f"rules.kind.{kind}"))}
    codes |= {code for code in OUTCOMES if code not in _words(t(f"label.outcome.{code}"))}
    set_language("en")
    return codes - set(builtin_programs())


CODES = internal_codes()


def codes_in(text: str) -> list[str]:
    return sorted({m for code in CODES for m in re.findall(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(Path(tmp_path_factory.mktemp("danish")) / "demo.db", lang="da")
    cli("demo")
    return cli


def test_the_check_knows_the_codes_it_looks_for():
    assert {"tidlig_italesaettelse", "rehabiliteringsmoede", "early_framing", "dropout", "education",
            "jobsogning", "eftervaern", "continuous_practice_weeks"} <= CODES
    assert "jobformidler" not in CODES and "job" not in CODES  # Danish words of their own names
    assert codes_in("rykket fra tidlig_italesaettelse til x; early_framing er afkrydset") == [
        "early_framing", "tidlig_italesaettelse"]


LISTINGS = [("citizens",), ("citizens", "--all"), ("due",), ("due", "--days", "30"), ("check",), ("report",),
            ("history", "-n", "100"), ("programs",), ("missing",), ("company", "list"), ("report", "--chart", "tragt")]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_listings_in_danish_name_no_code(demo, args):
    assert codes_in(demo(*args).stdout) == []


def test_every_card_in_danish_names_no_code(demo):
    for item in demo.json("citizens", "--all")["items"]:
        assert codes_in(demo("show", str(item["id"])).stdout) == [], item["name"]


@pytest.mark.parametrize("program", sorted(builtin_programs()))
def test_program_show_gives_ids_only_after_their_names(demo, program):
    """`program show` is where the ids to type are given: each only in brackets after its name."""
    text = demo("program", "show", program).stdout
    assert codes_in(re.sub(r"\((\w+)\)", "", text)) == []


def test_what_mark_advance_and_end_say_in_danish_names_no_code(demo):
    said = [demo("enroll", "Åse Østergaard", "--program", "fleksjob_aalborg", "--start", "2026-03-02").stdout]
    said.append(demo("mark", "Åse", "early_framing", "--on", "2026-03-10").stdout)
    said.append(demo("mark", "Åse", "early_framing", "--undo").stdout)
    said.append(demo("advance", "Åse", code=3).stderr)  # the checklist is not done
    said.append(demo("advance", "Åse", "--force", "--reason", "aftalt med teamet").stdout)
    said.append(demo("check", "Åse").stdout)
    said.append(demo("end", "Åse", "--outcome", "frafald").stdout)
    said.append(demo("show", "Åse").stdout)
    said.append(demo("enroll", "Aase Bøgh", "--program", "ovebane", "--start", "2026-03-02").stdout)
    said.append(demo("end", "Aase Bøgh", "--outcome", "uddannelse").stdout)
    text = "\n".join(said)
    assert codes_in(text) == [], text
    assert "fra Fase 1: Tidlig italesættelse til Fase 2: Klar forventningsafstemning" in text
    assert "frafald" in text and "Fleksjob italesat med borgeren inden rehabiliteringsmødet" in text


def test_the_danish_words_a_consultant_uses(demo):
    due = demo("due").stdout
    assert "Forfaldne (" in due and "Over tid" not in due and "overskredet med" in due
    assert "kriterierne for at gå videre" in due or "kriterierne for at afslutte" in due
    assert "udgangsregl" not in (demo("check").stdout + demo("--lang", "da", "check", "--help").stdout).lower()
    assert "Kriterier for at gå videre (" in demo("check").stdout


@pytest.mark.parametrize(("lang", "one", "many"), [
    ("en", "… and 1 more row:", "… and 2 more rows:"), ("da", "… og 1 række mere:", "… og 2 rækker mere:")])
def test_a_count_of_one_is_singular(tmp_path, lang, one, many):
    cli = Cli(tmp_path / "fleksrun.db", lang=lang)
    for name in ("Anna", "Bo", "Carl"):
        cli("enroll", name, "--program", "ovebane")
    assert one in cli("citizens", "--limit", "2").stdout
    assert many in cli("citizens", "--limit", "1").stdout


def test_history_names_phases_items_and_outcomes_not_their_codes(tmp_path):
    from conftest import Cli

    cli = Cli(tmp_path / "h.db", lang="da")
    cli("enroll", "Ida Holm", "--program", "fleksjob_aalborg")
    cli("mark", "Ida", "early_framing")
    cli("advance", "Ida", "--force", "--reason", "prøve")
    cli("end", "Ida", "--outcome", "frafald")
    page = cli("history").stdout
    assert "Fase 1: Tidlig italesættelse" in page and "frafald" in page
    for code in ("tidlig_italesaettelse", "rehabiliteringsmoede", "early_framing", "dropout"):
        assert code not in page, code
    assert "tidlig_italesaettelse" in cli("history", "--json").stdout  # codes stay under --json
