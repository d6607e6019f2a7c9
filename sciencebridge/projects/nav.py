from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.probes import answered

from .models import ProjectSide
from .rules import is_officer_user, reads_all_projects


def probes(user):
    """Whether the user leads a project side (``core.probes``), for those who see only their own."""
    if is_officer_user(user) or reads_all_projects(user):
        return {}
    return {"projects.lead": ProjectSide.objects.filter(lead=user)}


def items(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    if is_officer_user(user):
        return [(_("Projects"), reverse("projects:officer"))]
    if reads_all_projects(user):
        return [(_("Projects"), reverse("projects:mine"))]
    leads = answered(request, "projects.lead")
    if leads if leads is not None else user.led_project_sides.exists():
        return [(_("My projects"), reverse("projects:mine"))]
    return []
