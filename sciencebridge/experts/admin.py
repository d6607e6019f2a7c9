from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AvailabilityWindow, DeclaredConflict, ExpertProfile, Publication, ReviewRecord


class PublicationInline(admin.TabularInline):
    model = Publication
    extra = 0
    fields = ["title", "year", "venue", "doi", "source"]


class ConflictInline(admin.TabularInline):
    model = DeclaredConflict
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_zh", "institution", "region", "status", "updated_at"]
    list_filter = ["status", "region"]
    search_fields = ["name_en", "name_zh", "email", "keywords"]
    raw_id_fields = ["user", "institution"]
    filter_horizontal = ["discipline_codes"]
    readonly_fields = [
        "status",
        "state_changed_at",
    ]  # status changes go through the vetting workflow
    inlines = [PublicationInline, ConflictInline]
    list_select_related = ["institution"]


admin.site.register([AvailabilityWindow, ReviewRecord])
