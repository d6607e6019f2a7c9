from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .rules import is_officer_user


def items(user):
    if not (user and user.is_authenticated):
        return []
    if is_officer_user(user):
        return [(_("Projects"), reverse("projects:officer"))]
    if user.led_project_sides.exists() or user.is_superuser:
        return [(_("My projects"), reverse("projects:mine"))]
    return []
