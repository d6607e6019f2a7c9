"""Thin views: parse input, call a service, render. Rules live in services/ and rules.py.
Objects a user may not see are 404s; officers of an agency outside the call's scheme get 403.
Proposals a user has a conflict of interest with (``conflicts``) are never shown to them."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline
from sciencebridge.experts.conflict_reasons import worded_notes
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.models import Call, HalfState
from sciencebridge.review.shortfalls import worded_shortfall

from . import selectors
from .api import visible_groups
from .conflicts import conflicted_proposal_ids, has_conflict
from .forms import AddReviewerForm, ConflictForm, DeadlineForm, ReasonForm, ReviewForm, StartRunForm
from .models import (
    Assignment,
    AssignmentRun,
    AssignmentState,
    ReviewScore,
    ReviewState,
    RunState,
    without_run_details,
)
from .services import assignment as asvc
from .services import invitations as inv
from .services import reviews as rsvc
from .services.scoring import unit_key

SIDE_SLUGS = {"hk": "HK", "ml": "ML", "shared": ""}


def side_slug(side: str) -> str:
    return {"HK": "hk", "ML": "ml", "": "shared"}[side]


def _side(slug: str) -> str:
    if slug not in SIDE_SLUGS:
        raise Http404
    return SIDE_SLUGS[slug]


@login_required
def home(request):
    user = request.user
    if (
        getattr(user, "expert_profile", None) is not None
        and not selectors.officer_calls(user).exists()
    ):
        return redirect("review:mine")
    calls = list(selectors.officer_calls(user))
    if not calls and not user.is_superuser:
        raise Http404
    return render(request, "review/home.html", {"calls": calls})


# ----------------------------------------------------------------------------------------------
# Officers
# ----------------------------------------------------------------------------------------------
def _refuse(request, call):
    from sciencebridge.decisions.rules import is_other_agency_officer

    if is_other_agency_officer(request.user, call):
        raise PermissionDenied(_("Your agency takes no part in this call."))
    raise Http404


def _call_sides(request, call):
    sides = [s for s in asvc.review_sides(call) if asvc.may_manage(request.user, call, s)]
    if not sides:
        _refuse(request, call)
    return sides


@login_required
def call_review(request, code):
    call = get_object_or_404(
        Call.objects.select_related("scheme").prefetch_related("scheme__sides__agency"), code=code
    )
    sides = _call_sides(request, call)
    runs = defaultdict(list)
    for run in selectors.runs_for(call):
        runs[run.side].append(run)
    blocks = []
    status = {row["side"]: row for row in selectors.assignment_status(call)}
    for side in sides:
        window = asvc.window_for(call, side)
        units = asvc.count_units(call, side)
        blocks.append(
            {
                "side": side,
                "slug": side_slug(side),
                "runs": runs.get(side, []),
                "window": window,
                "units": units,
                "status": status.get(side),
                "run_blockers": asvc.run_blockers(call, side, n_units=units),
                "start_form": StartRunForm(call=call),
                "deadline_form": DeadlineForm(
                    prefix=side_slug(side),
                    initial={
                        "deadline": timezone.localtime(window.deadline) if window else None,
                        "reminder_days": window.reminder_days
                        if window
                        else asvc.policy_for(call.scheme).reminder_days,
                    },
                ),
            }
        )
    for b in blocks:
        b["summary"] = selectors.call_review_summary(call, b["side"])
    partners = []
    if not call.scheme.shared_review and not request.user.is_superuser:
        for s in call.scheme.sides.all():
            if s.side not in sides and selectors.partner_summary_allowed(call.scheme, s.side):
                partners.append(
                    {
                        "side": s.side,
                        "summary": selectors.call_review_summary(call, s.side, only_side=True),
                    }
                )
    return render(
        request,
        "review/call.html",
        {
            "call": call,
            "blocks": blocks,
            "partners": partners,
            "policy": asvc.policy_for(call.scheme),
        },
    )


@login_required
@require_POST
def start_run(request, code, side):
    call = get_object_or_404(Call.objects.select_related("scheme"), code=code)
    side = _side(side)
    if not asvc.may_manage(request.user, call, side):
        _refuse(request, call)
    form = StartRunForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, _("Choose an assignment mode and a text model."))
        return redirect("review:call", code=code)
    try:
        run = asvc.start_run(
            request.user,
            call,
            side,
            mode=form.cleaned_data["mode"],
            model=form.cleaned_data["model"] or None,
            probability_cap=form.cleaned_data.get("probability_cap"),
        )
    except ValidationError as e:
        flash_errors(request, e)
        return redirect("review:call", code=code)
    messages.success(request, _("Assignment started; this page shows its progress."))
    return redirect("review:run", pk=run.pk)


@login_required
@require_POST
def set_deadline(request, code, side):
    call = get_object_or_404(Call.objects.select_related("scheme"), code=code)
    side = _side(side)
    if not asvc.may_manage(request.user, call, side):
        _refuse(request, call)
    form = DeadlineForm(request.POST, prefix=side_slug(side))
    if form.is_valid():
        window = asvc.set_deadline(request.user, call, side, form.cleaned_data["deadline"])
        window.reminder_days = form.cleaned_data["reminder_days"]
        window.save(update_fields=["reminder_days"])
        messages.success(request, _("Review deadline saved."))
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return redirect("review:call", code=code)


def _managed_run(request, pk) -> AssignmentRun:
    # the notes of every unit are read for the units a page shows (``selectors.unit_notes``)
    run = get_object_or_404(
        AssignmentRun.objects.select_related("call__scheme", "job").defer("notes"), pk=pk
    )
    if not asvc.may_manage(request.user, run.call, run.side):
        _refuse(request, run.call)
    return run


@login_required
def run_status(request, pk):
    run = _managed_run(request, pk)
    job = run.job
    return JsonResponse(
        {
            "id": run.pk,
            "state": job.state if job else run.state,
            "run_state": run.state,
            "progress": job.progress if job else 0,
            "total": job.total if job else 0,
            "percent": job.percent if job else 0,
            "message": job.message_text if job else "",
            "error": (job.error.splitlines()[0] if job and job.error else run.error[:200]),
            # waiting for the queue / stalled / retrying, with the reason (jobs app)
            "status_label": job.get_status_display() if job else "",
            "reason": job.reason_text if job else "",
        }
    )


#: the run page's own query parameters, kept when a form on it sends the officer back
RUN_PAGE_PARAMETERS = ("q", "short", "page")


def _run_page_query(data) -> str:
    """The run page's filter and page (``q``, ``short``, ``page``) from ``data``, as a query string:
    nothing else from the request goes into the address the officer is sent back to."""
    kept = QueryDict(mutable=True)
    for name in RUN_PAGE_PARAMETERS:
        if data.get(name):
            kept[name] = data[name][:200]
    return kept.urlencode()


def _back_to_run(run, back: str, anchor: str = "") -> str:
    query = _run_page_query(QueryDict(back))
    return reverse("review:run", args=[run.pk]) + (f"?{query}" if query else "") + anchor


@login_required
def run_detail(request, pk):
    run = _managed_run(request, pk)
    editable = run.state in (RunState.PROPOSED, RunState.PUBLISHED)
    q = request.GET.get("q", "").strip()[:200]
    only_short = bool(request.GET.get("short")) and bool(run.unassignable)
    units = None
    rows = []
    if editable:
        units = selectors.run_unit_page(
            request.user, run, q=q, only_short=only_short, number=request.GET.get("page")
        )
        seats = defaultdict(list)
        notes = worded_notes(selectors.unit_notes(run, [u.key for u in units.page]))
        proposals = [u.proposal.pk for u in units.page]
        for a in selectors.run_assignments(request.user, run, proposals=proposals):
            a.removable = asvc.may_remove(a)
            seats[(a.proposal_id, a.half_id)].append(a)
        for u in units.page:
            mine = seats.get((u.proposal.pk, u.half.pk if u.half else None), [])
            rows.append(
                {
                    "unit": u,
                    "seats": mine,
                    "note": notes.get(u.key, {}),
                    "active": sum(1 for a in mine if a.is_active),
                    "unassignable": worded_shortfall(
                        notes.get(u.key, {}).get("short"), run.unassignable.get(u.key)
                    ),
                    # reviewers are added while every reviewed half is still eligible
                    "open": all(h.state == HalfState.ELIGIBLE for h in u.reviewed_halves()),
                }
            )
    conflicted = conflicted_proposal_ids(request.user)
    groups = visible_groups(run.groups, conflicted)
    names = (
        {
            e.pk: e
            for e in ExpertProfile.objects.filter(pk__in={x for g in groups for x in g["shared"]})
        }
        if groups
        else {}
    )
    for g in groups:
        g["shared_experts"] = [names[x] for x in g["shared"] if x in names]
        g["similarity"] = max((p[2] for p in g["pairs"]), default=None)
    return render(
        request,
        "review/run.html",
        {
            "run": run,
            "rows": rows,
            "page": units.page if units else None,
            "q": q,
            "only_short": only_short,
            "back": _run_page_query(request.GET),
            "window": asvc.window_for(run.call, run.side),
            "side_slug": side_slug(run.side),
            "timeline": timeline(run),
            "editable": editable,
            "running": run.state in (RunState.QUEUED, RunState.RUNNING),
            "publish_blockers": asvc.publish_blockers(request.user, run)
            if run.state == RunState.PROPOSED
            else [],
            "n_withheld": units.n_withheld if units else 0,
            "groups": groups,
            "rules_note": run.parameters.get("region_minimums", {}).get("OV"),
        },
    )


@login_required
def run_experts(request, pk):
    """Suggestions for the run page's "Add a reviewer" field (JSON): admitted experts of the run's
    regions whom the typed text names. Only for the officers who manage the run."""
    run = _managed_run(request, pk)
    text = request.GET.get("q", "")[:200]
    found = selectors.reviewer_candidates(run, text) if len(text.strip()) >= 2 else []
    return JsonResponse({"results": [{"id": e.pk, "label": reviewer_label(e)} for e in found]})


def reviewer_label(expert: ExpertProfile) -> str:
    """How a suggested expert reads in the field; the trailing ``#number`` is what the form reads."""
    parts = [str(expert), expert.institution or "", f"#{expert.pk}"]
    return " · ".join(str(p) for p in parts if p)


@login_required
@require_POST
def add_reviewer(request, pk):
    run = _managed_run(request, pk)
    form = AddReviewerForm(request.POST, run=run, user=request.user)
    anchor = ""
    if form.is_valid():
        unit, expert = form.cleaned_data["unit"], form.cleaned_data["expert"]
        anchor = f"#unit-{unit.key}"
        try:
            a = asvc.add_reviewer(request.user, run, unit, expert)
        except PermissionDenied as e:
            messages.error(request, str(e))
        except ValidationError as e:
            messages.error(request, _("%(name)s cannot review this proposal:") % {"name": expert})
            flash_errors(request, e)
        else:
            messages.success(
                request,
                _("%(name)s added to %(ref)s.") % {"name": a.expert, "ref": a.proposal.reference},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_back_to_run(run, request.POST.get("back", ""), anchor))


@login_required
@require_POST
def remove_reviewer(request, pk):
    a = get_object_or_404(
        without_run_details(Assignment.objects.select_related("run__call__scheme", "expert")), pk=pk
    )
    if not asvc.may_manage(request.user, a.run.call, a.run.side) or has_conflict(
        request.user, a.proposal_id
    ):
        raise Http404
    try:
        asvc.remove_reviewer(request.user, a, request.POST.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("%(name)s removed.") % {"name": a.expert})
    anchor = f"#unit-{unit_key(a.proposal_id, a.half_id)}"
    return redirect(_back_to_run(a.run, request.POST.get("back", ""), anchor))


@login_required
@require_POST
def publish(request, pk):
    run = _managed_run(request, pk)
    try:
        n = asvc.publish(request.user, run)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("%(n)d invitations sent.") % {"n": n})
    return redirect("review:run", pk=run.pk)


# ----------------------------------------------------------------------------------------------
# Experts
# ----------------------------------------------------------------------------------------------
@login_required
def mine(request):
    seats = selectors.mark_withheld(request.user, list(selectors.my_assignments(request.user)))
    groups = {
        "invited": [a for a in seats if a.state == AssignmentState.INVITED],
        "accepted": [a for a in seats if a.state == AssignmentState.ACCEPTED],
        "submitted": [a for a in seats if a.state == AssignmentState.SUBMITTED],
        "ended": [
            a
            for a in seats
            if a.state
            in (AssignmentState.DECLINED, AssignmentState.CONFLICT, AssignmentState.WITHDRAWN)
        ],
    }
    windows = {(w.call_id, w.side): w for w in selectors.windows_for(seats)}
    for a in seats:
        a.window = windows.get((a.proposal.call_id, a.run.side))
    return render(
        request,
        "review/mine.html",
        {"groups": groups, "is_expert": getattr(request.user, "expert_profile", None) is not None},
    )


def _own_seat(request, *, token=None, pk=None) -> Assignment:
    qs = Assignment.objects.select_related(
        "expert", "proposal__call__scheme", "proposal__area", "run__call", "half"
    )
    a = get_object_or_404(qs, token=token) if token else get_object_or_404(qs, pk=pk)
    if a.expert.user_id != request.user.pk or a.state in (
        AssignmentState.PROPOSED,
        AssignmentState.REMOVED,
    ):
        raise Http404
    return a


def _conflict_page(request, a):
    """An open seat whose expert has a declared or detected conflict with the proposal: nothing of the
    proposal is shown (reference only); the expert can hand the seat back."""
    return render(request, "review/conflict.html", {"a": a, "reason_form": ReasonForm()})


@login_required
def respond(request, token):
    """The invitation link: who applies (to judge conflicts) and accept / decline / conflict."""
    a = _own_seat(request, token=token)
    if a.state in (AssignmentState.CONFLICT, AssignmentState.WITHDRAWN):
        raise Http404  # an expert with a conflict (or withdrawn) sees nothing more of the proposal
    if has_conflict(request.user, a.proposal_id):
        return _conflict_page(request, a)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                inv.accept(request.user, a)
                messages.success(request, _("Thank you: invitation accepted."))
                return redirect("review:review", pk=a.pk)
            if action == "decline":
                inv.decline(request.user, a, request.POST.get("reason", "").strip())
                messages.success(
                    request, _("Invitation declined. Another reviewer will be invited.")
                )
                return redirect("review:mine")
            if action == "conflict":
                inv.declare_conflict(request.user, a, request.POST.get("reason", ""))
                messages.success(request, _("Conflict recorded. You will not see this proposal."))
                return redirect("review:mine")
        except ValidationError as e:
            flash_errors(request, e)
        except PermissionDenied as e:
            messages.error(request, str(e))
    halves = list(
        a.proposal.halves.select_related("institution", "lead").prefetch_related(
            "team__institution"
        )
    )
    return render(
        request,
        "review/respond.html",
        {
            "a": a,
            "halves": halves,
            "reason_form": ReasonForm(),
            "window": asvc.window_for(a.run.call, a.run.side),
        },
    )


@login_required
def review(request, pk):
    a = _own_seat(request, pk=pk)
    if a.state == AssignmentState.INVITED:
        return redirect("review:respond", token=a.token)
    if a.state not in (AssignmentState.ACCEPTED, AssignmentState.SUBMITTED):
        raise Http404  # declined, conflict, withdrawn: the proposal stays closed
    if has_conflict(request.user, a.proposal_id):
        if a.state == AssignmentState.ACCEPTED:
            return _conflict_page(request, a)
        raise Http404
    if a.coi_confirmed_at is None:
        halves = list(
            a.proposal.halves.select_related("institution", "lead").prefetch_related(
                "team__institution"
            )
        )
        return render(
            request, "review/coi.html", {"a": a, "halves": halves, "form": ConflictForm()}
        )
    rev = rsvc.draft_for(request.user, a)
    rev = (
        type(rev)
        .objects.select_related("assignment")
        .prefetch_related(_scores_prefetch())
        .get(pk=rev.pk)
    )
    form = None
    if rev.state == ReviewState.DRAFT:
        form = ReviewForm(request.POST or None, review=rev)
        if request.method == "POST" and form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                rsvc.save(request.user, rev, submit=submit, **form.service_kwargs())
            except ValidationError as e:
                apply_errors(form, e)
                if submit:
                    messages.warning(
                        request, _("Your draft is saved, but the review was not submitted.")
                    )
            else:
                messages.success(
                    request, _("Review submitted. Thank you.") if submit else _("Draft saved.")
                )
                return redirect("review:review", pk=a.pk)
    halves = list(
        a.proposal.halves.select_related("institution", "lead").prefetch_related(
            "team__institution", "budget_lines", "attachments__kind"
        )
    )
    shown = [h for h in halves if a.half_id is None or h.pk == a.half_id]
    return render(
        request,
        "review/review.html",
        {
            "a": a,
            "review": rev,
            "form": form,
            "halves": shown,
            "all_halves": halves,
            "peers": selectors.peer_reviews(request.user, a),
            "peers_visible": a.proposal.call.scheme.reviewers_see_other_reviews,
            "window": asvc.window_for(a.run.call, a.run.side),
            "late": rsvc.deadline_error(a) if rev.state == ReviewState.DRAFT else None,
        },
    )


def _scores_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "scores",
        queryset=ReviewScore.objects.select_related("criterion").order_by("criterion__order"),
    )


@login_required
@require_POST
def confirm_no_conflict(request, pk):
    a = _own_seat(request, pk=pk)
    try:
        inv.confirm_no_conflict(request.user, a)
    except ValidationError as e:
        flash_errors(request, e)
    return redirect("review:review", pk=a.pk)


@login_required
@require_POST
def declare_conflict(request, pk):
    a = _own_seat(request, pk=pk)
    try:
        inv.declare_conflict(request.user, a, request.POST.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
        return redirect("review:review", pk=a.pk)
    messages.success(request, _("Conflict recorded. You will not see this proposal."))
    return redirect("review:mine")
