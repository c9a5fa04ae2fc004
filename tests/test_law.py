"""Legal limits as dated rules, and the warnings they give."""

from __future__ import annotations

from datetime import date

import pytest

from fleksrun.domain.law import (
    RULES,
    Warning,
    allowed_practice_weeks,
    capacity_warning,
    company_capacity,
    hours_225_rule_applies,
    job_conversations_hint,
    practice_length_warning,
    rule_on,
    rule_value,
    weekly_practice_hours_warning,
)
from fleksrun.i18n import has, t

TODAY = date(2026, 3, 31)


# -- the table -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rule_id", "on", "value"),
    [
        ("practice_max_weeks", date(2019, 12, 31), None),
        ("practice_max_weeks", date(2020, 1, 1), {"base": 13, "first_extension_to": 26, "further_extension": 13,
                                                "same_company_gap_weeks": 4}),
        ("practice_max_hours_week", date(2019, 12, 31), None),
        ("practice_max_hours_week", date(2020, 1, 1), 37),
        ("company_capacity", date(2019, 12, 31), None),
        ("company_capacity", date(2020, 1, 1), {"per_employees": 5, "up_to": 50, "minimum": 1, "above_per_employees": 10}),
        ("hours_225_rule", date(2016, 3, 31), None),
        ("hours_225_rule", date(2016, 4, 1), {"hours": 225, "months": 12}),
        ("hours_225_rule", date(2025, 6, 30), {"hours": 225, "months": 12}),
        ("hours_225_rule", date(2025, 7, 1), None),
        ("legal_job_conversations", date(2019, 12, 31), None),
        ("legal_job_conversations", date(2026, 6, 30), {"conversations": 4, "months": 6, "law": None}),
        (
            "legal_job_conversations",
            date(2026, 7, 1),
            {"conversations": None, "months": None, "law": "lov nr. 1750 af 29. december 2025"},
        ),
    ],
)
def test_rule_value_on_both_sides_of_each_date(rule_id, on, value):
    assert rule_value(rule_id, on) == value


def test_unknown_rule_is_a_key_error():
    with pytest.raises(KeyError):
        rule_value("practice_max_days", TODAY)


def test_every_rule_has_a_source_and_sane_dates():
    for rule in RULES:
        assert rule.source
        assert rule.valid_to is None or rule.valid_from <= rule.valid_to


def test_rows_of_one_rule_do_not_overlap():
    by_id: dict[str, list] = {}
    for rule in RULES:
        by_id.setdefault(rule.id, []).append(rule)
    for rows in by_id.values():
        rows.sort(key=lambda r: r.valid_from)
        for earlier, later in zip(rows, rows[1:]):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from


def test_rule_on_gives_the_row():
    row = rule_on("legal_job_conversations", date(2026, 7, 1))
    assert row is not None
    assert row.valid_from == date(2026, 7, 1)
    assert row.valid_to is None


@pytest.mark.parametrize(
    ("on", "applies"),
    [(date(2016, 3, 31), False), (date(2020, 5, 1), True), (date(2025, 6, 30), True), (date(2025, 7, 1), False)],
)
def test_225_rule_abolished_from_july_2025(on, applies):
    assert hours_225_rule_applies(on) is applies


# -- practice length -----------------------------------------------------------------------------

@pytest.mark.parametrize(("extensions", "weeks"), [(0, 13), (1, 26), (2, 39), (3, 52)])
def test_allowed_practice_weeks(extensions, weeks):
    assert allowed_practice_weeks(TODAY, extensions) == weeks


@pytest.mark.parametrize(
    ("end", "extensions", "weeks", "limit"),
    [
        (date(2026, 6, 28), 0, None, 13),  # Sunday of the 13th week: within the limit
        (date(2026, 6, 29), 0, 14, 13),  # Monday of week 14
        (date(2026, 9, 27), 1, None, 26),
        (date(2026, 9, 28), 1, 27, 26),
        (date(2026, 12, 27), 2, None, 39),
        (date(2026, 12, 28), 2, 40, 39),  # ISO week 53 of 2026
    ],
)
def test_practice_length_warning(end, extensions, weeks, limit):
    warning = practice_length_warning(TODAY, end, extensions)
    if weeks is None:
        assert warning is None
    else:
        assert warning is not None
        assert warning.params == {
            "start": TODAY,
            "end": end,
            "weeks": weeks,
            "limit": limit,
            "extensions": extensions,
        }
        assert warning.key == ("law.practice_length" if extensions == 0 else "law.practice_length_extended")


def test_practice_length_message():
    warning = practice_length_warning(TODAY, date(2026, 7, 2))
    assert warning == Warning(
        "law.practice_length",
        {"start": TODAY, "end": date(2026, 7, 2), "weeks": 14, "limit": 13, "extensions": 0},
    )
    assert warning.message() == (
        "Practice from 31-03-2026 to 02-07-2026 runs 14 weeks, beyond the 13-week limit: "
        "record a concrete assessment and the reason for the extension."
    )


def test_practice_before_the_table_gives_no_warning():
    assert practice_length_warning(date(2019, 1, 1), date(2019, 12, 1)) is None


# -- weekly hours --------------------------------------------------------------------------------

@pytest.mark.parametrize(("hours", "warns"), [(0, False), (36.5, False), (37, False), (37.5, True), (45, True)])
def test_weekly_practice_hours_warning(hours, warns):
    warning = weekly_practice_hours_warning(date(2026, 3, 30), hours)
    if warns:
        assert warning == Warning("law.practice_hours_week", {"week": date(2026, 3, 30), "hours": hours, "limit": 37})
    else:
        assert warning is None


def test_weekly_practice_hours_message():
    warning = weekly_practice_hours_warning(date(2026, 3, 30), 37.5)
    assert warning is not None
    assert warning.message() == (
        "Practice in week 14 adds up to 37.5 hours, above the 37-hour weekly limit: "
        "move or cut hours in that week."
    )


# -- company capacity ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("employees", "capacity"),
    [(0, 1), (4, 1), (5, 1), (9, 1), (10, 2), (49, 9), (50, 10), (59, 10), (60, 11), (70, 12), (200, 25), (-3, 1)],
)
def test_company_capacity(employees, capacity):
    assert company_capacity(employees, TODAY) == capacity


def test_company_capacity_before_the_table_uses_the_earliest_row():
    assert company_capacity(70, date(2019, 6, 1)) == 12


@pytest.mark.parametrize(
    ("employees", "placed", "warning"),
    [
        (None, 5, None),  # head count unknown: nothing to compare with
        (-1, 5, None),
        (4, 1, None),
        (4, 2, Warning("law.company_capacity", {"employees": 4, "placed": 2, "capacity": 1})),
        (10, 2, None),
        (10, 3, Warning("law.company_capacity", {"employees": 10, "placed": 3, "capacity": 2})),
        (70, 12, None),
        (70, 13, Warning("law.company_capacity", {"employees": 70, "placed": 13, "capacity": 12})),
    ],
)
def test_capacity_warning(employees, placed, warning):
    assert capacity_warning(employees, placed, TODAY) == warning


def test_capacity_message():
    warning = capacity_warning(10, 3, TODAY)
    assert warning is not None
    assert warning.message() == (
        "The company has 3 people in practice or wage subsidy for 10 ordinary employees, "
        "above the reasonable limit of 2: check the ratio before placing more."
    )


# -- legal job conversations (a hint only) -------------------------------------------------------

def test_job_conversations_hint_until_june_2026():
    hint = job_conversations_hint(date(2026, 6, 30))
    assert hint == Warning("law.job_conversations", {"conversations": 4, "months": 6})
    assert hint.message() == (
        "The caseworker must hold at least 4 job conversations in the first 6 months: "
        "check that they are planned."
    )


def test_job_conversations_hint_from_july_2026():
    hint = job_conversations_hint(date(2026, 7, 1))
    assert hint == Warning(
        "law.job_conversations_changed",
        {"law": "lov nr. 1750 af 29. december 2025", "since": date(2026, 7, 1)},
    )
    assert hint.message() == (
        "The rules for job conversations changed on 01-07-2026 (lov nr. 1750 af 29. december 2025): "
        "check the caseworker's current duty."
    )


def test_job_conversations_hint_before_the_table():
    assert job_conversations_hint(date(2019, 12, 31)) is None


@pytest.mark.parametrize(
    "key",
    [
        "law.practice_length",
        "law.practice_length_extended",
        "law.practice_hours_week",
        "law.company_capacity",
        "law.job_conversations",
        "law.job_conversations_changed",
        "schedule.policy",
        "schedule.length",
        "schedule.weekdays",
        "schedule.weeks",
        "schedule.count",
        "schedule.until",
        "schedule.met.skipped",
        "schedule.met.extended",
        "schedule.met.shifted",
        "schedule.met.flagged",
    ],
)
def test_every_key_has_an_english_sentence(key):
    assert has(key)
    assert t(key, **_SAMPLE).endswith(".")


_SAMPLE = {
    "start": TODAY,
    "end": date(2026, 7, 2),
    "weeks": 14,
    "limit": 13,
    "extensions": 1,
    "week": TODAY,
    "hours": 38,
    "employees": 10,
    "placed": 3,
    "capacity": 2,
    "conversations": 4,
    "months": 6,
    "law": "lov nr. 1750 af 29. december 2025",
    "since": date(2026, 7, 1),
    "policy": "later",
    "weekdays": "7",
    "count": 0,
    "until": date(2026, 3, 1),
    "date": TODAY,
    "name": "Skærtorsdag",
    "replacement": date(2026, 4, 8),
}
