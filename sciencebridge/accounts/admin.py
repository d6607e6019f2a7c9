from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("ScienceBridge", {"fields": ("name_zh", "title", "department", "institution", "agency", "preferred_language")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "institution", "agency")
    list_filter = ("groups", "institution__region")
