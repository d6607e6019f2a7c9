from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Institution


@admin.register(Institution)
class InstitutionAdmin(TranslationAdmin):
    list_display = ("code", "name", "region", "type", "category")
    list_filter = ("region", "type", "category")
    search_fields = ("code", "name", "short_name", "email_domains")
