from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReferenceRate, Remittance


class ReferenceRateResource(resources.ModelResource):
    class Meta:
        model = ReferenceRate
        fields = ("date", "hkd_per_cny", "source")
        import_id_fields = ("date",)


@admin.register(ReferenceRate)
class ReferenceRateAdmin(ImportExportModelAdmin):
    """Reference rates by day, entered here or imported from CSV/XLSX (columns: date, hkd_per_cny,
    source)."""

    resource_classes = [ReferenceRateResource]
    list_display = ("date", "hkd_per_cny", "source")
    date_hierarchy = "date"


@admin.register(Remittance)
class RemittanceAdmin(SimpleHistoryAdmin):
    """Read-only here: every step goes through the services (pages and API), so it has a timeline."""

    list_display = (
        "reference",
        "state",
        "agency",
        "recipient",
        "bank_reference",
        "needs_reconciliation",
    )
    list_filter = ("state", "needs_reconciliation", "agency")
    search_fields = ("reference", "bank_reference")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
