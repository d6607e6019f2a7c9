"""Number and unit display for the dashboard: the same grouping (1,234,567.5) in every language, and the
units that apps give their metrics translated."""

from django import template
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# Units apps register their metrics with (see core.metrics); listed so that makemessages extracts them
# (it knows gettext_noop by that name only, not under an alias).
UNITS = [
    gettext_noop("projects"),
    gettext_noop("proposals"),
    gettext_noop("calls"),
    gettext_noop("HKD"),
    gettext_noop("RMB"),
    gettext_noop("hours"),
    gettext_noop("people"),
    gettext_noop("exchanges"),
    gettext_noop("deals"),
    gettext_noop("agreements"),
    gettext_noop("items"),
    gettext_noop("bookings"),
    gettext_noop("postings"),
    gettext_noop("platforms"),
    gettext_noop("awards"),
    gettext_noop("patents"),
    gettext_noop("prototypes"),
    gettext_noop("publications"),
    gettext_noop("companies"),
    gettext_noop("standards"),
    gettext_noop("offers"),
    gettext_noop("applications"),
]


@register.filter
def num(value):
    """1234567.891 → "1,234,567.89"; 12.0 → "12"; None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    if f == int(f):
        return f"{int(f):,}"
    return f"{f:,.2f}".rstrip("0").rstrip(".")


@register.filter
def unit(value):
    return gettext(value) if value else ""
