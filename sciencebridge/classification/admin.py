from django.contrib import admin

from .models import ClassificationScheme, DisciplineCode

admin.site.register(ClassificationScheme)


@admin.register(DisciplineCode)
class DisciplineCodeAdmin(admin.ModelAdmin):
    list_display = ("scheme", "code", "name", "level")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name")
