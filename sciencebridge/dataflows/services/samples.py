"""Human genetic resources: export applications from pilot units, the authority's approval, and the
transfers recorded against it — every rule of the sample flow.

Each function checks permission first and raises ``PermissionDenied`` or a ``ValidationError`` keyed by
field, so a refused action changes nothing. Every state change goes through ``core.workflow.transition``.

The white-list model ([P] in domain.md: proposed for the Hetao co-operation zone, not adopted) is a
switch held as data (``SampleFlowRule``; without a row, ``settings.DATAFLOWS_HGR_WHITELIST``): when on,
a transfer of a kind of sample between two institutions that already had a transfer of that kind
cleared (or notified) is a simplified notification; any other transfer gets a full review.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sciencebridge.core.workflow import record_initial_state, transition
from sciencebridge.institutions.models import Region

from ..models_samples import (
    COUNTED_TRANSFER_STATES,
    HgrApplicationState,
    HgrExportApplication,
    HgrTransfer,
    HgrTransferState,
    PilotUnit,
    SampleFlowRule,
    SampleKind,
    TransferReview,
)

TEXT_MAX = 5000


def whitelist_enabled(on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    rule = SampleFlowRule.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if rule is not None:
        return rule.whitelist_enabled
    return bool(getattr(settings, "DATAFLOWS_HGR_WHITELIST", False))


def _next_reference() -> str:
    year = timezone.localdate().year
    prefix = f"HGR-{year}-"
    last = (
        HgrExportApplication.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def _positive(value, field, errors):
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors[field] = _("Give a whole number greater than zero.")
        return None
    if n <= 0:
        errors[field] = _("Give a whole number greater than zero.")
        return None
    return n


@transaction.atomic
def create_application(
    user,
    *,
    pilot_unit: PilotUnit,
    recipient,
    sample_kind: str,
    quantity,
    purpose: str,
    unit: str = "",
    conditions: str = "",
    project=None,
) -> HgrExportApplication:
    """A pilot unit's draft application to export human genetic resources to Hong Kong."""
    if not user.has_perm("dataflows.apply_export"):
        raise PermissionDenied(_("Only members of a pilot unit apply to export samples."))
    errors = {}
    if pilot_unit is None or not pilot_unit.active:
        errors["pilot_unit"] = _("Choose an active pilot unit.")
    elif pilot_unit.institution_id != user.institution_id:
        errors["pilot_unit"] = _("You apply for your own institution's pilot unit only.")
    if recipient is None or recipient.region != Region.HONG_KONG:
        errors["recipient"] = _(
            "Under the trial scheme human genetic resources are exported to Hong Kong: choose a "
            "recipient institution in Hong Kong."
        )
    if sample_kind not in SampleKind.values:
        errors["sample_kind"] = _("Choose the kind of sample.")
    quantity = _positive(quantity, "quantity", errors)
    if not (purpose or "").strip():
        errors["purpose"] = _("Say what the samples are for.")
    elif len(purpose) > TEXT_MAX:
        errors["purpose"] = _("At most %(n)d characters.") % {"n": TEXT_MAX}
    if len(conditions or "") > TEXT_MAX:
        errors["conditions"] = _("At most %(n)d characters.") % {"n": TEXT_MAX}
    if project is not None and not user.has_perm("projects.view_project", project):
        errors["project"] = _("Link a project you take part in.")
    if errors:
        raise ValidationError(errors)
    app = HgrExportApplication.objects.create(
        reference=_next_reference(),
        pilot_unit=pilot_unit,
        applicant=user,
        recipient=recipient,
        project=project,
        sample_kind=sample_kind,
        quantity=quantity,
        unit=(unit or "").strip()[:40] or "samples",
        purpose=purpose.strip(),
        conditions=(conditions or "").strip(),
    )
    record_initial_state(app, actor=user)
    return app


@transaction.atomic
def submit(user, app: HgrExportApplication, *, reason: str = "") -> HgrExportApplication:
    if not user.has_perm("dataflows.send_samples", app):
        raise PermissionDenied(_("Only the pilot unit submits its application."))
    transition(app, HgrApplicationState.SUBMITTED, actor=user, reason=reason)
    return app


@transaction.atomic
def withdraw(user, app: HgrExportApplication, *, reason: str = "") -> HgrExportApplication:
    if not user.has_perm("dataflows.send_samples", app):
        raise PermissionDenied(_("Only the pilot unit withdraws its application."))
    transition(app, HgrApplicationState.WITHDRAWN, actor=user, reason=reason)
    return app


@transaction.atomic
def record_approval(
    user,
    app: HgrExportApplication,
    *,
    approval_reference: str,
    approval_date,
    approved_quantity=None,
    valid_until=None,
    conditions: str | None = None,
) -> HgrExportApplication:
    """Record the authority's approval: its reference and date, the quantity approved (at most the
    quantity asked for; default all of it), how long it is valid and its conditions."""
    if not user.has_perm("dataflows.decide_export", app):
        raise PermissionDenied(
            _("The secretariat or the project's programme officers record approvals.")
        )
    errors = {}
    ref = (approval_reference or "").strip()
    if not ref:
        errors["approval_reference"] = _("Give the approval's reference.")
    elif HgrExportApplication.objects.filter(approval_reference=ref).exclude(pk=app.pk).exists():
        errors["approval_reference"] = _(
            "This approval reference is already recorded on %(ref)s."
        ) % {"ref": HgrExportApplication.objects.filter(approval_reference=ref).first().reference}
    if approval_date is None:
        errors["approval_date"] = _("Give the approval's date.")
    elif approval_date > timezone.localdate():
        errors["approval_date"] = _("An approval cannot be dated in the future.")
    if approved_quantity in (None, ""):
        approved_quantity = app.quantity
    else:
        approved_quantity = _positive(approved_quantity, "approved_quantity", errors)
        if approved_quantity and approved_quantity > app.quantity:
            errors["approved_quantity"] = _("At most the quantity asked for (%(n)d %(unit)s).") % {
                "n": app.quantity,
                "unit": app.unit,
            }
    if valid_until and approval_date and valid_until <= approval_date:
        errors["valid_until"] = _("The end of validity must be after the approval date.")
    if errors:
        raise ValidationError(errors)
    app.approval_reference = ref
    app.approval_date = approval_date
    app.approved_quantity = approved_quantity
    app.valid_until = valid_until
    fields = ["approval_reference", "approval_date", "approved_quantity", "valid_until"]
    if conditions is not None and conditions.strip():
        app.conditions = conditions.strip()[:TEXT_MAX]
        fields.append("conditions")
    transition(
        app,
        HgrApplicationState.APPROVED,
        actor=user,
        reason=_("Approval %(ref)s of %(date)s") % {"ref": ref, "date": approval_date.isoformat()},
        update_fields=fields,
    )
    return app


@transaction.atomic
def refuse(user, app: HgrExportApplication, *, reason: str) -> HgrExportApplication:
    if not user.has_perm("dataflows.decide_export", app):
        raise PermissionDenied(
            _("The secretariat or the project's programme officers record decisions.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason; the applicant sees it.")})
    transition(app, HgrApplicationState.REFUSED, actor=user, reason=reason.strip())
    return app


@transaction.atomic
def close(user, app: HgrExportApplication, *, reason: str = "") -> HgrExportApplication:
    if not user.has_perm("dataflows.decide_export", app):
        raise PermissionDenied(
            _("The secretariat or the project's programme officers close approvals.")
        )
    transition(app, HgrApplicationState.CLOSED, actor=user, reason=reason)
    return app


def used_quantity(app: HgrExportApplication) -> int:
    return (
        app.transfers.filter(state__in=COUNTED_TRANSFER_STATES).aggregate(s=Sum("quantity"))["s"]
        or 0
    )


def review_for(sender_id, recipient_id, sample_kind, on=None) -> str:
    """Full review, or a white-list notification: the second and later transfer of a kind between the
    same two institutions, once an earlier one was cleared, when the white-list model is on."""
    if not whitelist_enabled(on):
        return TransferReview.FULL
    earlier = HgrTransfer.objects.filter(
        sender_id=sender_id,
        recipient_id=recipient_id,
        sample_kind=sample_kind,
        state__in=(HgrTransferState.CLEARED, HgrTransferState.NOTIFIED),
    ).exists()
    return TransferReview.NOTIFICATION if earlier else TransferReview.FULL


@transaction.atomic
def record_transfer(
    user, app: HgrExportApplication, *, quantity, shipped_on, note: str = ""
) -> HgrTransfer:
    """Record a shipment against an approval. The approval's row is locked, so two transfers recorded
    at once cannot together exceed it."""
    app = (
        HgrExportApplication.objects.select_for_update(of=("self",))
        .select_related("pilot_unit", "project")
        .get(pk=app.pk)
    )
    if not user.has_perm("dataflows.send_samples", app):
        raise PermissionDenied(_("Only the pilot unit records its transfers."))
    if app.state != HgrApplicationState.APPROVED:
        raise ValidationError(
            {
                "__all__": _(
                    "Transfers are recorded against an approved application only (this one is: %(state)s)."
                )
                % {"state": app.get_state_display()}
            }
        )
    errors = {}
    quantity = _positive(quantity, "quantity", errors)
    if shipped_on is None:
        errors["shipped_on"] = _("Give the shipping date.")
    else:
        if shipped_on < app.approval_date:
            errors["shipped_on"] = _("The shipping date is before the approval (%(date)s).") % {
                "date": app.approval_date.isoformat()
            }
        elif app.valid_until and shipped_on > app.valid_until:
            errors["shipped_on"] = _("The approval was valid until %(date)s.") % {
                "date": app.valid_until.isoformat()
            }
        elif shipped_on > timezone.localdate() + dt.timedelta(days=366):
            errors["shipped_on"] = _("Give a shipping date within the coming year.")
    if quantity:
        used = used_quantity(app)
        if used + quantity > app.approved_quantity:
            errors["quantity"] = _(
                "This transfer of %(n)d %(unit)s would exceed approval %(ref)s: %(approved)d "
                "approved, %(used)d already transferred or under review, %(left)d left."
            ) % {
                "n": quantity,
                "unit": app.unit,
                "ref": app.approval_reference,
                "approved": app.approved_quantity,
                "used": used,
                "left": max(app.approved_quantity - used, 0),
            }
    if errors:
        raise ValidationError(errors)
    review = review_for(
        app.pilot_unit.institution_id, app.recipient_id, app.sample_kind, shipped_on
    )
    t = HgrTransfer.objects.create(
        application=app,
        sender_id=app.pilot_unit.institution_id,
        recipient_id=app.recipient_id,
        sample_kind=app.sample_kind,
        quantity=quantity,
        shipped_on=shipped_on,
        note=(note or "").strip()[:500],
        review=review,
        state=(
            HgrTransferState.NOTIFIED
            if review == TransferReview.NOTIFICATION
            else HgrTransferState.UNDER_REVIEW
        ),
        recorded_by=user,
    )
    record_initial_state(
        t,
        actor=user,
        reason=_("White-list notification: this kind was already cleared between these parties.")
        if review == TransferReview.NOTIFICATION
        else _("First transfer of this kind between these parties: full review."),
    )
    return t


@transaction.atomic
def review_transfer(user, t: HgrTransfer, to_state: str, *, reason: str = "") -> HgrTransfer:
    if not user.has_perm("dataflows.decide_export", t.application):
        raise PermissionDenied(
            _("The secretariat or the project's programme officers review transfers.")
        )
    if to_state not in (HgrTransferState.CLEARED, HgrTransferState.REFUSED):
        raise ValidationError({"to": _("Clear or refuse the transfer.")})
    if to_state == HgrTransferState.REFUSED and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason; the pilot unit sees it.")})
    transition(t, to_state, actor=user, reason=(reason or "").strip())
    return t
