from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    """Agreements, then sample exports and datasets (``user`` is None on a request refused early)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    return [
        (_("Data flows"), reverse("dataflows:agreements")),
        (_("Samples and datasets"), reverse("dataflows:samples_list")),
    ]
