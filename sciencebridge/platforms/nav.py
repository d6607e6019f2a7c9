from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    user = getattr(request, "user", None)
    out = [(_("Labs and platforms"), reverse("platforms:list"))]
    if (
        user and user.is_authenticated
    ):  # people named on an allocation need not share its institution
        out.append((_("Facility time"), reverse("platforms:my_allocations")))
    return out
