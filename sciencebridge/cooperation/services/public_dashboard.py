"""The public dashboard's figures, kept while the tables they come from are unchanged.

Every visitor sees the same figures (per language and day), computed from ~20 tables in 22
queries: ~20 ms of Python per request on the national-scale data (issue 16). They are kept per
process under those tables' change stamps (``core.table_stamps``), so a visit after any change to
any of them, bulk updates included, sees it at once."""

from django.utils import timezone
from django.utils.translation import get_language

from sciencebridge.core.table_stamps import KeptByTables

from . import charts as ch
from . import progress as prog

_kept = KeptByTables(max_entries=16, max_age=300)


def figures() -> dict:
    """``charts`` (each with its ``fingerprint``), ``plans`` (approved workplans' progress per
    area) and ``live`` (indicators computed from the platform's data). Shared between requests:
    read them, do not change them."""
    key = ("public-dashboard", get_language(), timezone.localdate())
    return _kept.get_or_compute(key, _compute)


def _compute() -> dict:
    cache = prog.MetricCache()
    plans = [
        {"workplan": wp, "areas": prog.workplan_progress(wp, cache)}
        for wp in prog.current_workplans()
    ]
    charts = ch.all_charts()
    for c in charts:
        # A chart's section is kept rendered under a key made of everything it shows (its figures,
        # words and the page's language): drawn again only when a figure changes.
        c["fingerprint"] = ch.fingerprint(c)
    return {"charts": charts, "plans": plans, "live": ch.live_indicators()}
