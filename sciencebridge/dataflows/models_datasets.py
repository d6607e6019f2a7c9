"""The register of non-personal research data shared within a project.

Even when no personal information moves (so no GBA Standard Contract is needed), the agencies want to
see what data crosses the boundary: each entry says what the dataset is, where it is held, under which
licence, who may access it and how it is classified. Classifications and licences are configurable
(:mod:`.dataset_options`), as no official research-data form exists ([U] in domain.md §3).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dataset_options import classifications, licences


class HeldIn(models.TextChoices):
    HONG_KONG = "HK", _("Hong Kong")
    MAINLAND = "ML", _("Mainland")
    BOTH = "both", _("Both sides")


class DatasetAccess(models.TextChoices):
    TEAM = "team", _("The project team only")
    INSTITUTIONS = "institutions", _("The named institutions")
    ON_REQUEST = "on_request", _("Researchers on request")
    PUBLIC = "public", _("Anyone")


class DatasetState(models.TextChoices):
    ACTIVE = "active", _("Shared")
    RETIRED = "retired", _("No longer shared")


class ResearchDataset(models.Model):
    TRANSITIONS = {
        DatasetState.ACTIVE: {DatasetState.RETIRED},
        DatasetState.RETIRED: {DatasetState.ACTIVE},
    }

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    title = models.CharField(_("dataset"), max_length=300)
    description = models.TextField(_("what it contains"), max_length=5000)
    holder = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="held_datasets",
    )
    held_in = models.CharField(_("held in"), max_length=4, choices=HeldIn.choices)
    location = models.CharField(
        _("where held"),
        max_length=300,
        help_text=_("The repository, server or service, e.g. “HKU DataHub” or “SIAT cluster”."),
    )
    licence = models.CharField(_("licence"), max_length=40, choices=licences)
    licence_note = models.CharField(_("licence details"), max_length=500, blank=True)
    access = models.CharField(_("who may access"), max_length=15, choices=DatasetAccess.choices)
    access_institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("institutions with access"),
        blank=True,
        related_name="+",
    )
    classification = models.CharField(_("classification"), max_length=40, choices=classifications)
    size_note = models.CharField(_("size"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=DatasetState.choices,
        default=DatasetState.ACTIVE,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("research dataset")
        verbose_name_plural = _("research datasets")

    def __str__(self):
        return self.title
