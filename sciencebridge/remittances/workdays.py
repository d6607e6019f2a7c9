"""Working days across the boundary: a remittance moves between a Mainland and a Hong Kong bank, so a day
counts only when both are open: Monday to Friday, and a public holiday in neither Hong Kong nor the Mainland
(holidays from the ``holidays`` package, Mainland days off in lieu included). A Mainland make-up working day
(调休) on a weekend does not count: Hong Kong's banks do not settle on weekends."""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _calendars(year: int):
    return holidays.HK(years=year), holidays.CN(years=year)


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    hk, cn = _calendars(day.year)
    return day not in hk and day not in cn


def holiday_names(day: dt.date) -> list[str]:
    hk, cn = _calendars(day.year)
    return [name for name in (hk.get(day), cn.get(day)) if name]


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    left = n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
