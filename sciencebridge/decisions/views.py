"""Thin views: panel, joint review meeting, decisions, budget, applicant outcome and letters.

Proposals come from ``selectors`` (and ``panel_view(..., viewer=...)``), which leave out every proposal
the user has a conflict of interest with; officers of an agency outside the call's scheme get 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sciencebridge.core.errors import apply_errors
from sciencebridge.core.workflow import timeline
from sciencebridge.funding.models import (
    SIDE_CURRENCY,
    Call,
    JointProposal,
    Side,
    other_side,
)
from sciencebridge.funding.rules import is_applicant_on
from sciencebridge.review.conflicts import has_conflict

from . import selectors
from .forms import ChairForm, DecisionForm, RecommendationForm
from .meeting_rows import meeting_rows
from .models import Panel
from .rules import is_other_agency_officer
from .services import bulk as bsvc
from .services import decisions as dsvc
from .services import gates, letters
from .services import panel as psvc

#: Rows (and reviewers) a panel or meeting page shows: as the officer's lists (50 rows a page).
PANEL_PAGE_SIZE = 50


def _side(value: str) -> str:
    side = value.upper()
    if side not in Side.values:
        raise Http404
    return side


def _call(code) -> Call:
    return get_object_or_404(
        Call.objects.select_related("scheme").prefetch_related("scheme__sides__agency"), code=code
    )


def _refuse(request, call):
    """Officers of an agency outside the call's scheme: 403 with the reason; anyone else: 404."""
    if is_other_agency_officer(request.user, call):
        raise PermissionDenied(_("Your agency takes no part in this call."))
    raise Http404


def _meeting_call(request, code) -> Call:
    call = _call(code)
    if not request.user.has_perm("decisions.view_meeting", call):
        _refuse(request, call)
    return call


def _panel_sides(user, call) -> list[str]:
    """The sides whose panel page ``user`` may open (links to others would only be refused)."""
    out = []
    for side in call.scheme.side_codes():
        panel = Panel(call=call, side=side)
        if user.has_perm("decisions.view_panel", panel):
            out.append(side.lower())
    return out


@login_required
def index(request):
    calls = list(selectors.officer_calls(request.user).prefetch_related("scheme__sides"))
    for c in calls:
        c.panel_sides = _panel_sides(request.user, c)
    return render(
        request,
        "decisions/index.html",
        {
            "calls": calls,
            "panels": selectors.chaired_panels(request.user),
            "pending": selectors.pending_decisions(request.user)[:50],
        },
    )


def _panel(request, code, side) -> Panel:
    call = _call(code)
    if _side(side) not in call.scheme.side_codes():
        raise Http404  # a national programme has one side
    panel = psvc.panel_for(call, _side(side))
    panel.call = call
    if not request.user.has_perm("decisions.view_panel", panel):
        _refuse(request, call)
    return panel


@login_required
def panel_page(request, code, side):
    panel = _panel(request, code, side)
    chair_form = None
    is_officer = bool(
        request.user.has_perm("decisions.view_panel", panel)
        and panel.chair_id != request.user.pk
        and request.user.agency_id
    )
    if is_officer:
        chair_form = ChairForm(request.POST or None, initial={"chair": panel.chair_id})
        if request.method == "POST" and chair_form.is_valid():
            try:
                psvc.appoint_chair(request.user, panel, chair_form.cleaned_data["chair"])
            except ValidationError as e:
                apply_errors(chair_form, e)
            except PermissionDenied as e:
                chair_form.add_error(None, str(e))
            else:
                messages.success(request, _("Panel chair appointed."))
                return redirect("decisions:panel", code=code, side=side)
    view = psvc.panel_view(panel, viewer=request.user)
    # Ranked and calibrated over the whole side; shown 50 rows (and 50 reviewers) a page, and only the
    # shown rows are loaded (a national call side holds thousands of proposals and reviewers).
    page = Paginator(view.rows, PANEL_PAGE_SIZE).get_page(request.GET.get("page"))
    reviewers = Paginator(view.reviewers, PANEL_PAGE_SIZE).get_page(request.GET.get("reviewers"))
    other = None
    if other_side(panel.side) in panel.call.scheme.side_codes():
        other = psvc.panel_for(panel.call, other_side(panel.side))
        other.call = panel.call
    return render(
        request,
        "decisions/panel.html",
        {
            "panel": panel,
            "call": panel.call,
            "view": view,
            "page": page,
            "reviewers": reviewers,
            "chair_form": chair_form,
            "is_chair": panel.chair_id == request.user.pk,
            "side": side.lower(),
            "other_side": other_side(panel.side).lower(),
            "may_view_other": other is not None
            and request.user.has_perm("decisions.view_panel", other),
            "may_view_meeting": request.user.has_perm("decisions.view_meeting", panel.call),
            "invite_more_url": _invite_more_url(request.user, panel) if view.n_not_gradable else "",
            "may_bulk": bsvc.may_decide_side(request.user, panel.call, panel.side),
        },
    )


def _invite_more_url(user, panel) -> str:
    """The review run page where the side's officers add reviewers by hand (the replacement and
    extra-invitation flow), for the officers who may; empty for everyone else."""
    from sciencebridge.review.models import AssignmentRun, RunState
    from sciencebridge.review.services.assignment import may_manage

    side = "" if panel.call.scheme.shared_review else panel.side
    if not may_manage(user, panel.call, side):
        return ""
    run = (
        AssignmentRun.objects.filter(call=panel.call, side=side, state=RunState.PUBLISHED)
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("review:run", args=[run]) if run else ""


@login_required
def recommend(request, code, side, ref):
    panel = _panel(request, code, side)
    half = selectors.panel_half(request.user, panel, ref)
    rec = getattr(half, "panel_recommendation", None)
    is_chair = panel.chair_id == request.user.pk
    initial = (
        {"recommendation": rec.recommendation, "notes": rec.notes, "conditions": rec.conditions}
        if rec
        else {}
    )
    form = RecommendationForm(request.POST or None, initial=initial) if is_chair else None
    if request.method == "POST":
        if not is_chair:
            raise PermissionDenied(_("Only the chair of this panel records its recommendations."))
        if form.is_valid():
            try:
                psvc.record_recommendation(request.user, half, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Recommendation recorded for %(ref)s.") % {"ref": ref})
                return redirect("decisions:panel", code=code, side=side)
    row = psvc.panel_view(panel, viewer=request.user).row_for(half)
    history = (
        list(rec.history.select_related("history_user").order_by("-history_date")) if rec else []
    )
    return render(
        request,
        "decisions/recommend.html",
        {
            "panel": panel,
            "call": panel.call,
            "half": half,
            "proposal": half.proposal,
            "row": row,
            "form": form,
            "rec": rec,
            "history": history,
            "steps": timeline(rec) if rec else [],
            "side": side.lower(),
        },
    )


#: rows listed on the bulk page past the proposals to fund, and of those left out (``all`` lists all)
BULK_ROWS_SHOWN = 100


def _bulk_n(value) -> int | None:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return None


@login_required
def bulk(request, code, side):
    """Decide the side in bulk: preview (GET, or a POST without ``confirm``), then confirm (POST with
    the previewed plan's fingerprint). Only the programme officers who decide on this side."""
    panel = _panel(request, code, side)
    call, side_code = panel.call, panel.side
    bsvc.require_may_decide_side(request.user, call, side_code)
    data = request.POST if request.method == "POST" else request.GET
    n = _bulk_n(data.get("n"))
    error = None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            if n is None:
                raise ValidationError(_("Choose how many proposals to fund."))
            done = bsvc.decide_in_bulk(
                request.user,
                call,
                side_code,
                n=n,
                fingerprint=request.POST.get("fingerprint", ""),
            )
        except ValidationError as e:
            error = e.messages
        else:
            funded = sum(1 for d in done if d.amount is not None)
            messages.success(
                request,
                _("%(n)d decisions recorded: %(funded)d funded, %(regretted)d not funded.")
                % {"n": len(done), "funded": funded, "regretted": len(done) - funded},
            )
            return redirect("decisions:panel", code=call.code, side=side.lower())
    plan = bsvc.plan_bulk_decisions(request.user, call, side_code, n=n)
    # Every proposal to fund is listed, then the first of the rest: a national side has thousands
    # (a 690 KB page); "show all" lists them all. The decision covers the whole plan either way.
    everything = bool(data.get("all"))
    items = plan.items[: None if everything else plan.n + BULK_ROWS_SHOWN]
    excluded = plan.excluded[: None if everything else BULK_ROWS_SHOWN]
    plan.show(*items, *excluded)
    return render(
        request,
        "decisions/bulk.html",
        {
            "panel": panel,
            "call": call,
            "side": side.lower(),
            "plan": plan,
            "items": items,
            "n_items_hidden": len(plan.items) - len(items),
            "excluded": excluded,
            "n_excluded_hidden": len(plan.excluded) - len(excluded),
            "letters": bsvc.preview_letters(plan, None),
            "error": error,
        },
    )


@login_required
def meeting(request, code):
    call = _meeting_call(request, code)
    views = {}
    sides = call.scheme.side_codes()
    for side in sides:
        panel = psvc.panel_for(call, side)
        panel.call = call
        views[side] = psvc.panel_view(panel, viewer=request.user)
    # Every proposal with a half at the decision stage (a panel half on either side), in order of its
    # best rank on either side; only the page shown is loaded with its halves, recommendations and
    # decisions.
    order = psvc.meeting_order(views.values())
    page = Paginator(order, PANEL_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = meeting_rows(
        request.user, call, views, sides, [pid for pid, _ref in page.object_list]
    )
    return render(
        request,
        "decisions/meeting.html",
        {
            "call": call,
            "rows": page,
            "budget": dsvc.budget_summary(call),
            "panel_sides": _panel_sides(request.user, call),
            "sides": [{"code": s, "label": Side(s).label} for s in sides],
        },
    )


@login_required
def decide(request, ref, side):
    side = _side(side)
    half = selectors.decision_half(request.user, ref, side)
    call = half.proposal.call
    if not request.user.has_perm("decisions.view_meeting", call):
        _refuse(request, call)
    if not dsvc.may_decide_for(request.user, half):
        raise PermissionDenied(
            _("Only %(agency)s's programme officers decide for this half.")
            % {"agency": half.agency}
        )
    from sciencebridge.funding.validation import budget_total

    requested = budget_total(half)
    ceiling = call.ceiling_for(side)
    suggested = requested
    if ceiling is not None and suggested > ceiling:
        suggested = ceiling
    blockers = gates.decision_blockers(half)
    form = DecisionForm(
        request.POST or None,
        initial={"decision": "fund", "amount": suggested},
        override=bool(blockers),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dsvc.decide(
                request.user,
                half,
                fund=d["decision"] == "fund",
                amount=d["amount"],
                reason=d["reason"],
                conditions=d["conditions"],
                override_reason=d.get("override_reason", ""),
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            half.refresh_from_db()
            messages.success(
                request,
                _("Decision recorded for %(ref)s (%(side)s).")
                % {"ref": ref, "side": half.get_side_display()},
            )
            return redirect("decisions:meeting", code=call.code)
    partner = (
        half.proposal.halves.exclude(pk=half.pk).select_related("side_decision", "agency").first()
    )
    budget = next(b for b in dsvc.budget_summary(call) if b["side"] == side)
    return render(
        request,
        "decisions/decide.html",
        {
            "half": half,
            "proposal": half.proposal,
            "call": call,
            "form": form,
            "partner": partner,
            "partner_decision": getattr(partner, "side_decision", None) if partner else None,
            "rec": getattr(half, "panel_recommendation", None),
            "budget": budget,
            "blockers": blockers,
            "requested": requested,
            "ceiling": ceiling,
            "currency": SIDE_CURRENCY[side],
        },
    )


@login_required
def budget(request, code):
    call = _meeting_call(request, code)
    decisions = selectors.call_decisions(request.user, call)
    return render(
        request,
        "decisions/budget.html",
        {
            "call": call,
            "budget": dsvc.budget_summary(call),
            "decisions": decisions,
        },
    )


def _outcome_proposal(request, ref) -> JointProposal:
    proposal = get_object_or_404(
        JointProposal.objects.select_related("call__scheme").prefetch_related(
            "call__scheme__sides",
            "halves__team",
            "halves__agency",
            "halves__lead",
            "halves__side_decision",
        ),
        reference=ref,
    )
    if not request.user.has_perm("decisions.view_outcome", proposal):
        raise Http404
    # The applicants read their own outcome; anyone else with a conflict of interest sees nothing.
    if not is_applicant_on(request.user, proposal) and has_conflict(request.user, proposal):
        raise Http404
    return proposal


def applicant_comments(proposal) -> list[dict]:
    """Comments to the applicant, per side, as "Reviewer 1/2/3": never names, scores or confidential notes."""
    out = []
    by_side: dict[str, list] = {}
    for r in psvc.submitted_reviews(proposal.call, proposal=proposal):
        if r.comments_to_applicant.strip():
            by_side.setdefault(r.assignment.half.side if r.assignment.half_id else "", []).append(
                r.comments_to_applicant.strip()
            )
    for side, label in [("", _("Joint review")), *Side.choices]:
        if side in by_side:
            out.append(
                {
                    "side": side,
                    "label": label,
                    "comments": [
                        {"label": _("Reviewer %(n)d") % {"n": i}, "text": t}
                        for i, t in enumerate(by_side[side], 1)
                    ],
                }
            )
    return out


@login_required
def outcome(request, ref):
    proposal = _outcome_proposal(request, ref)
    halves = [h for h in (proposal.half(Side.HONG_KONG), proposal.half(Side.MAINLAND)) if h]
    final = bool(halves) and all(letters.letter_kind(h) for h in halves)
    staff = request.user.is_superuser or request.user.has_perm(
        "decisions.view_meeting", proposal.call
    )
    steps = timeline(
        *halves, *[h.side_decision for h in halves if getattr(h, "side_decision", None)]
    )
    if not staff:
        steps = [s for s in steps if s.visible_to_applicant]
    return render(
        request,
        "decisions/outcome.html",
        {
            "proposal": proposal,
            "halves": halves,
            "final": final,
            "staff": staff,
            "comments": applicant_comments(proposal) if final else [],
            "timeline": steps,
            "jointly_funded": proposal.is_jointly_funded,
            "joint": proposal.call.scheme.is_joint,
        },
    )


@login_required
def letter(request, ref, side):
    proposal = _outcome_proposal(request, ref)
    half = proposal.half(_side(side))
    if half is None or letters.letter_kind(half) is None:
        raise Http404
    lang = request.GET.get("lang") or letters.letter_language(half.lead)
    if lang not in letters.LANGS:
        lang = "en"
    pdf = letters.render_letter_pdf(half, lang)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{letters.letter_filename(half)}"'
    return resp
