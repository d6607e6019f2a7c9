from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AffiliationMethod, AffiliationRequest, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "ScienceBridge",
            {
                "fields": (
                    "name_zh",
                    "title",
                    "department",
                    "institution",
                    "affiliation_method",
                    "affiliation_verified_at",
                    "affiliation_verified_by",
                    "agency",
                    "preferred_language",
                )
            },
        ),
    )
    readonly_fields = ("affiliation_method", "affiliation_verified_at", "affiliation_verified_by")
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "institution",
        "affiliation_method",
        "agency",
    )
    list_filter = ("groups", "institution__region", "affiliation_method")

    def save_model(self, request, obj, form, change):
        # An administrator setting (or changing) the institution verifies it, recorded as theirs.
        if "institution" in form.changed_data or (
            obj.institution_id and not obj.affiliation_method
        ):
            obj.set_verified_institution(
                obj.institution, AffiliationMethod.ADMINISTRATOR, by=request.user
            )
        super().save_model(request, obj, form, change)


@admin.register(AffiliationRequest)
class AffiliationRequestAdmin(admin.ModelAdmin):
    """Read-only record; decisions are taken on the research office's page (accounts:affiliation_requests)."""

    list_display = (
        "user",
        "institution",
        "email",
        "state",
        "method",
        "decided_by",
        "decided_at",
        "created_at",
    )
    list_filter = ("state", "method", "institution__region")
    search_fields = ("user__username", "user__email", "email", "institution__code")
    readonly_fields = [f.name for f in AffiliationRequest._meta.fields]

    def has_add_permission(self, request):
        return False
