from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(user):
    if not user.is_authenticated:
        return []
    return [(_("Data flows"), reverse("dataflows:agreements"))]


_agreement_items = items


def items(user):  # noqa: F811  (sample exports and datasets, after the agreements)
    out = _agreement_items(user)
    if user.is_authenticated:
        out.append((_("Samples and datasets"), reverse("dataflows:samples_list")))
    return out
