"""Project outcomes (projects.Outcome) that a technology-transfer office turns into offers.

A TTO may offer the patents and other IP of projects its institution leads a side of (outcome of that
side, or of both sides). The offer form is pre-filled from the outcome: title, description, IP status,
jurisdiction and number.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import IPStatus
from ..rules import is_tto

IP_KINDS = ("patent", "other_ip")
IP_STATUS_FROM_OUTCOME = {
    "filed": IPStatus.FILED,
    "published": IPStatus.FILED,
    "granted": IPStatus.GRANTED,
    "licensed": IPStatus.GRANTED,
}


def outcome_model():
    try:
        return apps.get_model("projects", "Outcome")
    except LookupError:  # the projects app has no outcomes (yet)
        return None


def ip_outcomes_for_tto(user) -> QuerySet | list:
    """Patents and other IP of projects the TTO's institution takes part in, not yet offered."""
    Outcome = outcome_model()
    if Outcome is None or not is_tto(user):
        return []
    # One join: the side of the project this institution leads, and an outcome of that side or of both.
    mine = Q(project__sides__institution_id=user.institution_id) & (
        Q(side="") | Q(side=F("project__sides__side"))
    )
    ids = Outcome.objects.filter(mine, kind__in=IP_KINDS).values("id")
    return (
        Outcome.objects.filter(id__in=ids, technology_offer__isnull=True)
        .select_related("project")
        .order_by("-date", "-id")
    )


def outcome_for_tto(user, outcome_id):
    Outcome = outcome_model()
    if Outcome is None:
        raise Http404
    try:
        return ip_outcomes_for_tto(user).get(pk=int(outcome_id))
    except (Outcome.DoesNotExist, ValueError, TypeError, AttributeError):
        raise PermissionDenied(
            _("This outcome is not an unoffered patent or IP of your institution's projects.")
        ) from None


def initial_from_outcome(outcome) -> dict:
    ip = IP_STATUS_FROM_OUTCOME.get(getattr(outcome, "ip_status", ""), "")
    if not ip and getattr(outcome, "kind", "") == "other_ip":
        ip = IPStatus.SOFTWARE
    return {
        "title_en": outcome.title[:200],
        "summary_en": outcome.description,
        "ip_status": ip or IPStatus.FILED,
        "ip_jurisdiction": getattr(outcome, "jurisdiction", ""),
        "ip_reference": getattr(outcome, "application_number", ""),
        "offer_types": ["licence"],
    }
