from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    """Nominations concern research offices, programme officers, experts and administrators."""
    user = getattr(request, "user", None)
    if (
        user
        and user.is_authenticated
        and (
            user.has_role("research_office")
            or user.has_role("programme_officer")
            or user.has_role("expert")
            or user.has_role("administrator")
        )
    ):
        return [(_("Expert nominations"), reverse("nominations:list"))]
    return []
