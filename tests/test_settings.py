"""`config`: the file's settings, today which customary days are days off; and what `doctor` says of them."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import file_digest


def test_the_default_is_no_days_off(cli):
    assert cli("config").stdout.startswith("days-off: none")
    assert cli.json("config")["items"] == [{"key": "days-off", "value": [], "names": [], "default": []}]


@pytest.mark.parametrize("typed, codes", [
    ("grundlovsdag,juleaftensdag", ["grundlovsdag", "juleaftensdag"]),
    ("1maj", ["1maj"]),
    ("forste-maj", ["1maj"]),
    ("Første maj, Nytårsaften", ["1maj", "nytaarsaftensdag"]),
    ("nytaarsaftensdag,juleaften,grundlovsdag", ["grundlovsdag", "juleaftensdag", "nytaarsaftensdag"]),
    ("alle", ["1maj", "grundlovsdag", "juleaftensdag", "nytaarsaftensdag"]),
])
def test_days_off_take_danish_words(cli, typed, codes):
    doc = cli.json("config", "days-off", typed)
    assert doc["value"] == codes and doc["before"] == []
    assert cli.json("config", "days-off")["items"][0]["value"] == codes


def test_set_show_and_clear(cli):
    result = cli("config", "days-off", "grundlovsdag,juleaftensdag")
    assert result.stdout.startswith("Days off for every company: Grundlovsdag, Juleaftensdag.")
    assert cli("config").stdout.startswith("days-off: Grundlovsdag, Juleaftensdag")
    doc = cli.json("config", "days_off", "none")
    assert doc["value"] == [] and doc["before"] == ["grundlovsdag", "juleaftensdag"]
    assert cli("config").stdout.startswith("days-off: none")
    conn = sqlite3.connect(cli.db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0  # the default has no row
    finally:
        conn.close()


def test_the_setting_is_stored_in_the_settings_table(cli):
    cli("config", "days-off", "grundlovsdag,1maj")
    conn = sqlite3.connect(cli.db)
    try:
        assert conn.execute("SELECT key, value FROM settings").fetchall() == [("days-off", "1maj,grundlovsdag")]
        assert ("m007_settings",) in conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
    finally:
        conn.close()


def test_in_danish(cli):
    cli("config", "fridage", "grundlovsdag")
    assert cli("--lang", "da", "config").stdout.startswith("days-off: Grundlovsdag (de sædvanlige fridage")
    result = cli("--lang", "da", "config", "days-off", "ingen")
    assert result.stdout.startswith("Ingen sædvanlige fridage")
    result = cli("--lang", "da", "config", "days-off", "sankthans", code=2)
    assert 'Ukendt dag "sankthans"' in result.stderr


def test_unknown_day_or_setting_is_an_input_error_and_writes_nothing(cli):
    cli("config", "days-off", "grundlovsdag")
    before = file_digest(cli.db)
    result = cli("config", "days-off", "grundlovsdag,sankthans", code=2)
    assert 'Unknown day "sankthans"' in result.stderr and "juleaftensdag" in result.stderr
    result = cli("config", "colour", "blue", code=2)
    assert 'Unknown setting "colour": the settings are days-off.' in " ".join(result.stderr.split())
    cli("config", "colour", code=2)
    assert file_digest(cli.db) == before
    assert cli.json("config")["items"][0]["value"] == ["grundlovsdag"]


def test_doctor_reports_the_setting_as_an_ok_check(cli):
    cli("company", "add", "Bageriet")
    assert "✓ Days off: none" in cli("doctor").stdout
    cli("config", "days-off", "grundlovsdag,nytaarsaftensdag")
    doc = cli.json("doctor")
    check = next(c for c in doc["checks"] if c["check"] == "days_off")
    assert check["ok"] is True and doc["ok"] is True
    assert check["detail"].startswith("Days off: Grundlovsdag, Nytårsaftensdag")
    assert "✓ Fridage: Grundlovsdag, Nytårsaftensdag" in cli("--lang", "da", "doctor").stdout


def test_doctor_on_a_file_from_before_the_settings_table(cli):
    cli("company", "add", "Bageriet")
    conn = sqlite3.connect(cli.db)
    try:
        conn.execute("DROP TABLE settings")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_settings'")
        conn.commit()
    finally:
        conn.close()
    doc = cli.json("doctor", code=1)  # a migration is pending: that check fails, the days-off one says the default
    assert next(c for c in doc["checks"] if c["check"] == "days_off")["ok"] is True
    assert cli.json("config")["items"][0]["value"] == []  # any other command applies the migration
