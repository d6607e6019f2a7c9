"""The committee's records (agreements, meetings and their decisions, indicator series): only the
secretariat writes them; each function checks that first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Agreement, Decision, Indicator, IndicatorValue, Meeting


def _require(user, perm="cooperation.edit_records"):
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(_("Only the committee secretariat edits the committee's records."))


@transaction.atomic
def save_agreement(
    user, agreement: Agreement | None = None, *, parties=None, areas=None, **fields
) -> Agreement:
    _require(user)
    if agreement is None:
        agreement = Agreement(**fields)
    else:
        for k, v in fields.items():
            setattr(agreement, k, v)
    if (
        agreement.valid_until
        and agreement.signed_on
        and agreement.valid_until < agreement.signed_on
    ):
        raise ValidationError({"valid_until": _("An agreement cannot end before it is signed.")})
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    if areas is not None:
        agreement.areas.set(areas)
    return agreement


@transaction.atomic
def record_meeting(
    user, meeting: Meeting | None = None, *, decisions: list[str] | None = None, **fields
) -> Meeting:
    """Create or update a meeting; ``decisions`` (if given) replaces its list of decisions, in order."""
    _require(user)
    if meeting is None:
        meeting = Meeting(**fields)
    else:
        for k, v in fields.items():
            setattr(meeting, k, v)
    meeting.save()
    if decisions is not None:
        meeting.decisions.all().delete()
        Decision.objects.bulk_create(
            [
                Decision(meeting=meeting, order=i, text=t.strip())
                for i, t in enumerate(decisions, 1)
                if t.strip()
            ]
        )
    return meeting


@transaction.atomic
def record_indicator_value(
    user, indicator: Indicator, *, year: int, value, **fields
) -> IndicatorValue:
    """Add or correct one figure of a series (one per year); figures of a live indicator come from data."""
    _require(user, "cooperation.edit_indicators")
    if indicator.metric_code:
        raise ValidationError(
            _(
                "This indicator is computed from the platform's data; its figures cannot be typed in."
            )
        )
    obj, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator, year=year, defaults={"value": value, **fields}
    )
    return obj
