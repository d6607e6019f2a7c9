from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role


def items(request):
    user = getattr(request, "user", None)
    if (
        user
        and user.is_authenticated
        and (user.has_role(Role.PANEL_CHAIR) or user.has_role(Role.PROGRAMME_OFFICER))
    ):
        return [(_("Panels and decisions"), reverse("decisions:index"))]
    return []
