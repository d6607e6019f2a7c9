"""For tests that compare the queries of two requests."""


def forget_kept_values() -> None:
    """Nothing kept from an earlier request (``core.stamped_cache``, ``core.table_stamps``): the next
    request computes every value afresh, so that two query counts compare the same work (a kept
    value's first computation reads no stamps, a later one does)."""
    from sciencebridge.core import stamped_cache, table_stamps

    stamped_cache.clear_all()
    table_stamps.clear_all()
