"""The marketplace's two roles as Django groups ("tto", "enterprise"), until accounts.Role lists them."""

from django.db import migrations

ROLES = ("tto", "enterprise")


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("transfer", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
