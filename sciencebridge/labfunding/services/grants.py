"""Laboratory grants: offer, annual report (work plan + financial report), approval, release.

Every rule reads the programme's data (ceiling, matching minimum, years); every state change goes through
``core.workflow.transition`` so each grant and report has its timeline. Each refusal is a
``ValidationError`` with a message that says what to do.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import record_initial_state, transition

from ..models import CURRENCY, AnnualReport, GrantState, LabGrant, ReportState


def _hkd(value) -> Money:
    if isinstance(value, Money):
        if str(value.currency) != CURRENCY:
            raise ValidationError(
                _("Amounts of laboratory grants are in %(cur)s, not %(got)s.")
                % {"cur": CURRENCY, "got": value.currency}
            )
        return value
    return Money(value, CURRENCY)


def _office_emails(grant) -> list[str]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            institution_id=grant.institution_id, groups__name="research_office", is_active=True
        )
        .values_list("email", flat=True)
    )


def offer_grant(actor, programme, platform, *, year: int, amount, institution=None) -> LabGrant:
    """ITC offers a lab its grant for ``year`` within the programme's rules."""
    if not (actor.has_role("programme_officer") and actor.agency_id == programme.funder_id):
        raise PermissionDenied(_("Only the programme's funder offers its grants."))
    amount = _hkd(amount)
    errors = {}
    if platform.kind != programme.platform_kind:
        errors["platform"] = _("%(lab)s is not a laboratory of this programme's kind.") % {
            "lab": platform
        }
    if year < programme.first_year:
        errors["year"] = _("The programme's rules apply from %(year)s.") % {
            "year": programme.first_year
        }
    if amount.amount <= 0:
        errors["amount"] = _("The grant must be more than zero.")
    elif amount > programme.yearly_ceiling:
        errors["amount"] = _("The grant is over the programme's ceiling of %(ceiling)s a year.") % {
            "ceiling": programme.yearly_ceiling
        }
    if programme.max_years:
        years = set(
            LabGrant.objects.filter(programme=programme, platform=platform)
            .exclude(state=GrantState.CANCELLED)
            .values_list("year", flat=True)
        )
        first = min(years | {year})
        if year - first >= programme.max_years or len(years - {year}) >= programme.max_years:
            errors["year"] = _(
                "This programme funds a laboratory for at most %(n)s years (first funded in %(first)s)."
            ) % {"n": programme.max_years, "first": first}
    if LabGrant.objects.filter(platform=platform, year=year).exists():
        errors["year"] = _("%(lab)s already has a grant for %(year)s.") % {
            "lab": platform,
            "year": year,
        }
    if institution is None:
        institution = platform.hosts.order_by("pk").first()
    if institution is None:
        errors["platform"] = _("The laboratory has no host university in the registry.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant = LabGrant.objects.create(
            programme=programme,
            platform=platform,
            institution=institution,
            year=year,
            amount=amount,
            offered_by=actor,
        )
        record_initial_state(grant, actor=actor)
        report = AnnualReport.objects.create(grant=grant)
        record_initial_state(report, actor=actor)
    return grant


PDF_FIELDS = ("work_plan", "financial_report")


def save_report(actor, report, *, work_plan=None, financial_report=None, **figures):
    """The office fills in the report (files and figures) while it is a draft or returned."""
    from sciencebridge.funding.validation import is_pdf

    if not actor.has_perm("labfunding.edit_report", report.grant):
        raise PermissionDenied(_("Only the laboratory's research office edits its report."))
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError(_("The report has been submitted; it can no longer be changed."))
    errors = {}
    for name, upload in (("work_plan", work_plan), ("financial_report", financial_report)):
        if upload is not None:
            if not is_pdf(upload):
                errors[name] = _("“%(name)s” is not a PDF document.") % {"name": upload.name}
            else:
                setattr(report, name, upload)
    for name in ("expenditure", "matching"):
        if name in figures and figures[name] is not None:
            value = _hkd(figures[name])
            if value.amount < 0:
                errors[name] = _("An amount cannot be negative.")
            setattr(report, name, value)
    if errors:
        raise ValidationError(errors)
    if "summary" in figures:
        report.summary = figures["summary"] or ""
    report.save()
    return report


def matching_check(report) -> dict:
    """{"required": Money, "given": Money | None, "ok": bool}: the university's matching against the minimum."""
    grant = report.grant
    required = grant.programme.required_matching(grant.amount)
    given = report.matching
    return {"required": required, "given": given, "ok": given is not None and given >= required}


def submit_report(actor, report, reason=""):
    if not actor.has_perm("labfunding.edit_report", report.grant):
        raise PermissionDenied(_("Only the laboratory's research office submits its report."))
    missing = []
    if not report.work_plan:
        missing.append(_("the work plan (PDF)"))
    if not report.financial_report:
        missing.append(_("the financial report (PDF)"))
    if report.expenditure is None:
        missing.append(_("the grant money spent"))
    if report.matching is None:
        missing.append(_("the university's matching contribution"))
    if missing:
        raise ValidationError(
            _("The report cannot be submitted without %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    return transition(report, ReportState.SUBMITTED, actor=actor, reason=reason)


def decide_report(actor, report, *, approve: bool, reason=""):
    if not actor.has_perm("labfunding.decide", report.grant):
        raise PermissionDenied(_("Only the funder's officers approve reports."))
    if not approve and not reason.strip():
        raise ValidationError(_("Say what the laboratory should change."))
    step = transition(
        report,
        ReportState.APPROVED if approve else ReportState.RETURNED,
        actor=actor,
        reason=reason,
    )
    if not approve:
        notify(
            _office_emails(report.grant),
            Subject(
                gettext_noop("Annual report returned: %(lab)s"), lab=str(report.grant.platform)
            ),
            "labfunding/email/report_returned.txt",
            {"report": report, "reason": reason},
        )
    return step


def release_grant(actor, grant, reason=""):
    """Release the year's money: only with the report approved and the matching at the minimum."""
    if not actor.has_perm("labfunding.decide", grant):
        raise PermissionDenied(_("Only the funder's officers release grants."))
    report = AnnualReport.objects.filter(grant=grant).first()
    if report is None or report.state != ReportState.APPROVED:
        raise ValidationError(
            _(
                "The grant cannot be released before the laboratory's work plan and financial report "
                "for %(year)s are approved (report: %(state)s)."
            )
            % {
                "year": grant.year,
                "state": report.get_state_display() if report else _("none"),
            }
        )
    check = matching_check(report)
    if not check["ok"]:
        raise ValidationError(
            _(
                "The university's matching contribution (%(given)s) is below the programme's minimum of "
                "%(required)s for a grant of %(amount)s; the grant cannot be released."
            )
            % {"given": check["given"], "required": check["required"], "amount": grant.amount}
        )
    grant.released_on = timezone.localdate()
    step = transition(
        grant, GrantState.RELEASED, actor=actor, reason=reason, update_fields=["released_on"]
    )
    notify(
        _office_emails(grant),
        Subject(
            gettext_noop("Grant released: %(lab)s %(year)s"),
            lab=str(grant.platform),
            year=grant.year,
        ),
        "labfunding/email/grant_released.txt",
        {"grant": grant},
    )
    return step


def cancel_grant(actor, grant, reason=""):
    if not actor.has_perm("labfunding.decide", grant):
        raise PermissionDenied(_("Only the funder's officers cancel grants."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for cancelling the grant."))
    return transition(grant, GrantState.CANCELLED, actor=actor, reason=reason)
