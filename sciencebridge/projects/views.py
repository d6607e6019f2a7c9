"""Thin views: parse input, call a service, render. Rules live in services/ and rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.pagination import KnownCountPaginator
from sciencebridge.core.scripts import icontains_any
from sciencebridge.core.workflow import timeline

from . import selectors
from .forms import (
    ChangeRequestForm,
    DecisionForm,
    OutcomeForm,
    PaymentForm,
    ProjectFilterForm,
    ReportForm,
    ReviewForm,
)
from .list_counts import visible_project_count
from .models import (
    OPEN_REPORT_STATES,
    ChangeRequest,
    Outcome,
    Report,
    ReportState,
    Tranche,
    TrancheState,
)
from .rules import is_lead_of, visible_sides
from .services import projects as svc
from .worklists import KEPT_ROWS, WORKLISTS, first_worklist_rows

LIST_PAGE_SIZE = 50


def _project(request, reference):
    """The project if the user may see it; 404 otherwise (no hint that it exists)."""
    project = selectors.visible_projects(request.user).filter(reference=reference).first()
    if project is None:
        raise Http404
    return project


def _side_object(request, project, model, pk, **extra):
    """An object of one side of ``project`` that the user may see (404 otherwise)."""
    obj = get_object_or_404(
        model.objects.select_related("project_side"), pk=pk, project_side__project=project, **extra
    )
    if obj.project_side.side not in visible_sides(request.user, project):
        raise Http404
    obj.project_side.project = project
    return obj


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    qs = selectors.project_list_rows(request.user)
    filtered = False
    if form.is_valid():
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            qs = qs.filter(icontains_any(["reference", "title"], q))
            filtered = True
        if form.cleaned_data["state"]:
            qs = qs.filter(state=form.cleaned_data["state"])
            filtered = True
    qs = qs.order_by("-start_date", "reference")
    if filtered:
        paginator = Paginator(qs, LIST_PAGE_SIZE)
    else:  # the whole list: its count kept between requests
        count = visible_project_count(request.user)
        paginator = KnownCountPaginator(qs, LIST_PAGE_SIZE, count=count)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.with_side_names(list(page.object_list))
    query = request.GET.copy()  # the filters, kept on the pager's links
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {"page": page, "form": form, "query": query.urlencode()},
    )


# per section on the desk, 20; "Show all" lists one section, LIST_PAGE_SIZE a page
DESK_ROWS = KEPT_ROWS - 1


def _desk_sections() -> list[dict]:
    """The officer's worklists in the desk's order; ``template`` renders a section's rows."""
    return [
        {
            "key": "overdue-reports",
            "title": _("Overdue reports"),
            "template": "projects/_overdue_reports.html",
        },
        {
            "key": "overdue-payments",
            "title": _("Overdue payments"),
            "template": "projects/_overdue_payments.html",
        },
        {
            "key": "awaiting-review",
            "title": _("Reports awaiting your review"),
            "template": "projects/_overdue_reports.html",
        },
        {
            "key": "pending-changes",
            "title": _("Change requests awaiting a decision"),
            "template": "projects/_pending_changes.html",
        },
        {
            "key": "payable",
            "title": _("Tranches released for payment"),
            "template": "projects/_overdue_payments.html",
        },
    ]


def _whole_section(user, key: str, today):
    """A section's whole list, oldest first: a kept worklist's (``worklists.WORKLISTS``), or the
    change requests, which are not kept."""
    whole = WORKLISTS.get(key)
    return selectors.pending_changes(user) if whole is None else whole(user, today)


@login_required
def officer_desk(request):
    """Every worklist with its oldest rows (and a link to the whole list when there are more), or,
    with ``?section=``, one worklist in full, a page at a time."""
    if not request.user.has_perm("projects.officer_pages"):
        raise PermissionDenied(_("This page is for programme officers."))
    user, today = request.user, timezone.localdate()
    sections = _desk_sections()
    ctx = {"today": today, "page": None}
    chosen = next((s for s in sections if s["key"] == request.GET.get("section")), None)
    if chosen is not None:
        whole = _whole_section(user, chosen["key"], today)
        ctx["page"] = Paginator(whole, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        chosen["rows"] = ctx["page"].object_list
        sections = [chosen]
    else:
        kept = first_worklist_rows(user, today)  # per agency (``worklists``)
        for section in sections:  # one row more than shown tells whether there are more
            key = section["key"]
            rows = kept[key] if key in kept else list(_whole_section(user, key, today)[:KEPT_ROWS])
            section["rows"], section["more"] = rows[:DESK_ROWS], len(rows) > DESK_ROWS
    ctx["sections"] = sections
    return render(request, "projects/officer_desk.html", ctx)


@login_required
def project_detail(request, reference):
    project = _project(request, reference)
    sides = visible_sides(request.user, project)
    rows = selectors.side_rows(project, sides)
    for row in rows:
        s = row["side"]
        s.project = project
        row["can_manage"] = request.user.has_perm("projects.manage_side", s)
        row["is_lead"] = s.lead_id == request.user.pk
        for t in row["tranches"]:  # "Release" is offered only when the service would accept it
            t.project_side = s
            t.can_release = row["can_manage"] and request.user.has_perm(
                "projects.release_tranche", t
            )
    outcomes = list(project.outcomes.all())
    steps = timeline(project)
    for row in rows:  # one query per side; each step names its side
        side_steps = timeline(*row["tranches"], *row["reports"], *row["changes"])
        for step in side_steps:
            step.subject_label = f"{row['side'].get_side_display()} · {step.subject_label}"
        steps += side_steps
    steps.sort(key=lambda step: (step.at, step.pk))
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "rows": rows,
            "outcomes": outcomes,
            "timeline": steps,
            "is_lead": is_lead_of(request.user, project),
        },
    )


@login_required
def pay_tranche(request, reference, pk):
    project = _project(request, reference)
    tranche = _side_object(request, project, Tranche, pk)
    side = tranche.project_side
    if not request.user.has_perm("projects.manage_side", side):
        raise PermissionDenied(
            _("Only officers of %(agency)s record payments for this side.")
            % {"agency": side.agency}
        )
    paid = svc.paid_total(side, tranche)
    remaining = tranche.amount.amount - paid
    if request.method == "POST":
        form = PaymentForm(request.POST, currency=side.currency)
        if form.is_valid():
            try:
                payment, created = svc.record_payment(
                    tranche,
                    actor=request.user,
                    amount=form.cleaned_data["amount"],
                    paid_on=form.cleaned_data["paid_on"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    bank_reference=form.cleaned_data["bank_reference"],
                )
            except ValidationError as e:
                apply_errors(form, e)
            else:
                if created:
                    messages.success(
                        request,
                        _("Payment of %(amount)s recorded.")
                        % {"amount": svc.money_str(payment.amount)},
                    )
                else:
                    messages.info(
                        request, _("This payment was already recorded; nothing was paid twice.")
                    )
                return redirect("projects:detail", reference=project.reference)
    else:
        form = PaymentForm(
            currency=side.currency,
            initial={
                "idempotency_key": svc.new_idempotency_key(),
                "amount": (remaining, side.currency),
            },
        )
    return render(
        request,
        "projects/pay.html",
        {
            "project": project,
            "tranche": tranche,
            "side": side,
            "form": form,
            "paid": paid,
            "remaining": remaining,
        },
    )


@login_required
@require_POST
def release(request, reference, pk):
    project = _project(request, reference)
    tranche = _side_object(request, project, Tranche, pk)
    try:
        svc.release_tranche(tranche, actor=request.user)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("%(t)s released for payment.") % {"t": tranche})
    return redirect("projects:detail", reference=project.reference)


@login_required
def report_detail(request, reference, pk):
    project = _project(request, reference)
    report = _side_object(request, project, Report, pk)
    side = report.project_side
    can_submit = (
        request.user.has_perm("projects.submit_report", side) and report.state in OPEN_REPORT_STATES
    )
    can_review = (
        request.user.has_perm("projects.manage_side", side)
        and report.state == ReportState.SUBMITTED
    )
    submit_form = review_form = None
    if can_submit:
        submit_form = ReportForm(
            request.POST if request.POST.get("action") == "submit" else None,
            request.FILES or None,
            initial={
                "summary": report.summary,
                "milestones": report.milestones,
                "expenditure": report.expenditure,
            },
        )
    if can_review:
        review_form = ReviewForm(request.POST if request.POST.get("action") == "review" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "submit" and submit_form is not None and submit_form.is_valid():
            d = submit_form.cleaned_data
            try:
                svc.submit_report(
                    report,
                    actor=request.user,
                    summary=d["summary"],
                    milestones=d["milestones"],
                    expenditure=d["expenditure"],
                    file=d["file"] or None,
                )
            except ValidationError as e:
                apply_errors(submit_form, e)
            else:
                messages.success(
                    request,
                    _("%(report)s submitted to %(agency)s.")
                    % {"report": report, "agency": side.agency},
                )
                return redirect("projects:detail", reference=project.reference)
        elif action == "review" and review_form is not None and review_form.is_valid():
            accept = review_form.cleaned_data["decision"] == "accept"
            try:
                svc.review_report(
                    report,
                    actor=request.user,
                    accept=accept,
                    comment=review_form.cleaned_data["comment"],
                )
            except ValidationError as e:
                apply_errors(review_form, e)
            else:
                if accept:
                    released = list(report.gated_tranches.filter(state=TrancheState.RELEASED))
                    msg = _("%(report)s accepted.") % {"report": report}
                    if released:
                        msg += " " + _("%(t)s is now released for payment.") % {"t": released[0]}
                    messages.success(request, msg)
                else:
                    messages.success(
                        request, _("%(report)s returned to the lead.") % {"report": report}
                    )
                return redirect("projects:detail", reference=project.reference)
        elif action not in ("submit", "review") or (submit_form is None and review_form is None):
            raise PermissionDenied
    return render(
        request,
        "projects/report_detail.html",
        {
            "project": project,
            "report": report,
            "side": side,
            "submit_form": submit_form,
            "review_form": review_form,
            "timeline": timeline(report),
        },
    )


@login_required
def change_create(request, reference):
    project = _project(request, reference)
    side = next((s for s in project.sides.all() if s.lead_id == request.user.pk), None)
    if side is None:
        raise PermissionDenied(_("Only a project lead can request changes."))
    side.project = project
    form = ChangeRequestForm(request.POST or None, project_side=side)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.request_change(
                side,
                actor=request.user,
                kind=d["kind"],
                description=d["description"],
                new_end_date=d["new_end_date"],
                from_tranche=d["from_tranche"],
                to_tranche=d["to_tranche"],
                amount=d["amount"],
                new_lead=d["new_lead"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("Change request sent to %(agency)s.") % {"agency": side.agency}
            )
            return redirect("projects:detail", reference=project.reference)
    return render(
        request,
        "projects/form.html",
        {
            "project": project,
            "form": form,
            "heading": _("Request a change"),
            "intro": _(
                "Your request goes to the programme officers of %(agency)s for the %(side)s."
            )
            % {"agency": side.agency, "side": side.get_side_display()},
        },
    )


@login_required
def change_detail(request, reference, pk):
    project = _project(request, reference)
    change = _side_object(request, project, ChangeRequest, pk)
    side = change.project_side
    can_decide = request.user.has_perm("projects.manage_side", side) and change.state == "submitted"
    form = DecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                svc.decide_change(
                    change,
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("projects:detail", reference=project.reference)
    return render(
        request,
        "projects/change_detail.html",
        {
            "project": project,
            "change": change,
            "side": side,
            "form": form,
            "timeline": timeline(change),
        },
    )


def _outcome_data(cleaned):
    return {k: v for k, v in cleaned.items()}


@login_required
def outcome_create(request, reference):
    project = _project(request, reference)
    if not request.user.has_perm("projects.add_outcome", project):
        raise PermissionDenied(_("Only the project leads record outcomes."))
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.add_outcome(project, actor=request.user, **_outcome_data(form.cleaned_data))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("projects:detail", reference=project.reference)
    return render(
        request,
        "projects/form.html",
        {"project": project, "form": form, "heading": _("Record an outcome"), "outcome_form": True},
    )


@login_required
def outcome_edit(request, reference, pk):
    project = _project(request, reference)
    outcome = get_object_or_404(Outcome, pk=pk, project=project)
    if not request.user.has_perm("projects.add_outcome", project):
        raise PermissionDenied(_("Only the project leads record outcomes."))
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        try:
            outcome.refresh_from_db()
            svc.update_outcome(outcome, actor=request.user, **_outcome_data(form.cleaned_data))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Outcome updated."))
            return redirect("projects:detail", reference=project.reference)
    return render(
        request,
        "projects/form.html",
        {"project": project, "form": form, "heading": _("Edit outcome"), "outcome_form": True},
    )
