from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    user = getattr(request, "user", None)
    out = [(_("Calls"), reverse("funding:calls"))]
    if user and user.is_authenticated:
        if user.has_role("applicant"):
            out.append((_("My proposals"), reverse("funding:my_proposals")))
        if user.has_role("research_office"):
            out.append((_("Endorsements"), reverse("funding:office_queue")))
    return out
