"""Data-transfer agreements under the GBA Standard Contract: draft, submit, accept, sign, log.

Every refusal is a ValidationError naming the field and the reason; nothing is saved when a check fails,
so the form keeps what was typed.
"""

import difflib
import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import record_initial_state, transition
from sciencebridge.funding.validation import check_attachment_file

from ..models import (
    Acceptance,
    AgreementState,
    DataTransferAgreement,
    PartyRole,
    ProcessingLogEntry,
    StandardAnnex,
    SubmissionRequirement,
)
from ..rules import party_of

CONTRACT_FIELDS = [
    "title",
    "project",
    "booking",
    "deal",
    "processor_institution",
    "processor_location",
    "processor_contact",
    "recipient_institution",
    "recipient_individual",
    "recipient_location",
    "recipient_contact",
    "purpose",
    "processing_method",
    "pi_categories",
    "sensitive_pi",
    "sensitive_pi_categories",
    "volume",
    "retention_months",
    "consent_basis",
    "security_measures",
    "onward_transfer",
    "onward_transfer_detail",
    "piia_date",
    "effective_date",
    "supplementary_terms",
]


def current_annex() -> StandardAnnex:
    annex = StandardAnnex.objects.filter(is_current=True).order_by("-published_on").first()
    if annex is None:
        raise ValidationError(_("No standard annex is in force; the secretariat must publish one."))
    return annex


def next_reference() -> str:
    year = timezone.localdate().year
    n = DataTransferAgreement.objects.filter(reference__startswith=f"GBA-DT-{year}-").count() + 1
    while DataTransferAgreement.objects.filter(reference=f"GBA-DT-{year}-{n:04d}").exists():
        n += 1
    return f"GBA-DT-{year}-{n:04d}"


# --- the checks -----------------------------------------------------------------------------------


def location_errors(a: DataTransferAgreement) -> dict:
    """Both parties registered (organisations) or located (individuals) in the GBA, on opposite sides."""
    errors = {}
    outside = _(
        "%(place)s is outside the Greater Bay Area. The GBA Standard Contract covers only parties "
        "registered or located in Hong Kong or one of the nine Mainland GBA cities (Guangzhou, Shenzhen, "
        "Zhuhai, Foshan, Huizhou, Dongguan, Zhongshan, Jiangmen, Zhaoqing); a transfer to %(place)s needs "
        "another legal route."
    )
    for field in ("processor_location", "recipient_location"):
        loc = getattr(a, field, None)
        if loc is not None and not loc.in_gba:
            errors[field] = outside % {"place": loc.name}
    p, r = a.processor_location, a.recipient_location
    if not errors and p is not None and r is not None and p.jurisdiction == r.jurisdiction:
        errors["recipient_location"] = _(
            "Both parties are in %(side)s: the GBA Standard Contract is for flows between the Mainland GBA "
            "cities and Hong Kong."
        ) % {"side": p.get_jurisdiction_display()}
    if not a.recipient_institution_id and not a.recipient_individual.strip():
        errors["recipient_institution"] = _("Name the recipient: an organisation or an individual.")
    return errors


def onward_errors(a: DataTransferAgreement) -> dict:
    if a.onward_transfer or a.onward_transfer_detail.strip():
        where = a.onward_transfer_detail.strip() or _("a third place")
        return {
            "onward_transfer": _(
                "Onward transfer to %(where)s is not allowed: under the GBA Standard Contract the recipient "
                "may not provide the personal information to anyone outside the Greater Bay Area."
            )
            % {"where": where}
        }
    return {}


_AMEND_WORDS = (
    r"amend|modif|replac|delet|supersed|overrid|waiv|disapply|not apply|revis|substitut|"
    r"修改|修訂|修订|替換|替换|刪除|删除|取代|豁免|不適用|不适用|變更|变更"
)
_ANNEX_WORDS = r"annex|standard (?:contract|terms?)|article\s*\d+|附件|標準合同|标准合同|標準條款|标准条款|第.{1,3}條|第.{1,3}条"
_AMENDS_ANNEX = re.compile(
    rf"(?:(?:{_AMEND_WORDS}).{{0,60}}(?:{_ANNEX_WORDS}))|(?:(?:{_ANNEX_WORDS}).{{0,60}}(?:{_AMEND_WORDS}))",
    re.IGNORECASE | re.DOTALL,
)


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _clauses(annex: StandardAnnex) -> list[str]:
    out = []
    for lang in ("en", "zh_hant", "zh_hans"):
        text = getattr(annex, f"text_{lang}", "") or ""
        out += [_norm(c) for c in re.split(r"\n\s*\n", text) if c.strip()]
    return [c for c in out if c]


def supplementary_errors(annex: StandardAnnex, text: str) -> dict:
    """Supplementary terms sit beside the annex; they may not rewrite, replace or waive it. A paragraph
    that is a copy (or an edited copy) of an annex clause, or that says it amends the annex, is refused."""
    text = (text or "").strip()
    if not text:
        return {}
    clauses = _clauses(annex)
    for para in (p for p in re.split(r"\n\s*\n|\n", text) if p.strip()):
        n = _norm(para)
        best = 0
        if len(n) >= 12:
            best = max(
                (difflib.SequenceMatcher(None, n, c, autojunk=False).ratio() for c in clauses),
                default=0,
            )
        if best >= 0.6 or _AMENDS_ANNEX.search(para):
            return {
                "supplementary_terms": _(
                    "The standard annex (version %(version)s) cannot be edited: “%(para)s” rewrites or "
                    "overrides its terms. Supplementary terms may only add terms that do not conflict with "
                    "the annex; the annex itself applies as published."
                )
                % {"version": annex.version, "para": para.strip()[:120]}
            }
    return {}


def draft_errors(a: DataTransferAgreement) -> dict:
    """The checks that refuse a draft at once (whatever the stage)."""
    errors = {}
    errors.update(location_errors(a))
    errors.update(onward_errors(a))
    errors.update(supplementary_errors(a.annex, a.supplementary_terms))
    if a.piia_date and a.piia_date > timezone.localdate():
        errors["piia_date"] = _(
            "The impact assessment must be done before the transfer: %(date)s is in the future."
        ) % {"date": a.piia_date.isoformat()}
    if (
        a.piia_date
        and a.effective_date
        and a.piia_date > a.effective_date
        and "piia_date" not in errors
    ):
        errors["piia_date"] = _(
            "The impact assessment (%(piia)s) is dated after the contract takes effect (%(eff)s): it must "
            "be done beforehand."
        ) % {"piia": a.piia_date.isoformat(), "eff": a.effective_date.isoformat()}
    if a.effective_date and a.effective_date < a.annex.published_on:
        errors["effective_date"] = _(
            "The standard contract was published on %(date)s; a contract cannot take effect before it."
        ) % {"date": a.annex.published_on.isoformat()}
    elif a.effective_date and a.effective_date > timezone.localdate() + timedelta(days=3 * 365):
        errors["effective_date"] = _("Give an effective date within the next three years.")
    if a.sensitive_pi and not a.sensitive_pi_categories.strip():
        errors["sensitive_pi_categories"] = _(
            "Say which sensitive personal information is included."
        )
    if not (a.project_id or a.booking_id or a.deal_id):
        errors["project"] = _(
            "Choose the project (or facility booking, or deal) this transfer serves."
        )
    return errors


def submission_errors(a: DataTransferAgreement) -> dict:
    errors = draft_errors(a)
    if not a.piia_file:
        errors["piia_file"] = _(
            "Attach the personal information protection impact assessment: the GBA Standard Contract "
            "requires it before the transfer."
        )
    if not a.piia_date:
        errors.setdefault("piia_date", _("Give the date the impact assessment was completed."))
    if not a.effective_date:
        errors.setdefault("effective_date", _("Give the date the contract takes effect."))
    for req in SubmissionRequirement.objects.filter(required=True):
        value = getattr(a, req.field, None)
        if value in (None, "") and req.field not in errors:
            try:
                label = DataTransferAgreement._meta.get_field(req.field).verbose_name
            except Exception:  # a requirement naming a field that no longer exists
                continue
            errors[req.field] = _("%(field)s is required before submission.") % {
                "field": str(label).capitalize()
            }
    if a.sensitive_pi and a.consent_basis and a.consent_basis != "separate_consent":
        errors.setdefault(
            "consent_basis",
            _("Sensitive personal information needs the separate consent of the data subjects."),
        )
    return errors


# --- the workflow ----------------------------------------------------------------------------------


def _check_piia(upload):
    if upload is None:
        return
    errs = check_attachment_file(upload)
    if errs:
        raise ValidationError({"piia_file": errs})


def _apply(a: DataTransferAgreement, fields: dict):
    for name, value in fields.items():
        if name not in CONTRACT_FIELDS:
            raise ValidationError(_("Unknown field: %(f)s") % {"f": name})
        setattr(a, name, value)


@transaction.atomic
def create_agreement(user, *, piia_file=None, **fields) -> DataTransferAgreement:
    if not user.has_perm("dataflows.request_agreement"):
        raise PermissionDenied(_("Only verified members of an institution request data transfers."))
    a = DataTransferAgreement(created_by=user, annex=current_annex())
    _apply(a, fields)
    if a.processor_contact_id is None:
        a.processor_contact = user
    errors = draft_errors(a)
    if errors:
        raise ValidationError(errors)
    _check_piia(piia_file)
    a.reference = next_reference()
    if piia_file is not None:
        a.piia_file = piia_file
    a.save()
    record_initial_state(a, actor=user)
    return a


@transaction.atomic
def update_agreement(user, a: DataTransferAgreement, *, piia_file=None, **fields):
    if not user.has_perm("dataflows.edit_agreement", a):
        raise PermissionDenied
    if a.state != AgreementState.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; return it to draft first (acceptances are withdrawn).")
        )
    _apply(a, fields)
    errors = draft_errors(a)
    if errors:
        a.refresh_from_db()
        raise ValidationError(errors)
    _check_piia(piia_file)
    if piia_file is not None:
        a.piia_file = piia_file
    a.save()
    return a


def _party_emails(a: DataTransferAgreement, party: str) -> list[str]:
    contact = a.processor_contact if party == PartyRole.PROCESSOR else a.recipient_contact
    return [contact.email] if contact is not None and contact.email else []


@transaction.atomic
def submit(user, a: DataTransferAgreement) -> DataTransferAgreement:
    if PartyRole.PROCESSOR not in party_of(user, a):
        raise PermissionDenied(_("The sending party submits the request."))
    if a.state != AgreementState.DRAFT:
        raise ValidationError(_("This request has already been submitted."))
    errors = submission_errors(a)
    if errors:
        raise ValidationError(errors)
    a.submitted_at = timezone.now()
    transition(a, AgreementState.SUBMITTED, actor=user, update_fields=["submitted_at"])
    notify(
        _party_emails(a, PartyRole.RECIPIENT),
        Subject(
            gettext_noop("Data-transfer agreement %(ref)s awaits your acceptance"), ref=a.reference
        ),
        "dataflows/email/agreement_submitted.txt",
        {"agreement": a},
    )
    return a


@transaction.atomic
def return_to_draft(user, a: DataTransferAgreement, reason: str = "") -> DataTransferAgreement:
    if not party_of(user, a):
        raise PermissionDenied
    if a.state != AgreementState.SUBMITTED:
        raise ValidationError(_("Only a request awaiting acceptance can be returned to draft."))
    a.acceptances.all().delete()
    transition(a, AgreementState.DRAFT, actor=user, reason=reason)
    return a


@transaction.atomic
def accept(user, a: DataTransferAgreement, party: str) -> Acceptance:
    """Record one party's acceptance (who, when, which annex version); the second makes it signed and
    schedules both filings."""
    from .filings import open_filings

    if party not in party_of(user, a):
        raise PermissionDenied(_("You do not act for this party."))
    if a.state != AgreementState.SUBMITTED:
        raise ValidationError(_("Only a submitted request can be accepted."))
    errors = submission_errors(a)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            acc = Acceptance.objects.create(
                agreement=a, party=party, user=user, annex_version=a.annex.version
            )
    except IntegrityError:
        raise ValidationError(_("This party has already accepted.")) from None
    if a.acceptances.count() == 2:
        a.signed_at = timezone.now()
        transition(a, AgreementState.SIGNED, actor=user, update_fields=["signed_at"])
        open_filings(a)
    return acc


@transaction.atomic
def attach_signed_pdf(user, a: DataTransferAgreement, upload) -> DataTransferAgreement:
    if not party_of(user, a):
        raise PermissionDenied
    if a.state != AgreementState.SIGNED:
        raise ValidationError(
            {"signed_pdf": _("Upload the signed contract once both parties have accepted.")}
        )
    errs = check_attachment_file(upload)
    if errs:
        raise ValidationError({"signed_pdf": errs})
    a.signed_pdf = upload
    a.save(update_fields=["signed_pdf"])
    return a


@transaction.atomic
def add_log_entry(user, a, *, occurred_on, activity, detail="") -> ProcessingLogEntry:
    """The recipient's record of processing."""
    if PartyRole.RECIPIENT not in party_of(user, a):
        raise PermissionDenied(_("The recipient keeps the processing records."))
    if a.state != AgreementState.SIGNED:
        raise ValidationError(_("Processing is recorded under a signed agreement."))
    if a.effective_date and occurred_on < a.effective_date:
        raise ValidationError(
            {
                "occurred_on": _(
                    "The contract took effect on %(d)s; processing before it is not covered."
                )
                % {"d": a.effective_date.isoformat()}
            }
        )
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("Record processing that has happened.")})
    return ProcessingLogEntry.objects.create(
        agreement=a, occurred_on=occurred_on, activity=activity, detail=detail, recorded_by=user
    )
