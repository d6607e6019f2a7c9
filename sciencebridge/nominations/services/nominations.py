"""The nomination route: university → (expert's consent) → ITC check → MOST approval → the database.

Every step is a ``core.workflow.transition`` with its actor, decision (the state reached), reason and date;
the expert's consent is recorded on the nomination and in the timeline. A refusal is a ``ValidationError``
whose message says what is missing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import record_initial_state, transition
from sciencebridge.experts.models import ExpertProfile

from ..models import (
    LIVE_STATES,
    Consent,
    Nomination,
    NominationState,
    TargetDatabase,
)


def check_nomination(actor, exercise, *, email: str, database: str, society: str = "") -> dict:
    """The errors of one nomination ({field: message}) and the expert it names; no writes."""
    errors = {}
    expert = None
    email = (email or "").strip().lower()
    if database not in TargetDatabase.values:
        errors["database"] = _("Unknown database “%(db)s”: use one of %(codes)s.") % {
            "db": database,
            "codes": ", ".join(TargetDatabase.values),
        }
    elif database == TargetDatabase.CAST and not (society or "").strip():
        errors["society"] = _("A nomination for CAST membership names the national society.")
    if not email:
        errors["email"] = _("The expert's e-mail address is missing.")
    else:
        expert = ExpertProfile.objects.filter(email=email).select_related("institution").first()
        if expert is None:
            errors["email"] = _(
                "No expert with the e-mail address %(email)s is in the expert database; the expert "
                "registers (or is imported) first."
            ) % {"email": email}
        elif expert.institution_id != actor.institution_id:
            errors["email"] = _("%(expert)s is not at your university.") % {"expert": expert}
        elif (
            database in TargetDatabase.values
            and Nomination.objects.filter(
                exercise=exercise, expert=expert, database=database, state__in=LIVE_STATES
            ).exists()
        ):
            errors["email"] = _(
                "%(expert)s is already nominated to this database in this exercise."
            ) % {"expert": expert}
    return {"errors": errors, "expert": expert}


def _require_nominator(actor, exercise):
    if not actor.has_perm("nominations.nominate", exercise):
        raise PermissionDenied(
            _("Only the research offices of this exercise's universities nominate experts.")
        )
    if not exercise.is_open():
        raise ValidationError(
            _("The exercise takes nominations from %(a)s to %(b)s.")
            % {"a": exercise.opens_on, "b": exercise.closes_on}
        )


def nominate(
    actor, exercise, *, email, database, society="", statement="", batch=None
) -> Nomination:
    _require_nominator(actor, exercise)
    checked = check_nomination(actor, exercise, email=email, database=database, society=society)
    if checked["errors"]:
        raise ValidationError(checked["errors"])
    return _create(actor, exercise, checked["expert"], database, society, statement, batch)


def _create(actor, exercise, expert, database, society, statement, batch):
    try:
        with transaction.atomic():
            nom = Nomination.objects.create(
                exercise=exercise,
                expert=expert,
                institution_id=actor.institution_id,
                database=database,
                society=(society or "").strip() if database == TargetDatabase.CAST else "",
                statement=statement or "",
                nominated_by=actor,
                batch=batch,
            )
            record_initial_state(nom, actor=actor)
    except IntegrityError:
        raise ValidationError(
            {
                "email": _("%(expert)s is already nominated to this database in this exercise.")
                % {"expert": expert}
            }
        ) from None
    if expert.email:
        notify(
            expert.email,
            Subject(gettext_noop("You have been nominated to a national expert database")),
            "nominations/email/consent_request.txt",
            {"nomination": nom},
        )
    return nom


def set_consent(actor, nom, *, given: bool) -> Nomination:
    """The expert gives (or withdraws / declines) consent; allowed until MOST has decided."""
    if not actor.has_perm("nominations.consent", nom):
        raise PermissionDenied(_("Only the expert nominated gives consent."))
    if nom.state not in (
        NominationState.DRAFT,
        NominationState.SUBMITTED,
        NominationState.FORWARDED,
    ):
        raise ValidationError(_("This nomination has been decided; consent can no longer change."))
    nom.consent = Consent.GIVEN if given else Consent.DECLINED
    nom.consent_at = timezone.now()
    nom.save(update_fields=["consent", "consent_at"])
    from django.contrib.contenttypes.models import ContentType

    from sciencebridge.core.models import StateTransition

    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(nom),
        object_id=nom.pk,
        from_state=nom.state,
        to_state=nom.state,
        actor=actor,
        reason=_("The expert gave consent.") if given else _("The expert declined consent."),
    )
    return nom


def _require_consent(nom):
    if nom.consent != Consent.GIVEN:
        raise ValidationError(
            _(
                "%(expert)s has not consented to this nomination (consent: %(consent)s). The expert "
                "confirms on their Nominations page before it can go further."
            )
            % {"expert": nom.expert, "consent": nom.get_consent_display()}
        )


def submit(actor, nom, reason=""):
    if not actor.has_perm("nominations.manage", nom):
        raise PermissionDenied(_("Only the nominating university's research office submits."))
    _require_consent(nom)
    if not nom.exercise.is_open():
        raise ValidationError(
            _("The exercise takes nominations from %(a)s to %(b)s.")
            % {"a": nom.exercise.opens_on, "b": nom.exercise.closes_on}
        )
    return transition(nom, NominationState.SUBMITTED, actor=actor, reason=reason)


def withdraw(actor, nom, reason=""):
    if not actor.has_perm("nominations.manage", nom):
        raise PermissionDenied(_("Only the nominating university's research office withdraws."))
    return transition(nom, NominationState.WITHDRAWN, actor=actor, reason=reason)


def check(actor, nom, *, forward: bool, reason=""):
    """ITC's check: forward to MOST (the expert must have consented) or not (with the reason)."""
    if not actor.has_perm("nominations.check", nom):
        raise PermissionDenied(_("Only the checking agency's officers check nominations."))
    if forward:
        _require_consent(nom)
    elif not reason.strip():
        raise ValidationError(_("Give the reason for not forwarding the nomination."))
    step = transition(
        nom,
        NominationState.FORWARDED if forward else NominationState.NOT_FORWARDED,
        actor=actor,
        reason=reason,
    )
    _tell_office(nom)
    return step


def approve(actor, nom, *, approve: bool, reason=""):
    """MOST's decision; an approved expert enters the database on that date."""
    if not actor.has_perm("nominations.approve", nom):
        raise PermissionDenied(_("Only the approving agency's officers decide."))
    if approve:
        _require_consent(nom)
        nom.entered_on = timezone.localdate()
    elif not reason.strip():
        raise ValidationError(_("Give the reason for not approving the nomination."))
    step = transition(
        nom,
        NominationState.APPROVED if approve else NominationState.REJECTED,
        actor=actor,
        reason=reason,
        update_fields=["entered_on"] if approve else None,
    )
    _tell_office(nom)
    return step


def _tell_office(nom):
    from django.contrib.auth import get_user_model

    emails = list(
        get_user_model()
        .objects.filter(
            institution_id=nom.institution_id, groups__name="research_office", is_active=True
        )
        .values_list("email", flat=True)
    )
    if nom.expert.email:
        emails.append(nom.expert.email)
    notify(
        emails,
        Subject(gettext_noop("Decision on the nomination of %(expert)s"), expert=str(nom.expert)),
        "nominations/email/decision.txt",
        {"nomination": nom},
    )
