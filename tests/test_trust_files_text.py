"""What is typed and what is shown: control characters refused at input and made visible at output; a
CPR number refused in notes and case numbers; the smaller holes (an empty --absent, a NUL, a dangling
link as --db, a read that waits for another window's write)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from fleksrun.domain.text import refuse_control, visible
from fleksrun.errors import InputError
from test_faults import _env
from trust_helpers import data_dump

CLEAR = "\x1b[2J"  # "clear the screen"
RAW = ("\x1b", "\u202e", "\x00", "\x07", "\x9b")


def _no_raw(text: str) -> None:
    assert not any(char in text for char in RAW), repr(text)


@pytest.mark.parametrize("char, shown", [("\x1b", "\\x1b"), ("\x00", "\\x00"), ("\x7f", "\\x7f"), ("\x9b", "\\x9b"),
                                         ("\u202e", "\\u202e"), ("\u2066", "\\u2066"), ("\u200b", "\\u200b"),
                                         ("\r", "\\x0d"), ("\u2028", "\\u2028")])
def test_control_and_spoofing_characters_are_refused_and_written_out(char, shown):
    assert visible(f"Mette{char}Hansen") == f"Mette{shown}Hansen"
    with pytest.raises(InputError) as caught:
        refuse_control(f"Mette{char}", "--note")
    assert caught.value.params == {"field": "--note", "char": shown}


def test_ordinary_text_passes_untouched():
    for text in ("Søren Ærø-Østergaard", "Zoë", "José\u00a0Ñ", "Line one\nline two\ttab", "محمد", "日本"):
        assert visible(text) == text
    for text in ("Søren Ærø-Østergaard", "محمد", "José\u00a0Ñ"):
        refuse_control(text, "NAME")  # no error


@pytest.mark.parametrize("args, field", [
    (["enroll", f"Mette{CLEAR}", "--program", "ovebane"], "NAME"),
    (["enroll", "Mette Hansen", "--program", "ovebane", "--note", f"hi{CLEAR}"], "--note"),
    (["enroll", "Mette Hansen", "--program", "ovebane", "--ref", "A\u202e12"], "--ref"),
    (["enroll", "Mette Hansen", "--program", "ovebane", "--phone", "12\x0034"], "--phone"),
    (["edit", "1", "--notes", "x\x1b]0;title\x07"], "--notes"),
    (["edit", "1", "--job-goal", "Kok\u2066"], "--job-goal"),
    (["edit", f"Jens{CLEAR}", "--phone", "1"], "CITIZEN"),
    (["company", "add", f"Bageriet{CLEAR}"], "NAME"),
    (["company", "add", "Bageriet", "--contact", "Lone\x9b"], "--contact"),
    (["followup", "1", "--note", f"talk{CLEAR}"], "--note"),
    (["attend", "1", "--note", "a\x00b"], "--note"),
    (["--db", "x\x00.db", "due"], "--db"),
    (["due", "--company", "B\x00"], "--company"),
])
def test_a_control_character_in_any_typed_value_is_one_sentence_naming_the_field(cli, args, field):
    cli("enroll", "Jens Berg", "--program", "rampen")
    before = data_dump(cli.db)
    result = cli(*args, code=2)
    assert result.stderr.startswith(f"The text given for {field} holds a control character (\\"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    _no_raw(result.stdout + result.stderr)
    assert data_dump(cli.db) == before


def test_the_refusal_is_in_danish_too_and_as_json(cli):
    result = cli("company", "add", f"B{CLEAR}", code=2, env={"FLEKSRUN_LANG": "da"})
    assert result.stderr.startswith("Teksten til NAME indeholder et kontroltegn (\\x1b)")
    doc = cli.json("company", "add", f"B{CLEAR}", code=2)
    assert doc["error"]["code"] == "bad_input" and "NAME" in doc["error"]["message"]


def _store_raw(cli, sql: str, params: list) -> None:
    """What an older fleksrun let in: written straight into the file."""
    conn = sqlite3.connect(str(cli.db))
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_old_data_with_control_characters_is_shown_visibly_everywhere(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--note", "first", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    _store_raw(cli, "UPDATE citizens SET name = ?, notes = ? WHERE id = 1",
               [f"Mette{CLEAR}\u202eHansen", "note\x1b]0;owned\x07 end"])
    _store_raw(cli, "UPDATE companies SET name = ? WHERE id = 1", [f"Bag{CLEAR}eriet"])
    cli("followup", "1", "--on", "2026-03-02", "--next", "2026-04-01")
    for args in (("citizens",), ("show", "1"), ("due", "--days", "14"), ("company", "list"), ("history",),
                 ("check",)):
        result = cli(*args)
        _no_raw(result.stdout + result.stderr)
    assert "Mette\\x1b[2J\\u202eHansen" in cli("citizens").stdout
    shown = cli("show", "1").stdout
    assert "Mette\\x1b[2J\\u202eHansen" in shown and "note\\x1b]0;owned" in shown
    assert "Mette\\x1b[2J\\u202eHansen" in cli("due", "--days", "14").stdout
    assert "Bag\\x1b[2Jeriet" in cli("company", "list").stdout
    # --json is data for scripts: the stored value exactly, as JSON writes it.
    assert cli.json("citizens")["items"][0]["name"] == f"Mette{CLEAR}\u202eHansen"


def test_an_error_message_that_echoes_a_name_shows_the_escape_not_the_effect(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("enroll", "Mette Jensen", "--program", "ovebane")
    _store_raw(cli, "UPDATE citizens SET name = ? WHERE id = 1", [f"Mette{CLEAR} Hansen"])
    result = cli("show", "Mette", code=2)  # ambiguous: the candidates are listed, names and all
    assert "Mette\\x1b[2J Hansen" in result.stderr
    _no_raw(result.stderr)
    result = cli(f"du{CLEAR}e", code=2)  # Click's own sentence quotes the unknown command
    assert "du\\x1b[2Je" in result.stderr
    _no_raw(result.stderr)


def test_the_forget_question_shows_the_name_visibly(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("end", "1", "--outcome", "moved")
    _store_raw(cli, "UPDATE citizens SET name = ? WHERE id = 1", [f"Mette{CLEAR}"])
    result = cli.runner.invoke(__import__("fleksrun.cli.app", fromlist=["app"]).app, ["forget", "1"], input="n\n",
                               env=cli.env())
    assert result.exit_code == 1, result.stderr
    assert "Mette\\x1b[2J" in result.stderr
    _no_raw(result.stdout + result.stderr)


@pytest.mark.parametrize("args, field", [
    (["enroll", "Mette Hansen", "--program", "ovebane", "--note", "cpr 310385-1234"], "--note"),
    (["enroll", "Mette Hansen", "--program", "ovebane", "--ref", "3103851234"], "--ref"),
    (["edit", "1", "--ref", "31.03.85-1234"], "--ref"),
    (["edit", "1", "--notes", "her nummer er 3103 85 1234"], "--notes"),
    (["followup", "1", "--note", "ring 310385-1234"], "--note"),
    (["attend", "1", "2026-03-30", "--note", "310385 1234"], "--note"),
])
def test_a_cpr_number_in_a_note_or_case_number_is_refused_as_in_a_name(cli, args, field):
    cli("enroll", "Jens Berg", "--program", "rampen", "--ref", "SAG-2026-17")
    before = data_dump(cli.db)
    result = cli(*args, code=2)
    assert result.stderr == (f"The text given for {field} holds what looks like a CPR number: leave it out, and give "
                             "the CPR number with --cpr (it is then shown masked).\n")
    assert "1234" not in result.stdout + result.stderr
    assert data_dump(cli.db) == before


def test_notes_and_case_numbers_without_a_cpr_number_are_kept(cli):
    cli("enroll", "Jens Berg", "--program", "rampen", "--ref", "SAG-2026-17", "--note", "Møde 31-03-2026 kl. 10")
    card = cli.json("show", "1")
    assert card["case_ref"] == "SAG-2026-17" and card["notes"] == "Møde 31-03-2026 kl. 10"


def test_an_empty_absence_reason_is_refused_not_recorded_as_attendance(cli):
    cli("enroll", "Jens Berg", "--program", "rampen")
    cli("company", "add", "Bageriet")
    cli("schedule", "1", "--company", "Bageriet", "--start", "2026-03-30", "--weeks", "1", "--days", "mon")
    before = data_dump(cli.db)
    for value in ("", "  "):
        result = cli("attend", "1", "2026-03-30", "--absent", value, code=2)
        assert "is not a value --absent takes" in result.stderr and "sick, other or no-show" in result.stderr
    assert data_dump(cli.db) == before


@pytest.mark.skipif(os.name != "posix", reason="symbolic links as a user makes them")
def test_a_dangling_link_as_the_database_is_refused_and_nothing_is_made(cli, tmp_path):
    target = tmp_path / "usb" / "fleksrun.db"
    (tmp_path / "usb").mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(target)
    for args in (("due",), ("company", "add", "Bageriet")):
        result = cli("--db", str(link), *args, code=2)
        assert result.stderr == (f"{link} is a link to {target}, which does not exist: connect the drive it is on, "
                                 "or give the database file itself with --db.\n")
    assert not target.exists() and sorted(p.name for p in (tmp_path / "usb").iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_database_made_through_a_link_to_an_existing_file_stays_private(cli, tmp_path):
    real = tmp_path / "real.db"
    cli("--db", str(real), "company", "add", "Bageriet")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    cli("--db", str(link), "company", "add", "Other")
    for path in (real, tmp_path / "real.db-wal", tmp_path / "real.db-shm"):
        assert not path.exists() or path.stat().st_mode & 0o077 == 0, path


_HOLD_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN " + sys.argv[2])
conn.execute("INSERT INTO companies (name, created_at) VALUES ('Held', 'now')")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("begin", ["IMMEDIATE", "EXCLUSIVE"])
def test_reading_commands_never_wait_for_another_windows_write_lock(cli, begin):
    cli("demo")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_WRITE_LOCK, str(cli.db), begin], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        for args in (["due"], ["citizens"], ["show", "1"], ["check"], ["report"], ["history"], ["company", "list"],
                     ["doctor"]):
            started = time.monotonic()
            result = subprocess.run([sys.executable, "-m", "fleksrun", *args], env=_env(cli.db), capture_output=True,
                                    text=True, timeout=60)
            took = time.monotonic() - started
            assert result.returncode == 0, (args, result.stderr)
            # The busy timeout is 10 s; a read that waited for the lock would take all of it.
            assert took < 5, (args, took)
        assert holder.poll() is None  # the lock was held all along
    finally:
        holder.kill()
        holder.wait()
