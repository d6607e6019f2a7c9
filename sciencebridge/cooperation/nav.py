from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    user = getattr(request, "user", None)
    out = [(_("Cooperation"), reverse("cooperation:dashboard"))]
    if user and user.is_authenticated and user.has_perm("cooperation.edit_workplan"):
        out.append((_("Workplans"), reverse("cooperation:workplans")))
    return out
