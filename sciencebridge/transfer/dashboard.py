"""Dashboard sections: a TTO sees the expressions of interest to answer; an enterprise the offers
that match its open needs."""

from django.utils.translation import gettext_lazy as _

from . import matching_adapter as ma
from . import selectors
from .rules import is_enterprise, is_tto

NEEDS_SHOWN = 5
MATCHES_PER_NEED = 3


def panels(request):
    user = request.user
    out = []
    if is_tto(user):
        out.append(
            {
                "title": _("Expressions of interest to answer"),
                "template": "transfer/_dashboard_tto.html",
                "eois": list(selectors.eois_to_answer(user)[:20]),
            }
        )
    if is_enterprise(user):
        visible = selectors.visible_offers(user)
        rows = [
            {"need": n, "matches": ma.offers_for_need(n, visible=visible, limit=MATCHES_PER_NEED)}
            for n in selectors.my_needs(user)
            .filter(state="open")
            .prefetch_related("discipline_codes__scheme")[:NEEDS_SHOWN]
        ]
        out.append(
            {
                "title": _("Offers matching our needs"),
                "template": "transfer/_dashboard_enterprise.html",
                "rows": rows,
            }
        )
    return out
