"""Postings, applications, selection and exchange records: every rule of the talent exchange.

Each function checks permission first and raises ``PermissionDenied`` or a ``ValidationError`` keyed
by field, so a refused action changes nothing. Every state change goes through
``core.workflow.transition`` and is recorded (who, when, why).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.content_languages import (
    confirm_conversions,
    fill_chinese_conversions,
    guess_language,
)
from sciencebridge.core.workflow import because, record_initial_state, transition
from sciencebridge.funding.validation import check_attachment_file

from ..models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    Exchange,
    ExchangeState,
    Posting,
    PostingState,
)

TRANSLATED = ("title", "description")
LANGS = ("en", "zh_hant", "zh_hans")

DOCUMENT_KINDS = {k for k, _label in ApplicationDocument._meta.get_field("kind").choices}


@transaction.atomic
def create_posting(user, call, *, host=None, **fields) -> Posting:
    if not user.has_perm("talent.post"):
        raise PermissionDenied(_("Only research offices and the secretariat post positions."))
    host = host or user.institution
    if host is None:
        raise ValidationError({"host": _("Choose the host institution.")})
    if not user.has_perm("talent.manage_posting", Posting(host=host)):
        raise PermissionDenied(_("You may post only for your own institution."))
    if not call.is_open():
        raise ValidationError({"call": _("This call is not open.")})
    if host.region not in ("HK", "ML"):
        raise ValidationError({"host": _("Postings are hosted in Hong Kong or on the Mainland.")})
    confirm = bool(fields.pop("confirm_conversions", False))
    texts = {}
    for name in TRANSLATED:
        plain = (fields.pop(name, None) or "").strip()
        for lang in LANGS:
            texts[f"{name}_{lang}"] = (fields.pop(f"{name}_{lang}", None) or "").strip()
        if plain and not any(texts[f"{name}_{lang}"] for lang in LANGS):
            texts[f"{name}_{guess_language(plain)}"] = plain  # one text: the language it is in
    errors = {
        f"{name}_en": _("Give it in at least one language.")
        for name in TRANSLATED
        if not any(texts[f"{name}_{lang}"] for lang in LANGS)
    }
    if errors:
        raise ValidationError(errors)
    posting = Posting(call=call, host=host, posted_by=user, **fields, **texts)
    # The missing Chinese script by OpenCC, marked until the host confirms it; the required
    # default-language column holds the text as written when there is no English (shown as Chinese).
    fill_chinese_conversions(posting, TRANSLATED, confirm=confirm)
    for name in TRANSLATED:
        if not texts[f"{name}_en"]:
            setattr(
                posting,
                f"{name}_en",
                next(texts[f"{name}_{lang}"] for lang in LANGS if texts[f"{name}_{lang}"]),
            )
    posting.save()
    record_initial_state(posting, actor=user)
    return posting


@transaction.atomic
def confirm_posting_conversions(user, posting: Posting) -> Posting:
    """The host checked the Traditional ⇄ Simplified conversions: they are its own text now."""
    if not user.has_perm("talent.manage_posting", posting):
        raise PermissionDenied(_("Only the host institution manages this posting."))
    confirm_conversions(posting)
    posting.save(update_fields=["converted_fields"])
    return posting


@transaction.atomic
def close_posting(user, posting: Posting, *, reason: str = "") -> Posting:
    if not user.has_perm("talent.manage_posting", posting):
        raise PermissionDenied(_("Only the host institution manages this posting."))
    transition(posting, PostingState.CLOSED, actor=user, reason=reason)
    return posting


def _check_documents(documents) -> None:
    errors = []
    for kind, upload in documents:
        if kind not in DOCUMENT_KINDS:
            errors.append(_("Unknown document kind."))
        errors += check_attachment_file(upload)
    if errors:
        raise ValidationError({"cv": errors})


@transaction.atomic
def apply(user, posting: Posting, *, statement: str, documents=()) -> Application:
    """Apply to a posting with a statement and PDF documents ((kind, uploaded file) pairs)."""
    if not user.has_perm("talent.apply"):
        raise PermissionDenied(_("Add your institution to your profile before applying."))
    posting = (
        Posting.objects.select_for_update(of=("self",))
        .select_related("call", "host")
        .get(pk=posting.pk)
    )
    if posting.state != PostingState.OPEN or not posting.call.is_open():
        raise ValidationError({"__all__": _("This posting is not taking applications.")})
    if user.institution_id == posting.host_id:
        raise ValidationError(
            {"__all__": _("An exchange is with another institution than your own.")}
        )
    if Application.objects.filter(posting=posting, applicant=user).exists():
        raise ValidationError({"__all__": _("You have already applied to this posting.")})
    if not statement.strip():
        raise ValidationError(
            {"statement": _("Write a statement: why this exchange, and what you will do.")}
        )
    _check_documents(documents)
    app = Application.objects.create(
        posting=posting, applicant=user, home=user.institution, statement=statement
    )
    for kind, upload in documents:
        ApplicationDocument.objects.create(
            application=app,
            kind=kind,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
        )
    record_initial_state(app, actor=user)
    return app


@transaction.atomic
def withdraw(user, application: Application, *, reason: str = "") -> Application:
    if application.applicant_id != user.pk:
        raise PermissionDenied(_("Only the applicant withdraws an application."))
    transition(application, ApplicationState.WITHDRAWN, actor=user, reason=reason)
    return application


@transaction.atomic
def decide(
    user, application: Application, to_state: str, *, reason: str = "", starts_on=None, ends_on=None
):
    """Shortlist, select or turn down an applicant. Selecting creates the planned exchange and fills
    the posting when its last position is taken (the posting row is locked, so two selections at
    once cannot overfill it)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("posting__call__programme", "applicant")
        .get(pk=application.pk)
    )
    posting = (
        Posting.objects.select_for_update(of=("self",))
        .select_related("call__programme", "host")
        .get(pk=application.posting_id)
    )
    if not user.has_perm("talent.manage_posting", posting):
        raise PermissionDenied(_("Only the host institution selects."))
    if to_state not in (
        ApplicationState.SHORTLISTED,
        ApplicationState.SELECTED,
        ApplicationState.NOT_SELECTED,
    ):
        raise ValidationError({"to": _("Choose shortlist, select or not selected.")})
    if to_state == ApplicationState.NOT_SELECTED and not reason:
        raise ValidationError({"reason": _("Give a reason; the applicant sees it.")})
    if to_state == ApplicationState.SELECTED:
        if not (starts_on and ends_on) or ends_on <= starts_on:
            raise ValidationError(
                {"ends_on": _("Give the exchange's start and end dates (the end after the start).")}
            )
        taken = posting.applications.filter(state=ApplicationState.SELECTED).count()
        if taken >= posting.positions:
            raise ValidationError({"__all__": _("All positions of this posting are filled.")})
    transition(application, to_state, actor=user, reason=reason)
    if to_state == ApplicationState.SELECTED:
        person = application.applicant
        ex = Exchange.objects.create(
            programme=posting.call.programme,
            application=application,
            person=person,
            person_name=person.get_full_name() or person.username,
            home=application.home,
            host=posting.host,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        record_initial_state(ex, actor=user, reason=reason)
        if taken + 1 >= posting.positions and posting.state == PostingState.OPEN:
            transition(posting, PostingState.FILLED, actor=user)
    return application


def can_record(user, exchange: Exchange) -> bool:
    if user.has_perm("talent.record_exchange"):
        return True
    return bool(
        exchange.application_id
        and user.has_perm("talent.manage_posting", exchange.application.posting)
    )


@transaction.atomic
def move_exchange(
    user, exchange: Exchange, to_state: str, *, report: str = "", reason: str = ""
) -> Exchange:
    if not can_record(user, exchange):
        raise PermissionDenied(_("Only the host institution or the secretariat records exchanges."))
    if to_state == ExchangeState.COMPLETED and not (report or exchange.report).strip():
        raise ValidationError(
            {"report": _("Add a short report before recording the exchange as completed.")}
        )
    fields = []
    if report:
        exchange.report = report
        fields.append("report")
    transition(exchange, to_state, actor=user, reason=reason, update_fields=fields)
    return exchange


@transaction.atomic
def record_completed(
    user, *, programme, person_name, home, host, starts_on, ends_on, report=""
) -> Exchange:
    """Record an exchange arranged outside the platform (e.g. from programme reports)."""
    if not user.has_perm("talent.record_exchange"):
        raise PermissionDenied(_("Only the secretariat records exchanges."))
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end must be after the start.")})
    ex = Exchange.objects.create(
        programme=programme,
        person_name=person_name,
        home=home,
        host=host,
        starts_on=starts_on,
        ends_on=ends_on,
        report=report,
        state=ExchangeState.COMPLETED,
    )
    record_initial_state(ex, actor=user, reason=because(gettext_noop("Recorded as completed")))
    return ex
