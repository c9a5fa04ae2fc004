"""CPR numbers: format, birth date with its century, masking, and no CPR in any error."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fleksrun.domain.cpr import cpr_birthdate, mask_cpr, parse_cpr
from fleksrun.errors import InputError


@pytest.mark.parametrize(
    "text, expected",
    [
        ("010190-1234", "010190-1234"),
        ("0101901234", "010190-1234"),
        ("  010190-1234 ", "010190-1234"),
        ("\t0101901234\n", "010190-1234"),
        ("290200-4123", "290200-4123"),
    ],
)
def test_parse_cpr_normalises(text, expected):
    assert parse_cpr(text) == expected


@pytest.mark.parametrize(
    "cpr, born",
    [
        # 7th digit 0-3: always 1900s
        ("010100-0123", date(1900, 1, 1)),
        ("010136-0123", date(1936, 1, 1)),
        ("311299-3123", date(1999, 12, 31)),
        ("150557-2123", date(1957, 5, 15)),
        # 4 and 9: 2000s up to year 36, else 1900s
        ("010136-4123", date(2036, 1, 1)),
        ("010137-4123", date(1937, 1, 1)),
        ("010100-9123", date(2000, 1, 1)),
        ("010136-9123", date(2036, 1, 1)),
        ("010137-9123", date(1937, 1, 1)),
        # 5-8: 2000s up to year 57, else 1800s
        ("010157-5123", date(2057, 1, 1)),
        ("010158-5123", date(1858, 1, 1)),
        ("010100-6123", date(2000, 1, 1)),
        ("010199-7123", date(1899, 1, 1)),
        ("010110-8123", date(2010, 1, 1)),
        ("010158-8123", date(1858, 1, 1)),
    ],
)
def test_century_from_the_seventh_digit(cpr, born):
    assert cpr_birthdate(cpr) == born
    assert cpr_birthdate(cpr.replace("-", "")) == born


@pytest.mark.parametrize(
    "cpr, born",
    [
        ("290200-4123", date(2000, 2, 29)),  # 2000 is a leap year
        ("290200-5123", date(2000, 2, 29)),
        ("290200-9123", date(2000, 2, 29)),
        ("290296-1123", date(1996, 2, 29)),
    ],
)
def test_leap_day_birthdates(cpr, born):
    assert parse_cpr(cpr) == cpr
    assert cpr_birthdate(cpr) == born


@pytest.mark.parametrize(
    "text",
    [
        "290200-1123",  # 1900 was not a leap year
        "290258-5123",  # 1858 neither
        "290297-1123",
        "310426-1234",  # April has 30 days
        "320190-1234",
        "000190-1234",
        "011390-1234",
        "010090-1234",
    ],
)
def test_impossible_birthdate_is_cpr_date(text):
    with pytest.raises(InputError) as caught:
        parse_cpr(text)
    assert caught.value.key == "cpr.date"
    with pytest.raises(InputError):
        cpr_birthdate(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "010190 1234",  # a space is not the dash
        "010190--1234",
        "01019-01234",
        "010190-123",
        "010190-12345",
        "01019012345",
        "O10190-1234",  # letter O
        "01-01-90-1234",
        "010190/1234",
        "\u0660\u0661\u0660\u0661\u0669\u0660\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    ],
)
def test_bad_format_is_cpr_format(text):
    with pytest.raises(InputError) as caught:
        parse_cpr(text)
    assert caught.value.key == "cpr.format"
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "text, key",
    [
        ("290200-1123", "cpr.date"),
        ("320190-5678", "cpr.date"),
        ("311387-2468", "cpr.date"),
        ("31138724689", "cpr.format"),
        ("311387 2468", "cpr.format"),
        ("31138-72468", "cpr.format"),
    ],
)
def test_errors_never_carry_the_number(text, key):
    with pytest.raises(InputError) as caught:
        parse_cpr(text)
    error = caught.value
    assert error.key == key
    assert error.params == {}
    assert error.args == (key,)
    message = str(error)
    assert message.endswith(".")
    # no digit at all, so no part of any CPR can be in the message
    assert not any(ch.isdigit() for ch in message), message
    # no chained ValueError would be shown under it
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


@pytest.mark.parametrize(
    "cpr, masked",
    [
        ("310326-1234", "310326-xxxx"),
        ("3103261234", "310326-xxxx"),
        (" 310326-1234 ", "310326-xxxx"),
        (None, None),
        ("garbage 1234", "xxxxxx-xxxx"),  # unreadable: masked whole, never echoed
        ("", "xxxxxx-xxxx"),
    ],
)
def test_mask_cpr(cpr, masked):
    assert mask_cpr(cpr) == masked


@pytest.mark.parametrize("name", ["310385-1234", "Mette 310385-1234", "31.03.85-1234", "3103 85 1234", "3103851234"])
def test_a_cpr_number_in_a_name_is_refused_for_it_would_show_unmasked(cli, name):
    result = cli("enroll", name, "--program", "rampen", code=2)
    assert "--cpr" in result.stderr and "1234" not in result.stderr + result.stdout
    cli("enroll", "Mette Hansen", "--program", "rampen")
    result = cli("edit", "Mette", "--name", name, code=2)
    assert "--cpr" in result.stderr
    assert [c["name"] for c in cli.json("citizens", "--all")["items"]] == ["Mette Hansen"]


def test_names_with_digits_that_are_no_cpr_number_stay_allowed(cli):
    cli("enroll", "Mette Hansen 2", "--program", "rampen")
    cli("enroll", "Ali 1985-03", "--program", "rampen")
    assert cli("enroll", "12345", "--program", "rampen", code=2).stderr


# -- a birth date after the run's today is refused (today comes from --today / FLEKSRUN_TODAY) -----

def test_a_birth_date_after_today_is_refused_without_the_number():
    today = date(2026, 3, 30)
    assert parse_cpr("300326-1234", today) == "300326-1234"  # born today: fine
    assert parse_cpr("010136-4123") == "010136-4123"  # no today given: the date alone is checked
    for text in ("310326-4123", "010136-4123", "010150-5123", "3103264123"):  # 2026-03-31, 2036, 2050
        with pytest.raises(InputError) as caught:
            parse_cpr(text, today)
        assert caught.value.key == "cpr.future" and caught.value.params == {}
        assert not any(ch.isdigit() for ch in str(caught.value))


@pytest.mark.parametrize("lang", ["en", "da"])
def test_enroll_and_edit_refuse_a_cpr_born_after_today(cli, lang):
    cli.lang = lang
    result = cli("enroll", "Mette Hansen", "--program", "rampen", "--cpr", "010136-4123", code=2)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr  # one sentence
    assert ("after today" if lang == "en" else "efter i dag") in result.stderr
    assert not any(ch.isdigit() for ch in result.stdout + result.stderr)
    assert cli.json("citizens", "--all")["items"] == []
    cli("enroll", "Mette Hansen", "--program", "rampen", "--cpr", "010190-1234")
    result = cli("edit", "Mette", "--cpr", "310326-4123", code=2)  # one day after --today 2026-03-30
    assert "4123" not in result.stderr + result.stdout and "310326" not in result.stderr + result.stdout
    assert cli.json("show", "Mette")["cpr"] == "010190-xxxx"
    # The same number is fine once the run's today has reached the birth date.
    cli("edit", "Mette", "--cpr", "310326-4123", env={"FLEKSRUN_TODAY": "2026-03-31"})
    cli("--today", "2026-03-31", "edit", "Mette", "--cpr", "310326-4124")


def test_the_century_rule_agrees_with_python_stdnum():
    stdnum_cpr = pytest.importorskip("stdnum.dk.cpr")
    for year in range(100):
        for seventh in range(10):
            number = f"0101{year:02d}{seventh}000"
            assert cpr_birthdate(number) == stdnum_cpr.get_birth_date(number), number


# -- two citizens with one CPR number: a warning naming the other, never an error --------------------

@pytest.mark.parametrize("lang", ["en", "da"])
def test_a_second_citizen_with_the_same_cpr_number_is_warned_about(cli, lang):
    cli.lang = lang
    cli("enroll", "Mette Hansen", "--program", "rampen", "--cpr", "010190-1234")
    result = cli("enroll", "Mette B. Hansen", "--program", "rampen", "--cpr", "0101901234")
    word = "Citizen 1" if lang == "en" else "Borger 1"
    assert f"{word} (Mette Hansen)" in result.stderr and "010190-xxxx" in result.stderr
    assert "1234" not in result.stderr + result.stdout
    assert result.stdout.strip()  # the enroll is done and said so
    assert [c["id"] for c in cli.json("citizens")["items"]] == [2, 1]  # by name: "Mette B." first
    # A third citizen without a CPR number, given the same one by edit: both others are named.
    cli("enroll", "Ali Khan", "--program", "rampen")
    result = cli("edit", "Ali", "--cpr", "010190-1234")
    assert ("Citizen 1 " if lang == "en" else "Borger 1 ") in result.stderr
    assert ("Citizen 2 " if lang == "en" else "Borger 2 ") in result.stderr
    assert "1234" not in result.stderr + result.stdout
    # JSON keeps stdout clean: the warning stays on stderr, the other citizens are in the result.
    result = cli("edit", "Ali", "--cpr", "010190-1234", "--json")
    assert [o["id"] for o in json.loads(result.stdout)["same_cpr"]] == [1, 2]
    assert "1234" not in result.stdout and "010190-xxxx" in result.stderr


def test_no_warning_for_a_unique_cpr_number_or_a_citizen_alone(cli):
    result = cli("enroll", "Mette Hansen", "--program", "rampen", "--cpr", "010190-1234")
    assert result.stderr == ""
    assert cli("edit", "Mette", "--cpr", "010190-1234").stderr == ""  # her own number is no other's
    assert cli("enroll", "Ali Khan", "--program", "rampen", "--cpr", "010190-4321").stderr == ""
    # Enrolling a known citizen again is no double of herself.
    assert cli.json("enroll", "Mette", "--existing", "--program", "ovebane")["same_cpr"] == []
    # A forgotten citizen is nobody's double.
    cli("enroll", "Per Berg", "--program", "rampen", "--cpr", "020290-1234")
    cli("end", "Per", "--outcome", "other", "--on", "2026-03-30")
    cli("forget", "Per", "--yes")
    assert cli("enroll", "Per Jensen", "--program", "rampen", "--cpr", "020290-1234").stderr == ""
