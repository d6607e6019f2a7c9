"""Admin: each scheme's reporting rules are edited here; money and reports are read-only (services only)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Outcome, Payment, Project, ReportingRules


@admin.register(ReportingRules)
class ReportingRulesAdmin(admin.ModelAdmin):
    list_display = [
        "scheme",
        "report_interval_months",
        "report_due_days",
        "final_due_days",
        "payment_days",
        "first_tranche_percent",
        "retention_percent",
    ]


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Payments, projects and outcomes change only through the services (rules, idempotency, history)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "title", "state", "start_date", "end_date"]
    list_filter = ["state"]
    search_fields = ["reference", "title"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["project_side", "tranche", "amount", "paid_on", "bank_reference", "recorded_by"]
    list_select_related = ["project_side__project", "tranche", "recorded_by"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "kind", "project", "ip_status", "jurisdiction", "date"]
    list_filter = ["kind", "ip_status", "jurisdiction"]
    search_fields = ["title", "application_number"]
