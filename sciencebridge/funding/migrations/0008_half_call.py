"""Each half carries its proposal's call (issue 16): filled from the proposals, then required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# A correlated subquery rather than UPDATE … FROM: the same statement on SQLite and PostgreSQL.
BACKFILL = """
UPDATE {table} SET call_id = (
    SELECT p.call_id FROM funding_jointproposal p WHERE p.id = {table}.proposal_id
) WHERE call_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("classification", "0001_initial"),
        ("funding", "0007_merge_20261203_0620"),
        ("institutions", "0002_email_domains_list"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalproposalhalf",
            name="call",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="funding.call",
            ),
        ),
        migrations.AddField(
            model_name="proposalhalf",
            name="call",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="funding.call",
            ),
        ),
        migrations.RunSQL(BACKFILL.format(table="funding_proposalhalf"), migrations.RunSQL.noop),
        migrations.RunSQL(
            BACKFILL.format(table="funding_historicalproposalhalf"), migrations.RunSQL.noop
        ),
        migrations.AlterField(
            model_name="proposalhalf",
            name="call",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="funding.call",
            ),
        ),
        migrations.AddIndex(
            model_name="proposalhalf",
            index=models.Index(
                fields=["call", "agency", "state"], name="funding_pro_call_id_d62ef8_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="proposalhalf",
            index=models.Index(
                fields=["call", "side", "state"], name="funding_pro_call_id_232c16_idx"
            ),
        ),
    ]
