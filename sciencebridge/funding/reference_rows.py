"""The rows of the small tables that every proposal row points to (calls with their schemes and
scheme sides, thematic areas, project types, institutions), kept per process while those tables
are unchanged (``core.table_stamps``).

The API's page of 50 proposals read them again on every request: four of its ten queries for
the page's twenty-odd rows of tables that change a few times a year (issue 16). Kept, they cost
one read of their stamps. They are shared between requests: attach them, read them, never change
them (``core.prefetched.attach_one(..., known=...)`` reads any row missing from them)."""

from sciencebridge.core.prefetched import rows_prefetch
from sciencebridge.core.table_stamps import KeptByTables
from sciencebridge.institutions.models import Institution

from .models import Call, ProjectType, ThematicArea

_kept = KeptByTables(max_entries=4, max_age=300)


def reference_rows() -> dict[str, dict]:
    """``{"call" | "area" | "project_type" | "institution": {id: row}}``."""
    return _kept.get_or_compute(("funding.reference_rows",), _read)


def _read() -> dict[str, dict]:
    return {
        "call": Call.objects.select_related("scheme")
        .prefetch_related(rows_prefetch("scheme__sides"))
        .in_bulk(),
        "area": ThematicArea.objects.in_bulk(),
        "project_type": ProjectType.objects.in_bulk(),
        "institution": Institution.objects.in_bulk(),
    }
