"""Admin: the registry (reference data, editable: unconfirmed entries are configurable here) and
facilities. Allocation and booking states are read-only: they change through the services."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Allocation, AllocationMember, Booking, Facility, Platform, UsageRecord


@admin.register(Platform)
class PlatformAdmin(TranslationAdmin):
    list_display = ["code", "name", "kind", "cluster", "status", "confidence", "established_year"]
    list_filter = ["kind", "status", "confidence", "cluster"]
    search_fields = ["code", "name", "short_name"]
    filter_horizontal = ["hosts", "partners"]
    raw_id_fields = ["successor"]


@admin.register(Facility)
class FacilityAdmin(TranslationAdmin):
    list_display = ["code", "name", "platform", "kind", "region", "active"]
    list_filter = ["kind", "region", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["managers"]
    raw_id_fields = ["platform"]


class AllocationMemberInline(admin.TabularInline):
    model = AllocationMember
    extra = 0
    raw_id_fields = ["user", "granted_by"]


@admin.register(Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    inlines = [AllocationMemberInline]
    list_display = [
        "project_reference",
        "facility",
        "team_institution",
        "state",
        "hours_approved",
        "cross_boundary",
    ]
    list_filter = ["state", "cross_boundary", "facility__kind"]
    search_fields = ["project_reference"]
    readonly_fields = ["state", "state_changed_at", "cross_boundary"]
    raw_id_fields = ["facility", "proposal", "requested_by", "team_institution"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["facility", "allocation", "starts_at", "ends_at", "state"]
    list_filter = ["state"]
    readonly_fields = ["state", "state_changed_at"]
    raw_id_fields = ["facility", "allocation", "booked_by"]


@admin.register(UsageRecord)
class UsageRecordAdmin(admin.ModelAdmin):
    list_display = ["allocation", "hours", "used_on", "recorded_by"]
    raw_id_fields = ["allocation", "booking", "recorded_by"]
