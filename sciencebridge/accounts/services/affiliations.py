"""Affiliations: what a person claims, and how it becomes the verified ``User.institution``.

A claim (``AffiliationRequest``) grants nothing. It is verified either

- by e-mail: the person confirms, through a signed link sent to it, an address at one of the
  institution's e-mail domains (``Institution.email_domains``); or
- by the institution's research office (or an administrator), who approves or rejects it with a reason.

Only then is ``User.institution`` set, together with how, when and by whom (``affiliation_method``,
``affiliation_verified_at``, ``affiliation_verified_by``); the request's timeline records the same.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.notify import notify
from sciencebridge.core.workflow import because, record_initial_state, transition

from ..models import AffiliationMethod, AffiliationRequest, AffiliationState, User

SALT = "sciencebridge.accounts.affiliation"


def link_lifetime() -> int:
    """Seconds a confirmation link stays valid (the password-reset lifetime, three days by default)."""
    return settings.PASSWORD_RESET_TIMEOUT


@transaction.atomic
def request_affiliation(user, institution, *, send_link: bool = True) -> AffiliationRequest:
    """Record ``user``'s claim to belong to ``institution`` (replacing a pending one); e-mail a
    confirmation link when their address is at one of the institution's domains."""
    if institution is None or institution.is_agency:
        raise ValidationError({"institution": _("Choose a university, institute or company.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.institution_id == institution.pk:
        raise ValidationError(
            {
                "institution": _("Your affiliation with %(inst)s is already verified.")
                % {"inst": institution}
            }
        )
    for old in user.affiliation_requests.filter(state=AffiliationState.PENDING):
        transition(
            old,
            AffiliationState.WITHDRAWN,
            actor=user,
            reason=because(gettext_noop("Replaced by a new request.")),
        )
    req = AffiliationRequest.objects.create(user=user, institution=institution, email=user.email)
    record_initial_state(req, actor=user)
    if send_link and user.is_active and institution.owns_email(user.email):
        send_confirmation(req)
    return req


def confirmation_token(req: AffiliationRequest) -> str:
    return signing.dumps({"r": req.pk, "e": req.email.lower()}, salt=SALT)


def send_confirmation(req: AffiliationRequest) -> None:
    link = settings.SITE_URL + reverse(
        "accounts:confirm_affiliation", args=[confirmation_token(req)]
    )
    notify(
        req.email,
        _("Confirm your affiliation with %(inst)s") % {"inst": req.institution},
        "accounts/email/confirm_affiliation.txt",
        {"req": req, "link": link, "days": link_lifetime() // 86400},
    )


@transaction.atomic
def confirm_by_email(token: str) -> AffiliationRequest:
    """Verify the request a signed link names, if the address is still the person's and still at one of
    the institution's domains. Raises ``ValidationError`` for a bad, expired or used link."""
    try:
        data = signing.loads(token, salt=SALT, max_age=link_lifetime())
    except signing.BadSignature as e:  # includes SignatureExpired
        raise ValidationError(
            _("This confirmation link is invalid or has expired. Ask again from your profile.")
        ) from e
    req = (
        AffiliationRequest.objects.select_for_update(of=("self",))
        .select_related("user", "institution")
        .filter(pk=data.get("r"))
        .first()
    )
    if req is None or req.state != AffiliationState.PENDING:
        raise ValidationError(_("This confirmation link has been used or its request was closed."))
    if req.user.email.lower() != data.get("e") or not req.institution.owns_email(req.user.email):
        raise ValidationError(_("This confirmation link no longer matches your e-mail address."))
    return _verify(req, AffiliationMethod.EMAIL_DOMAIN, actor=req.user)


def verify_by_confirmed_email(user) -> AffiliationRequest | None:
    """After the person confirmed their address (account activation): verify their pending request if
    that address is at one of the institution's domains."""
    req = (
        user.affiliation_requests.filter(state=AffiliationState.PENDING)
        .select_related("institution")
        .first()
    )
    if (
        req is None
        or req.email.lower() != user.email.lower()
        or not req.institution.owns_email(user.email)
    ):
        return None
    with transaction.atomic():
        return _verify(req, AffiliationMethod.EMAIL_DOMAIN, actor=user)


def _verify(req: AffiliationRequest, method: str, *, actor, reason: str = "") -> AffiliationRequest:
    user = User.objects.select_for_update().get(pk=req.user_id)
    user.set_verified_institution(req.institution, method, by=actor)
    user.save(
        update_fields=[
            "institution",
            "affiliation_method",
            "affiliation_verified_at",
            "affiliation_verified_by",
        ]
    )
    req.method, req.decided_by, req.decided_at = method, actor, timezone.now()
    transition(
        req,
        AffiliationState.VERIFIED,
        actor=actor,
        reason=reason or str(AffiliationMethod(method).label),
        update_fields=["method", "decided_by", "decided_at"],
    )
    return req


@transaction.atomic
def decide(
    actor, req: AffiliationRequest, *, approve: bool, reason: str = ""
) -> AffiliationRequest:
    """The research office of the claimed institution (or an administrator) approves or rejects."""
    req = (
        AffiliationRequest.objects.select_for_update(of=("self",))
        .select_related("institution", "user")
        .get(pk=req.pk)
    )
    if not actor.has_perm("accounts.decide_affiliation", req):
        raise PermissionDenied(
            _("Only the research office of %(inst)s decides on its affiliations.")
            % {"inst": req.institution}
        )
    if req.state != AffiliationState.PENDING:
        raise ValidationError(_("This request has been decided already."))
    reason = (reason or "").strip()
    if approve:
        method = (
            AffiliationMethod.RESEARCH_OFFICE
            if actor.institution_id == req.institution_id
            else AffiliationMethod.ADMINISTRATOR
        )
        req = _verify(req, method, actor=actor, reason=reason)
        notify(
            req.user.email,
            _("Your affiliation with %(inst)s is verified") % {"inst": req.institution},
            "accounts/email/affiliation_decided.txt",
            {"req": req},
        )
        return req
    if not reason:
        raise ValidationError(
            {"reason": _("Give a reason for the rejection; the person will read it.")}
        )
    req.decided_by, req.decided_at, req.reason = actor, timezone.now(), reason
    transition(
        req,
        AffiliationState.REJECTED,
        actor=actor,
        reason=reason,
        update_fields=["decided_by", "decided_at", "reason"],
    )
    notify(
        req.user.email,
        _("Your affiliation with %(inst)s was not confirmed") % {"inst": req.institution},
        "accounts/email/affiliation_decided.txt",
        {"req": req},
    )
    return req


@transaction.atomic
def withdraw(user, req: AffiliationRequest) -> AffiliationRequest:
    req = AffiliationRequest.objects.select_for_update().get(pk=req.pk)
    if req.user_id != user.pk:
        raise PermissionDenied(_("Not allowed."))
    transition(req, AffiliationState.WITHDRAWN, actor=user)
    return req
