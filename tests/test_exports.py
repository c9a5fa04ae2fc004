"""`export csv` for Danish Excel, on the prepared database, and where export files go (csv and ics)."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat

import pytest

from conftest import Cli
from prepared_db import build_prepared

from fleksrun.services.exports import safe_cell


@pytest.fixture
def prepared(tmp_path) -> Cli:
    return Cli(build_prepared(tmp_path / "prepared.db"), today="2026-01-01")


def read_excel_csv(path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_opens_as_columns_with_decimal_comma(prepared, tmp_path):
    target = tmp_path / "hours.csv"
    result = prepared("export", "csv", "hours", "--out", str(target))
    assert "Wrote 17 rows" in result.stdout
    rows = read_excel_csv(target)
    assert list(rows[0]) == ["id", "citizen_id", "month", "kind", "hours", "source", "recorded_on"]
    per = next(r for r in rows if r["citizen_id"] == "16" and r["kind"] == "ordinary")
    assert (per["month"], per["hours"]) == ("2026-03", "29,5")
    assert float(per["hours"].replace(",", ".")) == 29.5
    assert b"\r\n" in target.read_bytes()


def test_a_note_beginning_with_equals_is_text_not_a_formula(prepared, tmp_path):
    target = tmp_path / "days.csv"
    prepared("export", "csv", "days", "--out", str(target))
    notes = [r["note"] for r in read_excel_csv(target) if r["note"]]
    assert notes == ["'=HYPERLINK(\"http://x\")"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(text):
    assert safe_cell(text, decimal_comma=True) == "'" + text


def test_numbers_stay_numbers(tmp_path):
    assert safe_cell(-1.5, decimal_comma=True) == "-1,5"
    assert safe_cell(8.0, decimal_comma=True) == "8"
    assert safe_cell(29.5, decimal_comma=False) == "29.5"


def test_plain_csv_uses_commas_and_points(prepared, tmp_path):
    target = tmp_path / "hours.csv"
    prepared("export", "csv", "hours", "--plain", "--out", str(target))
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8")), delimiter=","))
    assert "29.5" in [r["hours"] for r in rows]


def test_csv_never_exports_a_cpr_or_the_journal(prepared, tmp_path):
    target = tmp_path / "citizens.csv"
    prepared("export", "csv", "citizens", "--out", str(target))
    text = target.read_bytes().decode("utf-8-sig")
    assert "Anna Andersen" in text
    assert "cpr" not in text.splitlines()[0] and "0101801234" not in text and "1234" not in text
    result = prepared("export", "csv", "journal", "--out", str(tmp_path / "journal.csv"), code=2)
    assert "journal" in result.stderr and "citizens" in result.stderr
    assert not (tmp_path / "journal.csv").exists()


def test_attendance_view_joins_names(prepared, tmp_path):
    target = tmp_path / "a.csv"
    prepared("export", "csv", "attendance", "--out", str(target))
    rows = read_excel_csv(target)
    assert {"date", "citizen", "program", "company", "kind", "status"} <= set(rows[0])
    assert any(r["citizen"] == "Karin Kjær" and r["company"] == "Bageriet" for r in rows)


# The options that name a file to write, with the name each gives a file in a folder.
OUTPUTS = [
    (("export", "csv", "hours", "--out"), "hours.csv"),
    (("export", "ics", "--out"), "fleksrun.ics"),
    (("report", "--csv"), "report.csv"),
]


@pytest.mark.parametrize("args, default_name", OUTPUTS)
def test_an_output_folder_gets_the_default_name_and_the_file_is_private(prepared, tmp_path, args, default_name):
    folder = tmp_path / "out"
    folder.mkdir()
    prepared(*args, str(folder) + "/")
    written = folder / default_name
    assert written.stat().st_size > 0 and list(folder.iterdir()) == [written]  # no partial file left
    if os.name == "posix":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600


@pytest.mark.parametrize("args", [args for args, _name in OUTPUTS])
@pytest.mark.parametrize("missing, lang, words", [
    ("nope/file.csv", "en", "The folder {folder} does not exist: create it first"),
    ("nope/", "da", "Mappen {folder} findes ikke: opret den først"),
])
def test_a_folder_that_does_not_exist_is_one_sentence_and_nothing_is_written(prepared, tmp_path, args, missing,
                                                                            lang, words):
    result = prepared(*args, f"{tmp_path}/{missing}", code=2, env={"FLEKSRUN_LANG": lang})
    assert words.format(folder=tmp_path / "nope") in result.stderr
    assert "No such file" not in result.stderr and not (tmp_path / "nope").exists()
    assert result.stdout == ""


def test_writing_over_an_earlier_export_replaces_it_private_and_whole(prepared, tmp_path):
    target = tmp_path / "hours.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    prepared("export", "csv", "hours", "--out", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid;") and b"\r\n" in target.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("errno_, words, code", [
    (errno.EIO, "Could not write", 1),
    (errno.ENOSPC, "The disk is full", 1),
    (errno.EROFS, "You may not write to", 2),  # the place the user chose
])
def test_a_write_that_fails_keeps_the_earlier_file_and_says_so_in_one_sentence(prepared, tmp_path, monkeypatch,
                                                                             errno_, words, code):
    target = tmp_path / "hours.csv"
    target.write_bytes(b"old")

    def failing_replace(src, dst):
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(os, "replace", failing_replace)
    result = prepared("export", "csv", "hours", "--out", str(target), code=code)
    assert result.stderr.startswith(words) and str(target) in result.stderr
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".partial") == []


def test_the_database_and_its_files_are_never_an_export_target(prepared):
    before = prepared.db.read_bytes()
    for name in (str(prepared.db), f"{prepared.db}-wal", f"{prepared.db}-shm"):
        result = prepared("export", "csv", "hours", "--out", name, code=2)
        assert "is the database (or one of its files)" in result.stderr
    assert prepared.db.read_bytes() == before
    prepared("citizens")  # still a database


def test_a_file_where_a_folder_should_be_is_named(prepared, tmp_path):
    (tmp_path / "out.csv").write_text("x")
    for where in ("out.csv/x.csv", "out.csv/", "out.csv/sub/x.csv"):
        result = prepared("report", "--csv", f"{tmp_path}/{where}", code=2)
        assert f"{tmp_path / 'out.csv'} is a file, not a folder" in result.stderr


def test_a_symbolic_link_keeps_pointing_at_its_file_which_is_replaced(prepared, tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"old")
    (tmp_path / "link.csv").symlink_to(real)
    prepared("export", "csv", "hours", "--out", str(tmp_path / "link.csv"))
    assert (tmp_path / "link.csv").is_symlink() and real.read_bytes().startswith(b"\xef\xbb\xbfid;")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_written_into_and_the_confirmation_goes_to_stderr(prepared, tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = prepared("export", "csv", "hours", "--out", str(fifo))
    reader.join(timeout=10)
    assert received and received[0].startswith(b"\xef\xbb\xbfid;")
    assert result.stdout == "" and f"Wrote 17 rows to {fifo}." in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not replaced by a file
