"""`check --json` and `citizens --json` are written while they are read: the same document as when
every item was worked out first, and one that fails half-way still ends as one valid JSON document."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conftest import TODAY, Cli
from fleksrun.errors import NotFound

PEOPLE = (("Ole Berg", "rampen", "2026-02-01"), ("anna Holm", "jobgaranti", "2026-01-05"),
          ("Anna Holm", "ovebane", "2026-03-02"), ("Bo Ek", "virksomhedscenter", "2026-03-09"))
CITIZEN_KEYS = ("id", "name", "program", "phase", "start", "status", "enrollment_id", "end", "outcome",
                "days_in_phase", "next_day", "next_followup")


@pytest.fixture
def caseload(cli: Cli) -> Cli:
    for name, program, start in PEOPLE:
        cli("enroll", name, "--program", program, "--start", start)
    cli("mark", "Ole", "contact_person")
    cli("followup", "Bo", "--on", "2026-03-20")
    cli("end", "3", "--outcome", "moved", "--program", "ovebane", "--on", "2026-03-25")
    return cli


def all_at_once(head: dict[str, Any], items: list[Any]) -> str:
    """The document as it was written before it streamed: every item first, one to a line."""
    encoded = [json.dumps(item, ensure_ascii=False, default=str) for item in items]
    opening = json.dumps({**head, "items": []}, ensure_ascii=False)
    body = ",\n  ".join(encoded)
    return opening[:-2] + ("\n  " + body + "\n" if encoded else "") + "]}\n"


def service_items(cli: Cli, which: str, **options: Any) -> list[dict[str, Any]]:
    from fleksrun.store.db import open_db

    db = open_db(cli.db)
    try:
        today = dt.date.fromisoformat(cli.today)
        if which == "check":
            from fleksrun.services.phases import check

            return list(check(db, today))
        from fleksrun.services.enrollment import list_citizens

        return [{k: r[k] for k in CITIZEN_KEYS} for r in list_citizens(db, today, **options)]
    finally:
        db.close()


@pytest.mark.parametrize("args, which, options", [
    (("check",), "check", {}),
    (("citizens",), "citizens", {}),
    (("citizens", "--all"), "citizens", {"include_all": True}),
])
def test_the_streamed_document_is_the_one_written_all_at_once(caseload, args, which, options):
    result = caseload(*args, "--json")
    expected = all_at_once({"today": TODAY}, service_items(caseload, which, **options))
    assert result.stdout == expected
    doc = json.loads(result.stdout)
    assert doc == json.loads(expected) and list(doc) == ["today", "items"]
    assert len(doc["items"]) == (4 if options else 3)
    assert len(result.stdout.splitlines()) == len(doc["items"]) + 2  # one item to a line


def test_the_streamed_items_are_what_the_contract_says(caseload):
    doc = caseload.json("citizens", "--all")
    assert [(i["name"], i["program"], i["status"]) for i in doc["items"]] == [
        ("anna Holm", "jobgaranti", "active"), ("Anna Holm", "ovebane", "ended"),
        ("Bo Ek", "virksomhedscenter", "active"), ("Ole Berg", "rampen", "active")]
    assert doc["items"][1] == {
        "id": 3, "name": "Anna Holm", "program": "ovebane", "phase": None, "start": "2026-03-02", "status": "ended",
        "enrollment_id": 3, "end": "2026-03-25", "outcome": "moved", "days_in_phase": None, "next_day": None,
        "next_followup": None}
    assert doc["items"][2]["next_followup"] is not None and doc["items"][2]["days_in_phase"] == 21
    check = caseload.json("check")
    assert [i["citizen"] for i in check["items"]] == ["anna Holm", "Bo Ek", "Ole Berg"]


def test_an_empty_listing_is_still_the_same_document(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    for command in ("check", "citizens"):
        result = cli(command, "--json")
        assert result.stdout == '{"today": "2026-03-30", "items": []}\n'


# -- an error half-way ------------------------------------------------------------------------------------

def failing_after(count: int, error: BaseException) -> Callable[[Callable[..., Any]], Callable[..., Iterator[Any]]]:
    """Wrap a listing service so that its items stop with ``error`` after ``count`` of them."""
    def wrap(real: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
        def service(*args: Any, **kwargs: Any) -> Iterator[Any]:
            items = iter(real(*args, **kwargs))  # a wrong citizen is still refused before any item

            def stream() -> Iterator[Any]:
                for _ in range(count):
                    yield next(items)
                raise error

            return stream()
        return service
    return wrap


def break_service(monkeypatch, which: str, count: int, error: BaseException) -> None:
    import fleksrun.services.enrollment as enrollment
    import fleksrun.services.phases as phases

    module, name = (phases, "check") if which == "check" else (enrollment, "list_citizens")
    monkeypatch.setattr(module, name, failing_after(count, error)(getattr(module, name)))


@pytest.mark.parametrize("which", ["check", "citizens"])
def test_an_error_half_way_ends_the_document_with_an_error_member(caseload, monkeypatch, which):
    whole = json.loads(caseload(which, "--json").stdout)
    break_service(monkeypatch, which, 2, NotFound("phase.no_enrollment", id=99))
    result = caseload(which, "--json", code=2)
    doc = json.loads(result.stdout)  # one valid document: a second one after it would not parse
    assert list(doc) == ["today", "items", "error"]
    assert doc["items"] == whole["items"][:2]
    assert doc["error"] == {"code": "not_found", "message": NotFound("phase.no_enrollment", id=99).message()}
    assert result.stdout.endswith("}\n") and result.stdout.count('"error"') == 1
    assert result.stderr == ""


@pytest.mark.parametrize("error, code, exit_code", [
    (RuntimeError("a bug"), "internal", 1),
    (sqlite3.DatabaseError("file is not a database"), "store", 1),
    (sqlite3.OperationalError("database is locked"), "store", 1),
    (OverflowError("too big"), "bad_input", 2),
])
def test_the_error_member_has_the_boundarys_code_and_exit(caseload, monkeypatch, error, code, exit_code):
    break_service(monkeypatch, "citizens", 1, error)
    result = caseload("citizens", "--json", code=exit_code)
    doc = json.loads(result.stdout)
    assert len(doc["items"]) == 1
    assert doc["error"]["code"] == code and doc["error"]["message"]
    if isinstance(error, sqlite3.OperationalError):
        assert "busy in another window" in doc["error"]["message"]
    # the same words the boundary gives the same error when nothing was written yet
    break_service(monkeypatch, "check", 0, error)
    before = caseload("check", "--json", code=exit_code)
    assert json.loads(before.stdout) == {"error": doc["error"]}


def test_an_error_before_the_first_item_is_the_usual_error_document(caseload, monkeypatch):
    result = caseload("check", "Nobody", "--json", code=2)
    assert list(json.loads(result.stdout)) == ["error"]
    break_service(monkeypatch, "citizens", 0, NotFound("phase.no_enrollment", id=99))
    result = caseload("citizens", "--json", code=2)
    assert json.loads(result.stdout) == {"error": {"code": "not_found",
                                                   "message": NotFound("phase.no_enrollment", id=99).message()}}


def test_with_debug_the_document_is_whole_and_the_traceback_follows(caseload, monkeypatch):
    break_service(monkeypatch, "check", 2, RuntimeError("a bug"))
    result = caseload("check", "--json", code=1, env={"FLEKSRUN_DEBUG": "1"})
    assert json.loads(result.stdout)["error"]["code"] == "internal"
    assert isinstance(result.exception, RuntimeError)


def test_the_table_is_unchanged_by_a_stream(caseload):
    """Only --json streams; the table of the same listing still prints (the writer is not in its way)."""
    assert "Citizens (3)" in caseload("citizens").stdout
    assert "Exit rules (3)" in caseload("check").stdout


# -- the writer itself, for other listings (`due --json`) ------------------------------------------------

def test_members_known_after_the_items_come_after_them(capsys):
    from fleksrun.render import print_json_stream

    seen = []

    def items() -> Iterator[dict[str, int]]:
        for n in range(3):
            seen.append(n)
            yield {"n": n}

    print_json_stream({"today": dt.date(2026, 3, 30), "from": "x"}, items(), tail=lambda: {"total": len(seen)})
    out = capsys.readouterr().out
    assert json.loads(out) == {"today": "2026-03-30", "from": "x", "items": [{"n": 0}, {"n": 1}, {"n": 2}],
                               "total": 3}
    print_json_stream({"today": "t"}, iter(()), tail=lambda: {"total": 0})
    assert json.loads(capsys.readouterr().out) == {"today": "t", "items": [], "total": 0}


def test_an_error_in_the_tail_ends_the_document_too(capsys):
    import typer

    from fleksrun.errors import InputError
    from fleksrun.render import print_json_stream

    def tail() -> dict[str, Any]:
        raise InputError("edit.nothing")

    with pytest.raises(typer.Exit) as stopped:
        print_json_stream({"today": "t"}, [{"n": 1}], tail=tail)
    assert stopped.value.exit_code == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["items"] == [{"n": 1}] and doc["error"]["code"] == "bad_input"
