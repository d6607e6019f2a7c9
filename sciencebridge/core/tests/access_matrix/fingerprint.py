"""A cheap fingerprint of the whole database: the row count of every table of the project (history tables
included, so any save of a tracked model shows) and the full content of the models that keep no history."""

import hashlib

from django.apps import apps
from django.db import connection

UNTRACKED = ("cooperation.Meeting", "cooperation.Workplan", "transfer.TechnologyNeed", "transfer.SavedSearch",
             "platforms.Booking", "experts.Publication", "funding.TeamMember", "funding.BudgetLine",
             "review.ReviewScore", "review.ReviewWindow", "review.AssignmentRun")


def _tables():
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                   if m.__module__.startswith("sciencebridge") or m._meta.auto_created})


def fingerprint() -> str:
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in _tables())
    h = hashlib.sha256()
    with connection.cursor() as cur:
        cur.execute(sql)
        h.update(repr(cur.fetchone()).encode())
    for label in UNTRACKED:
        model = apps.get_model(label)
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        h.update(repr(list(model._base_manager.order_by("pk").values_list(*fields))).encode())
    return h.hexdigest()
