from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .rules import can_search_experts


def items(request):
    """One entry: the expert database, for programme officers, the secretariat and administrators."""
    user = getattr(request, "user", None)
    if user and can_search_experts(user):
        return [(_("Experts"), reverse("experts:list"))]
    return []
