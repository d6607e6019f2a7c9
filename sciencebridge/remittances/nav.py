from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    user = getattr(request, "user", None)
    if user and user.is_authenticated and user.has_perm("remittances.ledger_pages"):
        return [(_("Remittances"), reverse("remittances:ledger"))]
    return []
