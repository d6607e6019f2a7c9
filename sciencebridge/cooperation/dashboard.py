"""The secretariat's panel on the signed-in dashboard: open workplan items that are off track."""

from django.utils.translation import gettext_lazy as _

from .services.progress import off_track_items


def panels(request):
    if not request.user.has_perm("cooperation.edit_workplan"):
        return []
    return [
        {
            "title": _("Workplan items off track"),
            "template": "cooperation/_panel_off_track.html",
            "rows": off_track_items(),
        }
    ]
