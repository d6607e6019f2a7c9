"""The configurable parts: locations, standard annex versions, which request fields are required."""

from django.contrib import admin

from .models import DataTransferAgreement, Filing, GBALocation, StandardAnnex, SubmissionRequirement


@admin.register(GBALocation)
class GBALocationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "jurisdiction", "in_gba", "holiday_calendar"]


@admin.register(StandardAnnex)
class StandardAnnexAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "published_on",
        "is_current",
        "filing_working_days",
        "retention_years",
    ]

    def get_readonly_fields(self, request, obj=None):
        # a version used by an agreement is never edited: publish a new version instead
        if obj is not None and DataTransferAgreement.objects.filter(annex=obj).exists():
            return [f.name for f in obj._meta.fields if f.name != "is_current"]
        return []


@admin.register(SubmissionRequirement)
class SubmissionRequirementAdmin(admin.ModelAdmin):
    list_display = ["field", "required", "note"]
    list_editable = ["required"]


@admin.register(DataTransferAgreement)
class DataTransferAgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "state", "effective_date"]
    list_filter = ["state"]
    readonly_fields = ["state"]


@admin.register(Filing)
class FilingAdmin(admin.ModelAdmin):
    list_display = ["agreement", "party", "due_date", "filed_on", "reference"]


from . import admin_samples  # noqa: E402,F401  (pilot units, the white-list rule, exports, datasets)
