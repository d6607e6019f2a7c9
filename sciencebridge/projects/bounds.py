"""Domain bounds of what people type into a project's records: dates within a sensible window around
the project and texts of a stated length. The forms state them; the services enforce them."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

#: Reports are a few pages of text; the PDF carries the rest.
REPORT_TEXT_MAX = 20000
#: Descriptions, comments and reasons.
NOTE_MAX = 5000
#: Money may be advanced on signing, a little before the official start date.
PAYMENT_EARLIEST_BEFORE_START = dt.timedelta(days=30)
#: An extension moves the end date by at most this much at a time.
EXTENSION_MAX_MONTHS = 36
#: Outcomes from the year before the project (preliminary work) to a year ahead (accepted, in press).
OUTCOME_WINDOW = dt.timedelta(days=366)


def _d(value: dt.date) -> str:
    return value.strftime("%Y-%m-%d")


def paid_on_error(project, paid_on: dt.date) -> str | None:
    today = timezone.localdate()
    earliest = project.start_date - PAYMENT_EARLIEST_BEFORE_START
    if paid_on > today:
        return _("A payment is recorded once made: the date cannot be after today (%(today)s).") % {
            "today": _d(today)
        }
    if paid_on < earliest:
        return _(
            "The project started on %(start)s; a payment dated before %(earliest)s cannot belong to it."
        ) % {"start": _d(project.start_date), "earliest": _d(earliest)}
    return None


def extension_error(project, new_end: dt.date) -> str | None:
    latest = project.end_date + relativedelta(months=EXTENSION_MAX_MONTHS)
    if new_end > latest:
        return _(
            "An extension moves the end date by at most %(n)d months at a time (to %(latest)s at the latest)."
        ) % {"n": EXTENSION_MAX_MONTHS, "latest": _d(latest)}
    return None


def outcome_date_error(project, date: dt.date | None) -> str | None:
    if date is None:
        return None
    earliest = project.start_date - OUTCOME_WINDOW
    latest = timezone.localdate() + OUTCOME_WINDOW
    if not earliest <= date <= latest:
        return _(
            "Give a date between %(earliest)s and %(latest)s (from the year before the project to a year "
            "from now)."
        ) % {"earliest": _d(earliest), "latest": _d(latest)}
    return None


def length_errors(limits: dict[str, int], values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, limit in limits.items():
        value = values.get(field) or ""
        if len(value) > limit:
            errors[field] = [
                _("At most %(limit)s characters (this has %(n)s).")
                % {"limit": f"{limit:,}", "n": f"{len(value):,}"}
            ]
    return errors
