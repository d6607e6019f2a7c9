"""Demo recheck requests, built through the services (after the funding, review and decision demos): on
the sides that take rechecks (NSFC's, in the JRS call), one request still open, one reversed (the half
returns to review) and one upheld. Each is filed a few days after its screening decision and decided
within the 60 days, on the simulated clock."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from sciencebridge.funding.models import SUBMITTED_STATES, HalfState, ProposalHalf
from sciencebridge.funding.rules import screening_blocker
from sciencebridge.funding.services import proposals as fsvc

from . import services as svc
from .models import RecheckPolicy

REASONS = {
    "requested": "The signed institutional undertaking was uploaded with the budget form (page 4); "
    "we attach it again.",
    "reversed": "The lead's appointment runs to 2029: the HR letter attached confirms the extension "
    "signed before the deadline.",
    "upheld": "The co-investigator's second role should not count: the other proposal was withdrawn.",
}
DECISIONS = {
    "reversed": "The extension letter predates the deadline; the lead is eligible. Returned to review.",
    "upheld": "The other proposal was withdrawn after this call closed; the role limit applies on the "
    "closing date.",
}
INELIGIBLE_REASON = "The lead's appointment ends before the project would (appointment letter)."


@contextmanager
def at(moment):
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _officer(half):
    return (
        get_user_model()
        .objects.filter(agency_id=half.agency_id, groups__name="programme_officer")
        .order_by("pk")
        .first()
    )


def _candidates():
    allowed = RecheckPolicy.objects.filter(allowed=True).values_list("scheme_side_id", flat=True)
    halves = (
        ProposalHalf.objects.filter(
            proposal__call__code__startswith="jrs-", lead__isnull=False, recheck_requests=None
        )
        .select_related("proposal__call__scheme", "agency", "lead")
        .prefetch_related("proposal__halves", "proposal__call__scheme__sides")
        .order_by("proposal__reference", "side")
    )
    return [h for h in halves if h.proposal.call.scheme.side(h.side).pk in set(allowed)]


def seed(command, rng):
    if not RecheckPolicy.objects.filter(allowed=True).exists():
        return
    # E-mails are sent inline, inside seed_demo's in-memory mail backend (not by a thread afterwards).
    with override_settings(JOBS_BACKEND="sync"), transaction.atomic():
        made = _seed(rng)
    if made and command is not None:
        command.stdout.write(f"Recheck requests: {', '.join(made)}")


def _seed(rng) -> list[str]:
    halves = _candidates()
    partner_ok = [
        h
        for h in halves
        if (p := next((x for x in h.proposal.halves.all() if x.pk != h.pk), None))
        and p.state in SUBMITTED_STATES
    ]
    ineligible = [h for h in partner_ok if h.state == HalfState.INELIGIBLE]
    # Screen a few more halves ineligible (officers' reason) where the demo has too few.
    for h in [h for h in partner_ok if h.state in (HalfState.SUBMITTED, HalfState.ENDORSED)]:
        if len(ineligible) >= 3:
            break
        if screening_blocker(h) is None:
            fsvc.screen(_officer(h), h, eligible=False, reason=INELIGIBLE_REASON)
            ineligible.append(h)
    made = []
    now = timezone.now()
    for kind, half in zip(("reversed", "upheld", "requested"), ineligible, strict=False):
        half.refresh_from_db()
        filed = min(half.state_changed_at + dt.timedelta(days=rng.randint(2, 10)), now)
        with at(filed):
            req = svc.request_recheck(half.lead, half, reasons=REASONS[kind])
        if kind != "requested":
            decided = min(filed + dt.timedelta(days=rng.randint(10, 40)), now)
            with at(decided):
                svc.decide(_officer(half), req, reverse=kind == "reversed", reason=DECISIONS[kind])
        made.append(f"{half.proposal.reference} {half.side} {kind}")
    return made
