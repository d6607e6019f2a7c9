from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Nomination, NominationBatch, NominationExercise


@admin.register(NominationExercise)
class NominationExerciseAdmin(TranslationAdmin):
    list_display = ["code", "name", "year", "opens_on", "closes_on"]
    filter_horizontal = ["nominating_institutions"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["expert", "database", "institution", "consent", "state"]
    list_filter = ["state", "database", "exercise"]
    readonly_fields = ["state", "state_changed_at", "consent", "consent_at"]
    raw_id_fields = ["expert", "batch"]


@admin.register(NominationBatch)
class NominationBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "institution", "n_ok", "n_bad", "created_at"]
