"""Every spelling of a date and an offset means one instant; impossible dates are errors."""

from __future__ import annotations

import pytest

from tests.conftest import article
from tests.invalid.conftest import A, Expected

INSTANT = "2026-01-15T08:30:00+07:00"  # how the page states 08:30 in Ho Chi Minh City


@pytest.mark.parametrize(
    "spelling",
    [
        "2026-01-15 08:30",
        "2026-01-15T08:30",
        "2026-01-15 08:30:00",
        "2026-01-15 08:30:00+07:00",
        "2026-01-15 08:30:00 +07:00",
        "2026-01-15T08:30:00+07",
        "2026-01-15 08:30:00 +7",
        "2026-01-15T08:30+0700",
        "2026-01-15T01:30:00Z",
        "2026-01-15T01:30:00z",
        "2026-01-15T01:30:00.000000Z",
        "2026-01-14T20:30:00-05:00",
        "2026-01-15T08:30:00.000000001+07:00",
        "'2026-01-15 08:30'",
        '"2026-01-15T01:30:00+00:00"',
        "15/01/2026 08:30",
        "15.01.2026 08:30",
        "15-01-2026 08:30:00",
    ],
)
def test_every_spelling_of_one_instant_gives_the_same_page_date(probe_site, spelling):
    site, _ = probe_site({A: article(title="Hội nghị", date=spelling)})
    time = site.html("/tin-hoat-dong/hoi-nghi/").select_one(".article-header time")
    assert time["datetime"] == INSTANT


@pytest.mark.parametrize(
    ("spelling", "shown"),
    [
        ("2026-01-15", "2026-01-15T00:00:00+07:00"),
        ("15/01/2026", "2026-01-15T00:00:00+07:00"),
        ("2028-02-29", "2028-02-29T00:00:00+07:00"),
        ("9999-12-31 23:59 +07:00", "9999-12-31T23:59:00+07:00"),
    ],
)
def test_dates_without_time_and_at_the_edges_of_the_calendar(probe_site, spelling, shown):
    site, _ = probe_site({A: article(title="Hội nghị", date=spelling)}, "--future")
    time = site.html("/tin-hoat-dong/hoi-nghi/").select_one(".article-header time")
    assert time["datetime"] == shown


@pytest.mark.parametrize(
    ("spelling", "fragment"),
    [
        ("2027-02-29", "(day is out of range for month)"),
        ("2026-04-31", "(day is out of range for month)"),
        ("2026-01-15 08:30:60", "(second must be in 0..59)"),
        ("2026-01-15 24:00", "is not a valid date"),
        ("2026-01-15 08:30 +25:00", "is not a valid date"),
        ("2026-01-15 08:30 UTC", "is not a valid date"),
        ("0000-01-01", "is not a valid date"),
        ("10000-01-01", "is not a valid date"),
        ("9999-12-31 23:59 -12:00", "is out of the range of dates"),
        ("0001-01-01 00:00 +14:00", "is out of the range of dates"),
    ],
)
def test_impossible_dates_and_offsets_name_the_date_line(breaker, spelling, fragment):
    breaker.fails({A: article(date=spelling)}, [Expected(A, 3, fragment)])


def test_impossible_updated_date_names_its_line(breaker):
    breaker.fails({A: article(updated="2026-02-29 10:00")}, [Expected(A, 6, "'updated'")])
