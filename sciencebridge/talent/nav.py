from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def items(request):
    return [(_("Talent exchange"), reverse("talent:programmes"))]
