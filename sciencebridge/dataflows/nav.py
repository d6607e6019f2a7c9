from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(user):
    if not user.is_authenticated:
        return []
    return [(_("Data flows"), reverse("dataflows:agreements"))]
