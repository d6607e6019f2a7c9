"""Row locks before a state transition: two people acting on the same object at the same moment
(an officer withdrawing a seat while its expert accepts it, two officers publishing one run) are
serialised, and the second one sees the state the first one left.

Call inside ``transaction.atomic()``; on SQLite (no row locks) the database serialises writers."""

from django.db import models


def lock(obj: models.Model) -> models.Model:
    """Lock ``obj``'s row (SELECT … FOR UPDATE) and refresh its state field from the database, so the
    caller checks the state it is about to change under the lock. Returns ``obj``."""
    field = getattr(obj, "STATE_FIELD", "state")
    fresh = type(obj).objects.select_for_update().only("pk", field).get(pk=obj.pk)
    setattr(obj, field, getattr(fresh, field))
    return obj
