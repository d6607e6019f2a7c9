from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import AnnualReport, Exercise, ExerciseOutcome, LabGrant, LabProgramme


@admin.register(LabProgramme)
class LabProgrammeAdmin(TranslationAdmin):
    list_display = ["code", "name", "platform_kind", "yearly_ceiling", "min_matching", "max_years"]


@admin.register(LabGrant)
class LabGrantAdmin(admin.ModelAdmin):
    list_display = ["platform", "year", "programme", "amount", "state"]
    list_filter = ["state", "programme", "year"]
    readonly_fields = ["state", "state_changed_at"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["grant", "state", "matching"]
    readonly_fields = ["state", "state_changed_at"]


class OutcomeInline(admin.TabularInline):
    model = ExerciseOutcome
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(TranslationAdmin):
    list_display = ["code", "name", "kind", "year"]
    inlines = [OutcomeInline]
