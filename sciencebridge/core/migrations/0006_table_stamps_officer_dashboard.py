"""Stamp triggers (``core.table_stamps``) on the tables of the officer dashboard's sections that
are kept per agency: the budgets of the agency's calls (``decisions.dashboard``) and the review
assignment status of its calls (``review.dashboard``); and on the small tables whose rows every
proposal points to (``funding.reference_rows``)."""

from django.db import migrations

TABLES = (
    "decisions_sidedecision",
    "funding_projecttype",
    "funding_scheme",
    "funding_schemeside",
    "review_assignment",
    "review_assignmentrun",
)


def install(apps, schema_editor):
    from sciencebridge.core.table_stamps import install_triggers

    install_triggers(TABLES, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_table_stamps_project_worklists"),
        ("decisions", "0001_initial"),
        ("funding", "0013_proposal_call_reference_idx"),
        ("review", "0005_seat_state_changed_idx"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
