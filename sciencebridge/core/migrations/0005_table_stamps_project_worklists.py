"""Stamp triggers (``core.table_stamps``) on the tables of the projects' worklists that the officer's
dashboard keeps (``projects.dashboard``): reports and tranches. The other tables those lists read
(projects, sides, payments) are stamped since 0004."""

from django.db import migrations

TABLES = ("projects_report", "projects_tranche")


def install(apps, schema_editor):
    from sciencebridge.core.table_stamps import install_triggers

    install_triggers(TABLES, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_table_stamps"),
        ("projects", "0005_list_and_review_order"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
