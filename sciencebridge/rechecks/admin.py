from django.contrib import admin

from .models import RecheckPolicy


@admin.register(RecheckPolicy)
class RecheckPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "scheme_side",
        "allowed",
        "request_window_days",
        "handling_days",
        "reminder_days",
    ]
    list_select_related = ["scheme_side__scheme"]
