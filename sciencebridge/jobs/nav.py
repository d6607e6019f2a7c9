from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    user = getattr(request, "user", None)
    if user and user.is_authenticated and user.has_perm("jobs.view_all_jobs"):
        return [(_("Jobs needing attention"), reverse("jobs:attention"))]
    return []
