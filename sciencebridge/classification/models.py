from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassificationScheme(models.Model):
    """A discipline classification: NSFC application codes, RGC subject panels, GB/T 13745."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40, blank=True)

    def __str__(self):
        return self.name


class DisciplineCode(models.Model):
    scheme = models.ForeignKey(ClassificationScheme, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=20)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=255)
    level = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="uniq_code_per_scheme")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
