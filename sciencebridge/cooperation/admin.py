"""Administrator access to the committee's records (the secretariat works through the pages and the API)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agreement,
    CooperationArea,
    Decision,
    Indicator,
    IndicatorValue,
    Meeting,
    Party,
    Workplan,
    WorkplanItem,
)


@admin.register(Party)
class PartyAdmin(TranslationAdmin):
    list_display = ("code", "name", "region")


@admin.register(CooperationArea)
class AreaAdmin(TranslationAdmin):
    list_display = ("code", "name", "order")


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("code", "title", "kind", "signed_on", "status", "confidence")
    list_filter = ("kind", "status", "confidence")
    filter_horizontal = ("parties", "areas")


class DecisionInline(TranslationTabularInline):
    model = Decision
    extra = 1


@admin.register(Meeting)
class MeetingAdmin(TranslationAdmin):
    list_display = ("number", "held_on", "place")
    inlines = [DecisionInline]


@admin.register(Workplan)
class WorkplanAdmin(TranslationAdmin):
    list_display = ("code", "title", "period", "state")
    readonly_fields = ("state",)


@admin.register(WorkplanItem)
class WorkplanItemAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("workplan", "number", "area", "status", "metric_code", "target")
    list_filter = ("workplan", "area", "status")
    readonly_fields = ("status",)


class IndicatorValueInline(TranslationTabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ("code", "name", "unit", "metric_code", "on_dashboard")
    inlines = [IndicatorValueInline]
