from django.db import migrations, models


def copy_domain(apps, schema_editor):
    Institution = apps.get_model("institutions", "Institution")
    for inst in Institution.objects.exclude(email_domain=""):
        inst.email_domains = inst.email_domain
        inst.save(update_fields=["email_domains"])


def copy_back(apps, schema_editor):
    Institution = apps.get_model("institutions", "Institution")
    for inst in Institution.objects.exclude(email_domains=""):
        inst.email_domain = inst.email_domains.split()[0].removeprefix("*.")[:100]
        inst.save(update_fields=["email_domain"])


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="email_domains",
            field=models.TextField(
                blank=True,
                help_text="The institution's staff e-mail domains, one per line (e.g. hku.hk). A person who confirms an "
                "address at one of them is affiliated without waiting for the research office. Write "
                "*.example.edu to accept every subdomain as well.",
                verbose_name="e-mail domains",
            ),
        ),
        migrations.RunPython(copy_domain, copy_back),
        migrations.RemoveField(model_name="institution", name="email_domain"),
    ]
