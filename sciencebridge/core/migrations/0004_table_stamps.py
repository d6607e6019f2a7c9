"""The stamp table (SQLite) and the stamp triggers on the tables the public dashboard's figures read
(``core.table_stamps``). The list is written out here, as the tables stood when this ran: a later
migration that tracks more tables calls ``install_triggers`` with those."""

from django.db import migrations, models

TABLES = (
    "cooperation_agreement",
    "cooperation_cooperationarea",
    "cooperation_indicator",
    "cooperation_indicatorvalue",
    "cooperation_meeting",
    "cooperation_milestone",
    "cooperation_workplan",
    "cooperation_workplanitem",
    "core_statetransition",
    "dataflows_datatransferagreement",
    "dataflows_filing",
    "dataflows_gbalocation",
    "dataflows_hgrexportapplication",
    "dataflows_hgrtransfer",
    "dataflows_researchdataset",
    "django_content_type",
    "funding_call",
    "funding_jointproposal",
    "funding_proposalhalf",
    "funding_thematicarea",
    "institutions_institution",
    "labfunding_labgrant",
    "nominations_nomination",
    "nominations_nominationexercise",
    "platforms_allocation",
    "platforms_booking",
    "platforms_platform",
    "platforms_usagerecord",
    "projects_outcome",
    "projects_payment",
    "projects_project",
    "projects_projectside",
    "remittances_remittance",
    "talent_application",
    "talent_exchange",
    "transfer_deal",
    "transfer_technologyoffer",
)


def install(apps, schema_editor):
    from sciencebridge.core.table_stamps import install_triggers

    install_triggers(TABLES, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_transition_type_id_idx"),
        ("cooperation", "0002_item_converted_fields"),
        ("dataflows", "0002_hgr_samples_datasets"),
        ("funding", "0013_proposal_call_reference_idx"),
        ("institutions", "0002_email_domains_list"),
        ("labfunding", "0001_initial"),
        ("nominations", "0001_initial"),
        ("platforms", "0003_allocation_members"),
        ("projects", "0005_list_and_review_order"),
        ("remittances", "0001_initial"),
        ("talent", "0002_posting_languages"),
        ("transfer", "0008_offer_stamp_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableStamp",
            fields=[
                (
                    "table_name",
                    models.CharField(max_length=63, primary_key=True, serialize=False),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "core_tablestamp"},
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
