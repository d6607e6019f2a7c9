"""For tests that compare the queries of two requests."""


def forget_kept_values() -> None:
    """Nothing kept from an earlier request (``core.stamped_cache``, ``core.table_stamps``): the next
    request computes every value afresh, so that two query counts compare the same work (a kept
    value's first computation reads no stamps, a later one does)."""
    from sciencebridge.core import stamped_cache, table_stamps

    stamped_cache.clear_all()
    table_stamps.clear_all()


def page_and_reads(client, url: str, table: str) -> tuple[str, int]:
    """A page's HTML, and how many of its queries read rows of ``table`` (``FROM "<table>"``): none
    when what the page shows of it was kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    return html, sum(f'FROM "{table}"' in q["sql"] for q in ctx.captured_queries)
