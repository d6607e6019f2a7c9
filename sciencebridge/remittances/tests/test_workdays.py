import datetime as dt

from sciencebridge.remittances import workdays as wd

D = dt.date


def test_hong_kong_holidays_are_not_working_days():
    assert not wd.is_working_day(D(2026, 7, 1))  # HKSAR Establishment Day; a Mainland working day
    assert wd.holiday_names(D(2026, 7, 1))
    assert not wd.is_working_day(D(2026, 12, 25))  # Christmas (HK)
    assert not wd.is_working_day(D(2026, 12, 26))  # Saturday


def test_mainland_holidays_are_not_working_days():
    for day in range(1, 8):  # National Day and Golden Week 2026 (Mainland); HK has only 1 Oct
        assert not wd.is_working_day(D(2026, 10, day)), day
    assert wd.is_working_day(D(2026, 10, 8))


def test_a_weekday_in_both_places_is_a_working_day():
    assert wd.is_working_day(D(2026, 6, 10))
    assert not wd.is_working_day(D(2026, 6, 13))  # Saturday
    # A Mainland make-up working day on a Saturday is still a Hong Kong Saturday.
    assert not wd.is_working_day(D(2026, 10, 10))


def test_add_and_count_working_days():
    assert wd.add_working_days(D(2026, 6, 10), 3) == D(2026, 6, 15)  # Thu, Fri, Mon
    assert wd.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert wd.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 3
    assert wd.working_days_between(D(2026, 10, 12), D(2026, 10, 12)) == 0
