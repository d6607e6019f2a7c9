from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.models import User
from sciencebridge.accounts.roles import Role
from sciencebridge.core.probes import answered
from sciencebridge.experts.models import ExpertProfile


def probes(user):
    """Whether the user has an expert profile (``core.probes``), unless the page has read it."""
    if User.expert_profile.is_cached(user):
        return {}
    return {"review.expert": ExpertProfile.objects.filter(user=user)}


def items(request):
    user = getattr(request, "user", None)
    out = []
    if not (user and user.is_authenticated):
        return out
    if user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id:
        out.append((_("Review assignment"), reverse("review:home")))
    is_expert = answered(request, "review.expert")
    if is_expert is None:
        is_expert = getattr(user, "expert_profile", None) is not None
    if is_expert:
        out.append((_("My reviews"), reverse("review:mine")))
    return out
