"""Working-day clocks over the 2025–2026 holiday calendar, adjusted weekends included."""

from __future__ import annotations

from datetime import date

import pytest

from guide.workdays import add_days, add_workdays, is_workday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 28), True),  # Sunday worked for the 2025 National Day holiday
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),  # adjusted Saturday
        (date(2026, 2, 14), True),  # Saturday worked for the 2026 Spring Festival
        (date(2026, 2, 16), False),
        (date(2026, 9, 20), True),  # Sunday worked for the 2026 National Day holiday
        (date(2026, 10, 10), True),  # adjusted Saturday
        (date(2026, 12, 5), False),  # an ordinary Saturday
    ],
)
def test_official_calendar(day: date, working: bool) -> None:
    assert is_workday(day) == (working, False)


def test_seven_working_days_from_the_day_before_national_day_2025() -> None:
    # Filed Tue 30 Sep 2025: 1–8 Oct off; 9, 10, Sat 11 (worked), 13, 14, 15, 16 Oct.
    deadline = add_workdays(date(2025, 9, 30), 7)
    assert deadline.last_day == date(2025, 10, 16)
    assert not deadline.estimated
    assert add_workdays(date(2025, 9, 30), 3).last_day == date(2025, 10, 11)


def test_filed_on_an_adjusted_saturday_2025() -> None:
    # Sat 11 Oct 2025 is a working day, but the filing day itself never counts.
    assert add_workdays(date(2025, 10, 11), 1).last_day == date(2025, 10, 13)
    assert add_workdays(date(2025, 10, 10), 1).last_day == date(2025, 10, 11)


def test_seven_working_days_over_national_day_2026() -> None:
    # Filed Wed 30 Sep 2026: 1–7 Oct off, Thu 8 and Fri 9 count, Sat 10 Oct is worked, then 12–15.
    assert add_workdays(date(2026, 9, 30), 7).last_day == date(2026, 10, 15)


def test_ten_working_days_over_spring_festival_2026() -> None:
    # Filed Fri 13 Feb 2026: Sat 14 (worked), 15–23 off, 24–27, Sat 28 (worked), 2–5 Mar.
    assert add_workdays(date(2026, 2, 13), 1).last_day == date(2026, 2, 14)
    assert add_workdays(date(2026, 2, 13), 10).last_day == date(2026, 3, 5)


def test_a_year_without_an_official_schedule_is_estimated_and_says_so() -> None:
    deadline = add_workdays(date(2026, 12, 28), 7)
    assert deadline.estimated_years == (2027,)
    assert deadline.last_day.year == 2027
    assert is_workday(date(2027, 1, 1)) == (False, True)


def test_calendar_days_from_acceptance() -> None:
    assert add_days(date(2026, 3, 1), 60).last_day == date(2026, 4, 30)
    assert not add_days(date(2026, 3, 1), 60).estimated


@pytest.mark.parametrize("count", [0, -1, 401])
def test_counts_out_of_range_are_refused(count: int) -> None:
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 5), count)
