"""Admin: pilot units and the sample-flow rules (the white-list switch) are set up by the secretariat;
applications, transfers and datasets are shown with their history (states change through the services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models_datasets import ResearchDataset
from .models_samples import HgrExportApplication, HgrTransfer, PilotUnit, SampleFlowRule


@admin.register(PilotUnit)
class PilotUnitAdmin(admin.ModelAdmin):
    list_display = ["institution", "kind", "parent", "admitted_on", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["institution", "parent"]


@admin.register(SampleFlowRule)
class SampleFlowRuleAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "whitelist_enabled", "note"]


@admin.register(HgrExportApplication)
class HgrExportApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "pilot_unit", "recipient", "sample_kind", "quantity", "state"]
    list_filter = ["state", "sample_kind"]
    readonly_fields = ["state", "state_changed_at"]
    raw_id_fields = ["pilot_unit", "applicant", "recipient", "project"]


@admin.register(HgrTransfer)
class HgrTransferAdmin(SimpleHistoryAdmin):
    list_display = ["application", "quantity", "shipped_on", "review", "state"]
    list_filter = ["review", "state", "sample_kind"]
    readonly_fields = ["state", "state_changed_at", "review"]
    raw_id_fields = ["application", "sender", "recipient", "recorded_by"]


@admin.register(ResearchDataset)
class ResearchDatasetAdmin(SimpleHistoryAdmin):
    list_display = ["title", "project", "holder", "classification", "state"]
    list_filter = ["classification", "held_in", "state"]
    readonly_fields = ["state", "state_changed_at"]
    raw_id_fields = ["project", "holder", "registered_by"]
    filter_horizontal = ["access_institutions"]
