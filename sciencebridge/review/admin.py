from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    AssignmentRun,
    Review,
    ReviewPolicy,
    ReviewWindow,
    SideReviewRules,
)


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "scheme",
        "reviews_needed",
        "max_load",
        "min_hk_reviewers",
        "min_ml_reviewers",
        "review_days",
    ]


@admin.register(ReviewWindow)
class ReviewWindowAdmin(admin.ModelAdmin):
    list_display = ["call", "side", "deadline", "reminder_days"]
    list_filter = ["side"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["id", "call", "side", "mode", "state", "objective", "gap", "created_at"]
    list_filter = ["state", "side"]
    readonly_fields = [f.name for f in AssignmentRun._meta.fields]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["id", "proposal", "half", "expert", "affinity", "source", "state"]
    list_filter = ["state", "source"]
    raw_id_fields = ["run", "proposal", "half", "expert", "replacement_for"]
    exclude = ["token"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["id", "assignment", "state", "weighted_score", "recommendation", "submitted_at"]
    list_filter = ["state", "recommendation"]
    raw_id_fields = ["assignment"]


@admin.register(SideReviewRules)
class SideReviewRulesAdmin(admin.ModelAdmin):
    list_display = [
        "scheme_side",
        "reviews_invited",
        "min_valid_reviews",
        "min_overseas_percent",
        "valid_requires_on_time",
        "similarity_threshold",
    ]
