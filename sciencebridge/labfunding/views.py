"""Thin views: the public overview (exercises and released totals), grants for the office and the funder."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from djmoney.money import Money

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline

from . import selectors
from .forms import GrantForm, ReportForm
from .models import Exercise, GrantState, LabGrant, LabProgramme, ReportState
from .services import grants as svc


def overview(request):
    """Public: released totals by programme and year, the exercises; no single grant is shown."""
    programmes = {p.pk: p for p in LabProgramme.objects.select_related("funder")}
    by_code = {p.code: p for p in programmes.values()}
    totals = selectors.public_totals()
    for row in totals:
        row["programme"] = by_code.get(row["programme__code"])
        row["total"] = Money(row["total"] or 0, row["amount_currency"])
    return render(
        request,
        "labfunding/overview.html",
        {
            "programmes": programmes.values(),
            "totals": totals,
            "exercises": selectors.exercises(),
            "may_list": request.user.is_authenticated
            and (
                request.user.has_role("administrator")
                or (request.user.has_role("research_office") and request.user.institution_id)
                or (request.user.has_role("programme_officer") and request.user.agency_id)
            ),
        },
    )


def exercise_detail(request, code):
    exercise = get_object_or_404(Exercise, code=code)
    outcomes = list(selectors.exercise_outcomes(exercise))
    counts = defaultdict(int)
    for o in outcomes:
        counts[o.get_outcome_display()] += 1
    return render(
        request,
        "labfunding/exercise_detail.html",
        {"exercise": exercise, "outcomes": outcomes, "counts": sorted(counts.items())},
    )


@login_required
def grant_list(request):
    grants = selectors.grants_for(request.user)
    state = request.GET.get("state")
    if state in GrantState.values:
        grants = grants.filter(state=state)
    return render(
        request,
        "labfunding/grant_list.html",
        {
            "grants": grants[:500],
            "can_offer": request.user.has_perm("labfunding.offer"),
            "states": GrantState.choices,
            "state": state,
        },
    )


@login_required
def grant_create(request):
    if not request.user.has_perm("labfunding.offer"):
        raise PermissionDenied
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            grant = svc.offer_grant(
                request.user, d["programme"], d["platform"], year=d["year"], amount=d["amount"]
            )
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Grant offered."))
            return redirect("labfunding:grant", pk=grant.pk)
    return render(request, "labfunding/grant_form.html", {"form": form})


def _grant_or_404(request, pk):
    grant = get_object_or_404(
        LabGrant.objects.select_related("programme__funder", "platform", "institution", "report"),
        pk=pk,
    )
    if not request.user.has_perm("labfunding.view_grant", grant):
        raise Http404
    return grant


@login_required
def grant_detail(request, pk):
    grant = _grant_or_404(request, pk)
    report = grant.report
    user = request.user
    can_edit = user.has_perm("labfunding.edit_report", grant) and report.state in (
        ReportState.DRAFT,
        ReportState.RETURNED,
    )
    can_decide = user.has_perm("labfunding.decide", grant)
    return render(
        request,
        "labfunding/grant_detail.html",
        {
            "grant": grant,
            "report": report,
            "check": svc.matching_check(report),
            "can_edit": can_edit,
            "can_submit": can_edit,
            "can_review": can_decide and report.state == ReportState.SUBMITTED,
            "can_release": can_decide and grant.state == GrantState.OFFERED,
            "timeline": timeline(grant, report),
        },
    )


@login_required
def report_edit(request, pk):
    grant = _grant_or_404(request, pk)
    if not request.user.has_perm("labfunding.edit_report", grant):
        raise PermissionDenied
    report = grant.report
    initial = {
        "expenditure": report.expenditure.amount if report.expenditure is not None else None,
        "matching": report.matching.amount if report.matching is not None else None,
        "summary": report.summary,
    }
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.save_report(
                request.user,
                report,
                work_plan=d.get("work_plan") or None,
                financial_report=d.get("financial_report") or None,
                expenditure=d.get("expenditure"),
                matching=d.get("matching"),
                summary=d.get("summary", ""),
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Report saved."))
            return redirect("labfunding:grant", pk=grant.pk)
    return render(
        request, "labfunding/report_form.html", {"form": form, "grant": grant, "report": report}
    )


@login_required
@require_POST
def grant_act(request, pk):
    grant = _grant_or_404(request, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    actions = {
        "submit": lambda: svc.submit_report(request.user, grant.report, reason),
        "approve": lambda: svc.decide_report(
            request.user, grant.report, approve=True, reason=reason
        ),
        "return": lambda: svc.decide_report(
            request.user, grant.report, approve=False, reason=reason
        ),
        "release": lambda: svc.release_grant(request.user, grant, reason),
        "cancel": lambda: svc.cancel_grant(request.user, grant, reason),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except PermissionDenied:
        raise
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Done."))
    return redirect("labfunding:grant", pk=grant.pk)
