"""Thin views: the public dashboard, agreements, meetings and indicators; the secretariat's workplans."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import allowed_targets, timeline

from .forms import (
    AgreementForm,
    EvidenceForm,
    ItemForm,
    MeetingForm,
    MilestoneForm,
    StatusForm,
    WorkplanForm,
)
from .models import Agreement, AgreementStatus, Indicator, Meeting, Workplan, WorkplanItem
from .services import charts as ch
from .services import echarts, public_dashboard, records
from .services import progress as prog
from .services import workplans as svc


def _can_edit(user) -> bool:
    return user.has_perm("cooperation.edit_workplan")


def dashboard(request):
    """The public dashboard: live figures, approved workplans' progress per area, and every chart."""
    figures = public_dashboard.figures()
    # the kept charts are shared between requests: each gets its panels on a copy, worked out
    # only when its section is drawn, i.e. not already kept rendered under its fingerprint
    charts = [{**c, "panels": partial(_panels, c)} for c in figures["charts"]]
    return render(
        request,
        "cooperation/dashboard.html",
        {"charts": charts, "plans": figures["plans"], "live": figures["live"]},
    )


def _panels(chart: dict) -> list[dict]:
    panels = echarts.panels(chart) if chart["labels"] else []
    for p in panels:
        p["option_id"] = f"{p['id']}-option"
    return panels


def dashboard_csv(request, key):
    # the dashboard's kept figures: the download is exactly the chart on the page
    chart = next((c for c in public_dashboard.figures()["charts"] if c["key"] == key), None)
    if chart is None:
        raise Http404
    resp = HttpResponse("\ufeff" + ch.to_csv(chart), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="sciencebridge-{key}.csv"'
    return resp


def _agreements_for(user):
    qs = Agreement.objects.all()
    return qs if _can_edit(user) else qs.exclude(status=AgreementStatus.DRAFT)


def agreement_list(request):
    agreements = _agreements_for(request.user).prefetch_related("parties", "areas")
    return render(request, "cooperation/agreement_list.html", {"agreements": agreements})


def agreement_detail(request, code):
    a = get_object_or_404(
        _agreements_for(request.user)
        .select_related("renews", "parent")
        .prefetch_related("parties", "areas", "annexes", "workplans"),
        code=code,
    )
    return render(request, "cooperation/agreement_detail.html", {"a": a})


def meeting_list(request):
    workplans = (
        Workplan.objects.all()
        if _can_edit(request.user)
        else Workplan.objects.exclude(state="draft")
    )
    meetings = Meeting.objects.prefetch_related(
        "decisions", Prefetch("workplans", queryset=workplans)
    )
    return render(request, "cooperation/meeting_list.html", {"meetings": meetings})


def indicator_list(request):
    indicators = Indicator.objects.prefetch_related("values")
    live = {x["indicator"].pk: x["value"] for x in public_dashboard.figures()["live"]}
    return render(
        request, "cooperation/indicator_list.html", {"indicators": indicators, "live": live}
    )


def _secretariat(request):
    """Workplan pages are the secretariat's: anyone else gets a 404, as for any object they may not see."""
    if not _can_edit(request.user):
        raise Http404


@login_required
def workplan_list(request):
    _secretariat(request)
    return render(
        request,
        "cooperation/workplan_list.html",
        {"workplans": Workplan.objects.select_related("approved_at", "agreement")},
    )


@login_required
def workplan_create(request):
    _secretariat(request)
    form = WorkplanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            wp = svc.create_workplan(request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Workplan recorded. Now add its items."))
            return redirect("cooperation:workplan", code=wp.code)
    return render(request, "cooperation/workplan_form.html", {"form": form})


@login_required
def workplan_detail(request, code):
    _secretariat(request)
    wp = get_object_or_404(Workplan.objects.select_related("approved_at", "agreement"), code=code)
    return render(
        request,
        "cooperation/workplan_detail.html",
        {
            "wp": wp,
            "areas": prog.workplan_progress(wp),
            "targets": sorted(allowed_targets(wp)),
            "timeline": timeline(wp),
        },
    )


@login_required
def progress_overview(request):
    """The secretariat's view of progress per area across the workplans in force, off-track items first."""
    _secretariat(request)
    cache = prog.MetricCache()
    plans = [
        {"workplan": wp, "areas": prog.workplan_progress(wp, cache)}
        for wp in prog.current_workplans()
    ]
    return render(request, "cooperation/progress.html", {"plans": plans})


@login_required
@require_POST
def workplan_move(request, code):
    _secretariat(request)
    wp = get_object_or_404(Workplan, code=code)
    try:
        svc.move_workplan(
            request.user, wp, request.POST.get("to", ""), reason=request.POST.get("reason", "")
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Recorded."))
    return redirect("cooperation:workplan", code=code)


@login_required
def item_edit(request, code, pk=None):
    _secretariat(request)
    wp = get_object_or_404(Workplan, code=code)
    item = get_object_or_404(WorkplanItem, workplan=wp, pk=pk) if pk else None
    form = ItemForm(request.POST or None, instance=item or WorkplanItem(workplan=wp))
    if request.method == "POST" and form.is_valid():
        try:
            svc.save_item(request.user, wp, item, **form.cleaned_item())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Item saved."))
            return redirect("cooperation:workplan", code=code)
    return render(request, "cooperation/item_form.html", {"form": form, "wp": wp, "item": item})


@login_required
def item_detail(request, code, pk):
    _secretariat(request)
    item = get_object_or_404(
        WorkplanItem.objects.select_related("workplan", "area"), workplan__code=code, pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    status_form = StatusForm(request.POST if action == "status" else None)
    evidence_form = EvidenceForm(request.POST if action == "evidence" else None)
    milestone_form = MilestoneForm(request.POST if action == "milestone" else None)
    forms = {"status": status_form, "evidence": evidence_form, "milestone": milestone_form}
    if action in forms and forms[action].is_valid():
        data = forms[action].cleaned_data
        try:
            if action == "status":
                svc.move_item(request.user, item, data["status"], data["reason"])
            elif action == "evidence":
                svc.add_evidence(request.user, item, **data)
            else:
                svc.add_milestone(request.user, item, **data)
        except ValidationError as e:
            apply_errors(forms[action], e)
        else:
            messages.success(request, _("Recorded."))
            return redirect("cooperation:item", code=code, pk=pk)
    row = prog.item_row(item, prog.MetricCache())
    return render(
        request,
        "cooperation/item_detail.html",
        {
            "item": item,
            "row": row,
            "status_form": status_form,
            "evidence_form": evidence_form,
            "milestone_form": milestone_form,
            "timeline": timeline(item),
            "evidence": item.evidence.select_related("added_by"),
            "milestones": item.milestones.all(),
        },
    )


@login_required
def meeting_edit(request, number=None):
    """The secretariat records a committee meeting: agenda, minutes and its decisions in order."""
    _secretariat(request)
    meeting = get_object_or_404(Meeting, number=number) if number else None
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            records.record_meeting(request.user, meeting, **form.cleaned_meeting())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("cooperation:meetings")
    return render(
        request,
        "cooperation/record_form.html",
        {
            "form": form,
            "title": _("Record a committee meeting") if meeting is None else str(meeting),
        },
    )


@login_required
def agreement_edit(request, code=None):
    _secretariat(request)
    agreement = get_object_or_404(Agreement, code=code) if code else None
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_agreement()
        try:
            a = records.save_agreement(
                request.user,
                agreement,
                parties=data.pop("parties"),
                areas=data.pop("areas"),
                **data,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("cooperation:agreement", code=a.code)
    return render(
        request,
        "cooperation/record_form.html",
        {"form": form, "title": _("Record an agreement") if agreement is None else agreement.title},
    )
