from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role

from .rules import is_officer_user


def items(user):
    if not (user and user.is_authenticated):
        return []
    if is_officer_user(user):
        return [(_("Projects"), reverse("projects:officer"))]
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR) or user.has_role(Role.SECRETARIAT):
        return [(_("Projects"), reverse("projects:mine"))]
    if user.led_project_sides.exists():
        return [(_("My projects"), reverse("projects:mine"))]
    return []
