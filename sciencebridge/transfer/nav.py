from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .rules import is_enterprise, is_tto


def items(request):
    """The marketplace is public: one entry for everyone, plus the office for technology-transfer
    offices and the needs page for registered enterprises."""
    user = getattr(request, "user", None)
    out = [(_("Technology marketplace"), reverse("transfer:offers"))]
    if user is not None and user.is_authenticated:
        if is_tto(user):
            out.append((_("Transfer office"), reverse("transfer:office")))
        if is_enterprise(user):
            out.append((_("Our technology needs"), reverse("transfer:needs")))
    return out
