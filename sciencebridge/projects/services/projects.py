"""Project services: create a project from an award, release tranches, pay, report, change, outcomes.

Each function checks permission and rules first and raises ``PermissionDenied`` or a
``ValidationError`` keyed by field, so a refused action changes nothing.
"""

import datetime as dt
import uuid
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from sciencebridge.core.money import format_money
from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import because, record_initial_state, transition
from sciencebridge.funding.models import HalfState, JointProposal
from sciencebridge.funding.validation import check_attachment_file

from .. import bounds
from .. import rules as project_rules
from ..models import (
    IP_KINDS,
    OPEN_REPORT_STATES,
    ChangeKind,
    ChangeRequest,
    ChangeState,
    Outcome,
    OutcomeKind,
    Payment,
    Project,
    ProjectSide,
    ProjectState,
    Report,
    ReportingRules,
    ReportKind,
    ReportState,
    Tranche,
    TrancheState,
)

RULE_FIELDS = (
    "report_interval_months",
    "report_due_days",
    "final_due_days",
    "payment_days",
    "first_tranche_percent",
    "retention_percent",
)


def schedule_rules(scheme) -> ReportingRules:
    """The scheme's reporting rules, or the defaults (unsaved) when none were set."""
    rules = ReportingRules.objects.filter(scheme=scheme).first()
    return rules or ReportingRules(scheme=scheme)


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def money_str(m: Money) -> str:
    return format_money(m)


# ----------------------------------------------------------------------------------------------
# Award → project
# ----------------------------------------------------------------------------------------------
def _split(total: Decimal, parts: list[Decimal]) -> list[Decimal]:
    """Split ``total`` by the given percentages; the last part takes the rounding remainder."""
    cents = Decimal("0.01")
    out = [(total * p / 100).quantize(cents, rounding=ROUND_DOWN) for p in parts[:-1]]
    out.append(total - sum(out, Decimal(0)))
    return out


def schedule_rows(
    project_side: ProjectSide, start: dt.date, end: dt.date, rules: ReportingRules
) -> tuple[list[Report], list[Tranche]]:
    """The reports and tranches of one side, not yet saved: tranche 1 on award, one tranche after
    each accepted progress report, and the retention after the accepted final report. Each tranche
    after the first points at its gating report (saved first, the tranche takes its id)."""
    reports = []
    n = 1
    interval = relativedelta(months=rules.report_interval_months or 12)
    period_end = start + interval
    while period_end < end:
        reports.append(
            Report(
                project_side=project_side,
                kind=ReportKind.PROGRESS,
                number=n,
                period_end=period_end,
                due_date=period_end + dt.timedelta(days=rules.report_due_days),
            )
        )
        n += 1
        period_end = start + relativedelta(months=(rules.report_interval_months or 12) * n)
    final = Report(
        project_side=project_side,
        kind=ReportKind.FINAL,
        number=n,
        period_end=end,
        due_date=end + dt.timedelta(days=rules.final_due_days),
    )
    first, retention = Decimal(rules.first_tranche_percent), Decimal(rules.retention_percent)
    if reports:
        middle = (Decimal(100) - first - retention) / len(reports)
        percents = [first, *([middle] * len(reports)), retention]
    else:
        percents = [Decimal(100) - retention, retention]
    budget = project_side.approved_budget
    amounts = _split(budget.amount, percents)
    gates = [None, *reports, final]
    pay_days = dt.timedelta(days=rules.payment_days)
    tranches = [
        Tranche(
            project_side=project_side,
            number=i,
            amount=Money(amount, budget.currency),
            due_date=start + pay_days if gate is None else gate.due_date + pay_days,
            gating_report=gate,
        )
        for i, (amount, gate) in enumerate(zip(amounts, gates, strict=True), start=1)
    ]
    return [*reports, final], tranches


def build_schedule(
    project_side: ProjectSide, start: dt.date, end: dt.date, rules: ReportingRules
) -> None:
    """Save one side's reports and tranches (``schedule_rows``), each with its history."""
    reports, tranches = schedule_rows(project_side, start, end, rules)
    for row in (*reports, *tranches):
        row.save()


def create_project_from_award(
    proposal: JointProposal, *, actor=None, start: dt.date | None = None, notify_leads: bool = True
) -> Project:
    """The project of a jointly funded proposal (created once; later calls return the same one).

    Each side's approved budget is that half's awarded amount, in the side's currency.
    """
    existing = Project.objects.filter(proposal_id=proposal.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            proposal = (
                JointProposal.objects.select_for_update()
                .select_related("call__scheme")
                .get(pk=proposal.pk)
            )
            existing = Project.objects.filter(proposal_id=proposal.pk).first()
            if existing is not None:
                return existing
            if not proposal.is_jointly_funded:
                raise ValidationError(
                    _("A project starts only when both agencies have funded their side.")
                )
            halves = list(proposal.halves.select_related("agency").order_by("side"))
            missing = [str(h.get_side_display()) for h in halves if not h.awarded_amount]
            if missing:
                raise ValidationError(
                    _("No awarded amount recorded for: %(sides)s.") % {"sides": ", ".join(missing)}
                )
            rules = schedule_rules(proposal.call.scheme)
            if rules.first_tranche_percent + rules.retention_percent > 100:
                raise ValidationError(
                    _("The scheme's first tranche and retention exceed the whole budget.")
                )
            start = start or timezone.localdate()
            end = start + relativedelta(months=proposal.duration_months)
            project = Project.objects.create(
                proposal=proposal,
                reference=f"P-{proposal.reference}"[:40],
                title=proposal.title,
                start_date=start,
                end_date=end,
                created_by=actor,
            )
            record_initial_state(
                project,
                actor=actor,
                reason=because(gettext_noop("Project created from the award.")),
            )
            for half in halves:
                if half.awarded_amount.currency.code != half.currency:
                    raise ValidationError(
                        _("The %(side)s award must be in %(cur)s.")
                        % {"side": half.get_side_display(), "cur": half.currency}
                    )
                ps = ProjectSide.objects.create(
                    project=project,
                    side=half.side,
                    agency=half.agency,
                    institution=half.institution,
                    lead=half.lead,
                    approved_budget=half.awarded_amount,
                )
                build_schedule(ps, start, end, rules)
                first = ps.tranches.get(number=1)
                first.released_at = timezone.now()
                transition(
                    first,
                    TrancheState.RELEASED,
                    actor=actor,
                    reason=because(gettext_noop("First tranche released on award.")),
                    update_fields=["released_at"],
                )
    except IntegrityError:
        # Another request created it at the same moment: one project per proposal.
        return Project.objects.get(proposal_id=proposal.pk)
    if notify_leads:
        leads = [s.lead.email for s in project.sides.select_related("lead") if s.lead]
        # A national programme (one agency) funds a project, not a joint one.
        joint = proposal.call.scheme.is_joint
        notify(
            leads,
            Subject(
                gettext_noop("Your joint project %(ref)s has started")
                if joint
                else gettext_noop("Your project %(ref)s has started"),
                ref=project.reference,
            ),
            "projects/email/project_started.txt",
            {"project": project, "joint": joint},
        )
    return project


def create_missing_projects(*, actor=None) -> list[Project]:
    """Projects for jointly funded proposals that have none yet (e.g. funded before this app existed)."""
    funded = (
        JointProposal.objects.filter(project__isnull=True, halves__state=HalfState.FUNDED)
        .prefetch_related("halves")
        .distinct()
    )
    created = []
    for proposal in funded:
        if proposal.is_jointly_funded and all(h.awarded_amount for h in proposal.halves.all()):
            created.append(create_project_from_award(proposal, actor=actor))
    return created


# ----------------------------------------------------------------------------------------------
# Tranches and payments
# ----------------------------------------------------------------------------------------------
def _require_officer(user, project_side: ProjectSide) -> None:
    if not user.has_perm("projects.manage_side", project_side):
        raise PermissionDenied(
            _("Only officers of %(agency)s can do this for the %(side)s.")
            % {"agency": project_side.agency, "side": project_side.get_side_display()}
        )


def _release(tranche: Tranche, actor, reason: str) -> Tranche:
    tranche.released_at = timezone.now()
    transition(
        tranche, TrancheState.RELEASED, actor=actor, reason=reason, update_fields=["released_at"]
    )
    return tranche


def _lock(obj):
    """Re-read the object's state under a row lock (inside the caller's transaction): of two officers
    acting at once, the second waits, then sees what the first did and is refused cleanly."""
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.state = fresh.state
    if hasattr(obj, "state_changed_at"):
        obj.state_changed_at = fresh.state_changed_at
    return obj


@transaction.atomic
def release_tranche(tranche: Tranche, *, actor) -> Tranche:
    """Release a tranche for payment; a gated tranche needs its report accepted first."""
    side = tranche.project_side
    _require_officer(actor, side)
    _lock(tranche)
    blocker = project_rules.release_blocker(tranche)
    if blocker:
        raise ValidationError(blocker)
    gate = tranche.gating_report
    reason = (
        (_("Released after acceptance of the %(report)s.") % {"report": str(gate).lower()})
        if gate
        else ""
    )
    return _release(tranche, actor, reason)


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def paid_total(project_side: ProjectSide, tranche: Tranche | None = None) -> Decimal:
    qs = Payment.objects.filter(project_side=project_side)
    if tranche is not None:
        qs = qs.filter(tranche=tranche)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def record_payment(
    tranche: Tranche,
    *,
    actor,
    amount: Money,
    paid_on: dt.date | None = None,
    idempotency_key: str,
    bank_reference: str = "",
) -> tuple[Payment, bool]:
    """Record a payment of a released tranche. Returns ``(payment, created)``.

    Idempotent: the same ``idempotency_key`` (one per payment form shown) never pays twice, however
    often or concurrently it is sent (unique key + the side's row locked while the totals are checked
    and the payment inserted, so concurrent payments of one side run one after another). Never exceeds
    the side's approved budget or the tranche's amount.
    """
    side = tranche.project_side
    _require_officer(actor, side)
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationError(_("This payment form has expired; open it again."))
    done = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if done is not None:
        if done.tranche_id != tranche.pk:
            raise ValidationError(
                _("This payment form was already used for another tranche; open it again.")
            )
        return done, False
    if amount is None or amount.amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    paid_on = paid_on or timezone.localdate()
    date_error = bounds.paid_on_error(side.project, paid_on)
    if date_error:
        raise ValidationError({"paid_on": date_error})
    if len(bank_reference or "") > 100:
        raise ValidationError({"bank_reference": _("At most 100 characters.")})
    try:
        with transaction.atomic():
            side = ProjectSide.objects.select_for_update().get(pk=tranche.project_side_id)
            done = Payment.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:  # the same request, committed while we waited for the lock
                return done, False
            tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
            if tranche.state != TrancheState.RELEASED:
                if tranche.state == TrancheState.PAID:
                    raise ValidationError(
                        _("%(t)s has already been paid in full.") % {"t": tranche}
                    )
                gate = tranche.gating_report
                if gate is not None and gate.state != ReportState.ACCEPTED:
                    raise ValidationError(
                        _(
                            "%(tranche)s is released only after the %(report)s is accepted (it is now: %(state)s)."
                        )
                        % {
                            "tranche": tranche,
                            "report": str(gate).lower(),
                            "state": gate.get_state_display(),
                        }
                    )
                raise ValidationError(
                    _("%(t)s has not been released for payment yet.") % {"t": tranche}
                )
            if amount.currency.code != side.currency:
                raise ValidationError(
                    {
                        "amount": _("The %(side)s is paid in %(cur)s.")
                        % {"side": side.get_side_display(), "cur": side.currency}
                    }
                )
            budget = side.approved_budget.amount
            side_paid = paid_total(side)
            if side_paid + amount.amount > budget:
                raise ValidationError(
                    {
                        "amount": _(
                            "Refused: this payment of %(amount)s would exceed the approved budget of the %(side)s "
                            "(approved %(budget)s, already paid %(paid)s, remaining %(left)s)."
                        )
                        % {
                            "amount": money_str(amount),
                            "side": side.get_side_display(),
                            "budget": money_str(side.approved_budget),
                            "paid": money_str(Money(side_paid, side.currency)),
                            "left": money_str(Money(budget - side_paid, side.currency)),
                        }
                    }
                )
            tranche_paid = paid_total(side, tranche)
            if tranche_paid + amount.amount > tranche.amount.amount:
                raise ValidationError(
                    {
                        "amount": _(
                            "Refused: %(tranche)s is %(total)s and %(paid)s has been paid, so at most %(left)s "
                            "can be paid now."
                        )
                        % {
                            "tranche": tranche,
                            "total": money_str(tranche.amount),
                            "paid": money_str(Money(tranche_paid, side.currency)),
                            "left": money_str(
                                Money(tranche.amount.amount - tranche_paid, side.currency)
                            ),
                        }
                    }
                )
            payment = Payment.objects.create(
                project_side=side,
                tranche=tranche,
                amount=amount,
                paid_on=paid_on,
                bank_reference=bank_reference,
                idempotency_key=idempotency_key,
                recorded_by=actor,
            )
            if tranche_paid + amount.amount == tranche.amount.amount:
                transition(
                    tranche,
                    TrancheState.PAID,
                    actor=actor,
                    reason=because(
                        gettext_noop("Paid in full (%(amount)s)."), amount=money_str(tranche.amount)
                    ),
                )
    except IntegrityError:
        # The same key was inserted by a concurrent request: that one payment stands.
        return Payment.objects.get(idempotency_key=idempotency_key), False
    return payment, True


# ----------------------------------------------------------------------------------------------
# Reports
# ----------------------------------------------------------------------------------------------
def submit_report(
    report: Report, *, actor, summary: str, milestones: str = "", expenditure: str = "", file=None
) -> Report:
    side = report.project_side
    if not actor.has_perm("projects.submit_report", side):
        raise PermissionDenied(
            _("Only the lead of the %(side)s submits its reports.")
            % {"side": side.get_side_display()}
        )
    errors: dict[str, list] = bounds.length_errors(
        dict.fromkeys(("summary", "milestones", "expenditure"), bounds.REPORT_TEXT_MAX),
        {"summary": summary, "milestones": milestones, "expenditure": expenditure},
    )
    if not (summary or "").strip():
        errors["summary"] = [_("Describe the progress made.")]
    if file is not None:
        file_errors = check_attachment_file(file)
        if file_errors:
            errors["file"] = file_errors
    elif not report.file:
        errors["file"] = [_("Attach the report as a PDF file.")]
    _raise_if(errors)
    fields = ["summary", "milestones", "expenditure", "submitted_at", "submitted_by"]
    with transaction.atomic():
        _lock(report)
        if report.state not in OPEN_REPORT_STATES:
            raise ValidationError(_("This report has already been submitted."))
        report.summary, report.milestones, report.expenditure = summary, milestones, expenditure
        report.submitted_at, report.submitted_by = timezone.now(), actor
        if file is not None:
            report.file.save(file.name, file, save=False)
            report.original_name = file.name[:255]
            fields += ["file", "original_name"]
        transition(report, ReportState.SUBMITTED, actor=actor, update_fields=fields)
    officers = list(side.agency.officers.filter(is_active=True).values_list("email", flat=True))
    notify(
        officers,
        Subject(
            gettext_noop("%(report)s submitted for %(ref)s"),
            report=report,
            ref=side.project.reference,
        ),
        "projects/email/report_submitted.txt",
        {"report": report, "side": side},
    )
    return report


def review_report(report: Report, *, actor, accept: bool, comment: str = "") -> Report:
    """Accept or return a submitted report. Accepting releases the tranche it gates."""
    side = report.project_side
    _require_officer(actor, side)
    if not accept and not comment.strip():
        raise ValidationError(
            {"comment": _("Say what must change before the report can be accepted.")}
        )
    _raise_if(bounds.length_errors({"comment": bounds.NOTE_MAX}, {"comment": comment}))
    with transaction.atomic():
        _lock(report)
        if report.state != ReportState.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be reviewed."))
        report.reviewed_by, report.review_comment, report.reviewed_at = (
            actor,
            comment,
            timezone.now(),
        )
        transition(
            report,
            ReportState.ACCEPTED if accept else ReportState.RETURNED,
            actor=actor,
            reason=comment,
            update_fields=["reviewed_by", "review_comment", "reviewed_at"],
        )
        if accept and side.project.state == ProjectState.ACTIVE:
            for tranche in report.gated_tranches.filter(state=TrancheState.SCHEDULED):
                _release(
                    tranche,
                    actor,
                    _("Released after acceptance of the %(report)s.")
                    % {"report": str(report).lower()},
                )
            project = side.project
            if (
                report.kind == ReportKind.FINAL
                and not Report.objects.filter(project_side__project=project, kind=ReportKind.FINAL)
                .exclude(state=ReportState.ACCEPTED)
                .exists()
            ):
                transition(
                    project,
                    ProjectState.COMPLETED,
                    actor=actor,
                    reason=because(
                        gettext_noop("The final reports of both sides have been accepted.")
                    ),
                )
    if side.lead:
        notify(
            side.lead.email,
            Subject(
                gettext_noop("%(report)s accepted")
                if accept
                else gettext_noop("%(report)s returned for changes"),
                report=report,
            ),
            "projects/email/report_reviewed.txt",
            {"report": report, "side": side},
        )
    return report


# ----------------------------------------------------------------------------------------------
# Change requests
# ----------------------------------------------------------------------------------------------
def request_change(
    project_side: ProjectSide,
    *,
    actor,
    kind: str,
    description: str,
    new_end_date: dt.date | None = None,
    from_tranche: Tranche | None = None,
    to_tranche: Tranche | None = None,
    amount: Money | None = None,
    new_lead=None,
) -> ChangeRequest:
    if not actor.has_perm("projects.request_change", project_side):
        raise PermissionDenied(_("Only the lead of this side can request changes."))
    project = project_side.project
    errors: dict[str, list] = bounds.length_errors(
        {"description": bounds.NOTE_MAX}, {"description": description}
    )
    if not (description or "").strip():
        errors["description"] = [_("Explain the change.")]
    if kind == ChangeKind.EXTENSION:
        if new_end_date is None or new_end_date <= project.end_date:
            errors["new_end_date"] = [
                _("An extension needs a new end date after %(end)s.") % {"end": project.end_date}
            ]
        elif bounds.extension_error(project, new_end_date):
            errors["new_end_date"] = [bounds.extension_error(project, new_end_date)]
    elif kind == ChangeKind.BUDGET:
        errors.update(_check_reallocation(project_side, from_tranche, to_tranche, amount))
    elif kind == ChangeKind.TEAM:
        if new_lead is not None and new_lead.pk == project_side.lead_id:
            errors["new_lead"] = [_("This person already leads this side.")]
    else:
        errors["kind"] = [_("Choose the kind of change.")]
    _raise_if(errors)
    cr = ChangeRequest.objects.create(
        project_side=project_side,
        kind=kind,
        description=description,
        new_end_date=new_end_date if kind == ChangeKind.EXTENSION else None,
        from_tranche=from_tranche if kind == ChangeKind.BUDGET else None,
        to_tranche=to_tranche if kind == ChangeKind.BUDGET else None,
        amount=amount if kind == ChangeKind.BUDGET else None,
        new_lead=new_lead if kind == ChangeKind.TEAM else None,
        requested_by=actor,
    )
    record_initial_state(cr, actor=actor, reason=description)
    officers = list(
        project_side.agency.officers.filter(is_active=True).values_list("email", flat=True)
    )
    notify(
        officers,
        Subject(gettext_noop("Change request for %(ref)s"), ref=project.reference),
        "projects/email/change_requested.txt",
        {"change": cr, "side": project_side},
    )
    return cr


def _check_reallocation(side, from_tranche, to_tranche, amount) -> dict:
    errors: dict[str, list] = {}
    if from_tranche is None or to_tranche is None or from_tranche.pk == to_tranche.pk:
        errors["to_tranche"] = [_("Choose two different tranches of this side.")]
        return errors
    if from_tranche.project_side_id != side.pk or to_tranche.project_side_id != side.pk:
        errors["to_tranche"] = [_("Both tranches must belong to this side.")]
        return errors
    if amount is None or amount.amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
        return errors
    if amount.currency.code != side.currency:
        errors["amount"] = [
            _("The %(side)s is in %(cur)s.")
            % {"side": side.get_side_display(), "cur": side.currency}
        ]
        return errors
    if from_tranche.state == TrancheState.PAID or to_tranche.state == TrancheState.PAID:
        errors["to_tranche"] = [_("A tranche paid in full cannot be changed.")]
        return errors
    left = from_tranche.amount.amount - paid_total(side, from_tranche)
    if amount.amount > left:
        errors["amount"] = [
            _("At most %(left)s can be moved out of %(t)s.")
            % {"left": money_str(Money(left, side.currency)), "t": from_tranche}
        ]
    return errors


def decide_change(cr: ChangeRequest, *, actor, approve: bool, comment: str = "") -> ChangeRequest:
    side = cr.project_side
    _require_officer(actor, side)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the request is rejected.")})
    _raise_if(bounds.length_errors({"comment": bounds.NOTE_MAX}, {"comment": comment}))
    with transaction.atomic():
        side = ProjectSide.objects.select_for_update().get(pk=side.pk)
        _lock(cr)  # after the side (the order every money-moving service takes its locks in)
        if cr.state != ChangeState.SUBMITTED:
            raise ValidationError(_("This request has already been decided."))
        if approve and cr.kind == ChangeKind.BUDGET:
            src = Tranche.objects.select_for_update().get(pk=cr.from_tranche_id)
            dst = Tranche.objects.select_for_update().get(pk=cr.to_tranche_id)
            _raise_if(_check_reallocation(side, src, dst, cr.amount))
            src.amount -= cr.amount
            dst.amount += cr.amount
            src.save(update_fields=["amount"])
            dst.save(update_fields=["amount"])
        elif approve and cr.kind == ChangeKind.EXTENSION and cr.new_end_date:
            project = side.project
            rules = schedule_rules(project.proposal.call.scheme)
            if cr.new_end_date > project.end_date:
                project.end_date = cr.new_end_date
                project.save(update_fields=["end_date"])
            Report.objects.filter(
                project_side__project=project, kind=ReportKind.FINAL, state__in=OPEN_REPORT_STATES
            ).update(
                period_end=cr.new_end_date,
                due_date=cr.new_end_date + dt.timedelta(days=rules.final_due_days),
            )
        elif approve and cr.kind == ChangeKind.TEAM and cr.new_lead_id:
            side.lead_id = cr.new_lead_id
            side.save(update_fields=["lead"])
        cr.decided_by, cr.decision_comment = actor, comment
        transition(
            cr,
            ChangeState.APPROVED if approve else ChangeState.REJECTED,
            actor=actor,
            reason=comment,
            update_fields=["decided_by", "decision_comment"],
        )
    if cr.requested_by.email:
        notify(
            cr.requested_by.email,
            Subject(
                gettext_noop("Your change request for %(ref)s was decided"),
                ref=side.project.reference,
            ),
            "projects/email/change_decided.txt",
            {"change": cr, "side": side},
        )
    return cr


# ----------------------------------------------------------------------------------------------
# Outcomes
# ----------------------------------------------------------------------------------------------
OUTCOME_FIELDS = (
    "side",
    "kind",
    "title",
    "description",
    "date",
    "url",
    "ip_status",
    "jurisdiction",
    "application_number",
    "owner",
    "doi",
    "count",
    "amount",
)


def _check_outcome(data: dict) -> dict:
    kind = data.get("kind")
    errors: dict[str, list] = {}
    if kind not in OutcomeKind.values:
        errors["kind"] = [_("Choose the kind of outcome.")]
    if not (data.get("title") or "").strip():
        errors["title"] = [_("Give the outcome a title.")]
    if kind in IP_KINDS:
        if not data.get("ip_status"):
            errors["ip_status"] = [_("Give the status of this IP.")]
        if not data.get("jurisdiction"):
            errors["jurisdiction"] = [_("Give the jurisdiction (e.g. Mainland, Hong Kong, PCT).")]
    if kind == OutcomeKind.PEOPLE_TRAINED and not data.get("count"):
        errors["count"] = [_("How many people were trained?")]
    if kind == OutcomeKind.FOLLOW_ON and not data.get("amount"):
        errors["amount"] = [_("Give the amount of follow-on funding.")]
    errors.update(bounds.length_errors({"description": bounds.NOTE_MAX}, data))
    return errors


def _check_outcome_date(project, data: dict) -> dict:
    error = bounds.outcome_date_error(project, data.get("date"))
    return {"date": [error]} if error else {}


def add_outcome(project: Project, *, actor, **data) -> Outcome:
    if not actor.has_perm("projects.add_outcome", project):
        raise PermissionDenied(_("Only the project leads record outcomes."))
    unknown = set(data) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"unknown outcome fields: {sorted(unknown)}")
    _raise_if({**_check_outcome(data), **_check_outcome_date(project, data)})
    if data.get("kind") not in IP_KINDS:
        data.update(ip_status="", jurisdiction="", application_number="")
    data = {k: v for k, v in data.items() if v is not None or k in ("count", "amount")}
    outcome = Outcome.objects.create(project=project, created_by=actor, **data)
    return outcome


def update_outcome(outcome: Outcome, *, actor, **data) -> Outcome:
    if not actor.has_perm("projects.add_outcome", outcome.project):
        raise PermissionDenied(_("Only the project leads record outcomes."))
    merged = {f: getattr(outcome, f) for f in OUTCOME_FIELDS}
    merged.update(data)
    _raise_if(
        {
            **_check_outcome(merged),
            **(_check_outcome_date(outcome.project, data) if "date" in data else {}),
        }
    )
    for k, v in data.items():
        setattr(outcome, k, v)
    outcome.save()
    return outcome
