"""Admin: programmes and calls (set up by the secretariat); postings, applications and exchanges
with their history (states change through the services)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Application, Exchange, Posting, Programme, ProgrammeCall


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["code", "name", "kind", "organiser"]
    list_filter = ["kind"]
    raw_id_fields = ["organiser"]


@admin.register(ProgrammeCall)
class ProgrammeCallAdmin(TranslationAdmin):
    list_display = ["code", "title", "programme", "opens_at", "closes_at"]
    list_filter = ["programme"]


@admin.register(Posting)
class PostingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "host", "call", "state", "positions"]
    list_filter = ["state", "host__region"]
    readonly_fields = ["state", "state_changed_at"]
    raw_id_fields = ["call", "host", "posted_by"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["posting", "applicant", "home", "state"]
    list_filter = ["state"]
    readonly_fields = ["state", "state_changed_at"]
    raw_id_fields = ["posting", "applicant", "home"]


@admin.register(Exchange)
class ExchangeAdmin(SimpleHistoryAdmin):
    list_display = ["person_name", "programme", "home", "host", "starts_on", "ends_on", "state"]
    list_filter = ["state", "programme"]
    readonly_fields = ["state", "state_changed_at"]
    raw_id_fields = ["programme", "application", "person", "home", "host"]
