from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role


def items(user):
    out = []
    if not (user and user.is_authenticated):
        return out
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        out.append((_("Review assignment"), reverse("review:home")))
    if getattr(user, "expert_profile", None) is not None:
        out.append((_("My reviews"), reverse("review:mine")))
    return out
