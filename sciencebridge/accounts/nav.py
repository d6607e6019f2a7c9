from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    user = getattr(request, "user", None)
    if user and user.is_authenticated and user.has_perm("accounts.review_affiliations"):
        return [(_("Affiliations"), reverse("accounts:affiliation_requests"))]
    return []
