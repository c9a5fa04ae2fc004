"""Absurd numbers and dates typed by a user give one sentence and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from conftest import file_digest


@pytest.fixture
def booked(cli):
    cli("enroll", "Anna Berg", "--program", "ovebane")
    cli("company", "add", "Bageriet")
    return cli


@pytest.mark.parametrize("args", [
    ("company", "add", "Café", "--employees", "100000000000000000000"),
    ("schedule", "Anna", "--company", "Bageriet", "--start", "mon", "--count", "100000000000", "--days", "tue"),
    ("schedule", "Anna", "--company", "Bageriet", "--start", "mon", "--weeks", "100000000", "--days", "tue"),
    ("schedule", "Anna", "--company", "Bageriet", "--start", "mon", "--until", "2099-01-01", "--days", "tue"),
    ("attend", "Anna", "--hours", "nan"),
    ("attend", "Anna", "--hours", "inf"),
    ("hours", "Anna", "--month", "2026-03", "--ordinary", "1e300"),
    ("hours", "Anna", "--month", "2026-03", "--ordinary", "-4"),
    ("due", "--days", "100000"),
    ("enroll", "Bo", "--program", "ovebane", "--start", "+99999999d"),
])
def test_absurd_values_exit_2_with_one_short_sentence(booked, args):
    before = file_digest(booked.db)
    result = booked(*args, code=2)
    message = result.stderr.strip()
    assert message and "\n" not in message and "Traceback" not in message
    assert len(message) < 200, message
    assert file_digest(booked.db) == before


@pytest.mark.parametrize("ref", ["²", "١٢", "#", "   "])
def test_odd_citizen_references_are_bad_input(booked, ref):
    result = booked("show", ref, code=2)
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_a_mistyped_phase_is_named_before_the_date(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-31")  # begins tomorrow
    result = cli("advance", "Mette", "--to", "nowhere", code=2)
    assert "nowhere" in result.stderr
