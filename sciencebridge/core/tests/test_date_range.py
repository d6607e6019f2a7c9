"""``{% date_range start end %}``: two dates kept whole, shown as the ``date`` filter would show them."""

import datetime as dt

from django.template import Context, Template


def _render(start, end) -> str:
    return Template("{% load date_range %}{% date_range a b %}").render(
        Context({"a": start, "b": end})
    )


def _as_date_filter(value) -> str:
    return Template('{{ v|date:"Y-m-d" }}').render(Context({"v": value}))


def test_dates_each_kept_whole():
    html = _render(dt.date(2025, 5, 1), dt.date(2025, 7, 30))
    assert html == '<span class="nowrap">2025-05-01</span> – <span class="nowrap">2025-07-30</span>'


def test_an_aware_datetime_is_shown_in_the_current_time_zone_as_the_date_filter_does():
    # 20:00 UTC on 31 January is 1 February in Hong Kong (the settings' time zone).
    late = dt.datetime(2026, 1, 31, 20, 0, tzinfo=dt.UTC)
    html = _render(late, late)
    assert _as_date_filter(late) == "2026-02-01"
    assert html.count("2026-02-01") == 2 and "2026-01-31" not in html


def test_a_missing_date_is_left_empty():
    assert _render(dt.date(2025, 5, 1), None).endswith('– <span class="nowrap"></span>')
