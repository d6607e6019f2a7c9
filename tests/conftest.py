"""Everything under tests/ walks the whole UI (browser flows, the crawl of the demo): marked
``ui_walk``, so that ``scripts/test`` can run these once, in its PostgreSQL pass (``-m "not ui_walk"``
on SQLite). pytest's ``--ignore`` cannot do it: it does not apply to a ``testpaths`` entry."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.ui_walk)
