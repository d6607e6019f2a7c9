"""``{% load date_range %}`` then ``{% date_range start end %}``: "2025-05-01 – 2025-07-30".

Each date is kept whole (``nowrap``): in a narrow column a browser would otherwise break an ISO date
at its hyphens and a phone would read "20 / 05 / – / 20"."""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag
def date_range(start, end) -> str:
    """Two dates as ``Y-m-d``, joined by an en dash, each in a ``span.nowrap``; a missing date is empty."""
    return format_html(
        '<span class="nowrap">{}</span> – <span class="nowrap">{}</span>',
        _day(start),
        _day(end),
    )


def _day(value) -> str:
    # As the ``date`` filter does: an aware datetime is shown in the current time zone.
    return format_date(template_localtime(value), "Y-m-d") if value else ""
