"""Number and unit display for the dashboard: the same grouping (1,234,567.5) in every language, and the
units that apps give their metrics translated."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

register = template.Library()

# Units apps register their metrics with (see core.metrics); listed so they are translated.
UNITS = [N_("projects"), N_("proposals"), N_("calls"), N_("HKD"), N_("RMB"), N_("hours"), N_("people"),
         N_("exchanges"), N_("deals"), N_("agreements"), N_("items"), N_("bookings"), N_("postings")]


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
