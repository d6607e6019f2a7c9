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
from sciencebridge.core.workflow import timeline

from . import exports, half_rows, officer_list, selectors
from .forms import (
    AttachmentForm,
    BudgetFormSet,
    EndorseForm,
    HalfDetailsForm,
    InviteForm,
    OfficerFilterForm,
    ProposalForm,
    ReasonForm,
    ScreenForm,
    TeamMemberForm,
)
from .models import (
    SIDE_REGION,
    Call,
    HalfState,
    JointProposal,
    PartnerInvitation,
    PartnerVisibility,
    Side,
    TeamMember,
    other_side,
)
from .proposal_lookup import visible_proposal
from .rules import (
    endorsement_blocker,
    half_visibility,
    is_officer_of,
    is_research_office_of,
    screening_blocker,
    submission_blocker,
    takes_part_in_call,
)
from .services import proposals as svc
from .validation import budget_total, check_for_submission
from .visibility import half_data


def call_list(request):
    calls = Call.objects.select_related("scheme").order_by("-closes_at")
    return render(request, "funding/call_list.html", {"calls": calls})


def call_detail(request, code):
    call = get_object_or_404(Call.objects.select_related("scheme"), code=code)
    scheme = call.scheme
    sides = scheme.sides.select_related("agency").prefetch_related("designated_institutions")
    national = None if scheme.is_joint else _national_context(request.user, call)
    return render(
        request,
        "funding/call_detail.html",
        {
            "national": national,
            "call": call,
            "scheme": scheme,
            "sides": sides,
            "themes": call.themes.all(),
            "criteria": scheme.criteria.all(),
            "types": scheme.project_types.all(),
            "attachments": scheme.required_attachments.all(),
            "can_list_proposals": takes_part_in_call(request.user, call),
        },
    )


def _national_context(user, call) -> dict:
    """What a national programme's call page shows: designated institutions, personal rules, the
    exercise's quota, and the signed-in applicant's own eligibility, rule by rule, with reasons."""
    from sciencebridge.decisions.services.decisions import awarded_count

    from .models import PersonalRules
    from .validation import _designated, evaluate_eligibility

    scheme_side = call.scheme.single_side
    mine = None
    if user.is_authenticated and user.has_role("applicant"):
        mine = evaluate_eligibility(call, user)
    return {
        "side": scheme_side,
        "designated": _designated(call, scheme_side),
        "rules": PersonalRules.objects.filter(scheme=call.scheme).first(),
        "quota": call.award_quota,
        "awarded": awarded_count(call) if call.award_quota is not None else None,
        "mine": mine,
        "eligible": mine is not None and all(r["status"] != "fail" for r in mine),
    }


@login_required
def eligibility_profile(request):
    """The applicant's own personal eligibility data (national programmes); only they edit it."""
    from .forms import EligibilityProfileForm
    from .models import EligibilityProfile

    profile, _created = EligibilityProfile.objects.get_or_create(user=request.user)
    form = EligibilityProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your eligibility profile is saved."))
        nxt = request.GET.get("next", "")
        if nxt.startswith("/") and not nxt.startswith("//"):
            return redirect(nxt)
        return redirect("funding:eligibility_profile")
    return render(request, "funding/eligibility_profile.html", {"form": form})


@login_required
def proposal_create(request, code):
    call = get_object_or_404(Call.objects.select_related("scheme"), code=code)
    form = ProposalForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = svc.create_proposal(request.user, call, **form.cleaned_data)
        except PermissionDenied as e:
            form.add_error(None, str(e) or _("You may not start a proposal."))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            if call.scheme.is_joint:
                text = _(
                    "Proposal %(ref)s started. Now complete your half and invite your partner."
                )
            else:
                text = _(
                    "Application %(ref)s started. Now complete it; your eligibility is shown below."
                )
            messages.success(request, text % {"ref": proposal.reference})
            return redirect("funding:proposal", ref=proposal.reference)
    return render(request, "funding/proposal_form.html", {"form": form, "call": call})


@login_required
def my_proposals(request):
    return render(
        request,
        "funding/my_proposals.html",
        {"proposals": selectors.my_proposal_rows(request.user)},
    )


def _visible_proposal(request, ref) -> JointProposal:
    proposal = visible_proposal(request.user, ref)
    if proposal is None:
        raise Http404
    return proposal


_ASK = object()


def _half_view(user, half, side, level=_ASK):
    """One half as ``user`` may see it: the level of ``rules.half_visibility`` (unless given) and
    what that level shares (``visibility.half_data``). The proposal page and the endorsement page
    both use it."""
    if level is _ASK:
        level = half_visibility(user, half) if half else None
    return {
        "half": half,
        "level": level,
        "side": side,
        "data": half_data(half, level) if half else None,
        "is_mine": bool(half and half.lead_id == user.pk),
        # Offered only when the service would accept it (the same rules).
        "can_screen": bool(level and user.has_perm("funding.screen_half", half)),
        "can_endorse": bool(level and user.has_perm("funding.endorse_half", half)),
    }


def _half_views(user, proposal):
    shown = []
    for side in (Side.HONG_KONG, Side.MAINLAND):
        half = proposal.half(side)
        if half is None and not proposal.call.scheme.is_joint:
            continue  # a national programme has one half
        shown.append((half, side, half_visibility(user, half) if half else None))
    half_rows.attach_full_rows([half for half, _side, level in shown if level == "full"])
    return [_half_view(user, half, side, level) for half, side, level in shown]


@login_required
def proposal_detail(request, ref):
    proposal = _visible_proposal(request, ref)
    halves = _half_views(request.user, proposal)
    # A partner half's history (reasons included) is part of what only "full" shares.
    visible = [hv["half"] for hv in halves if hv["level"] == "full"]
    for hv in halves:
        h = hv["half"]
        if hv["level"] == "full" and hv["is_mine"] and h.is_editable:
            hv["missing"] = check_for_submission(h)
    steps = list(timeline(*visible))
    if not _is_staff_viewer(request.user):
        # Applicants see the steps meant for them; staff-internal notes stay internal.
        steps = [s for s in steps if s.visible_to_applicant]
    invitation = proposal.invitations.filter(accepted_at__isnull=True, revoked=False).first()
    national = None
    if not proposal.call.scheme.is_joint:
        national = _national_half_context(request.user, proposal)
    return render(
        request,
        "funding/proposal_detail.html",
        {
            "national": national,
            "proposal": proposal,
            "halves": halves,
            "timeline": steps,
            "invitation": invitation,
            "can_edit_shared": any(hv["is_mine"] and hv["half"].is_editable for hv in halves)
            and not any(hv["half"].is_submitted for hv in halves),
            "is_lead": any(hv["is_mine"] for hv in halves),
            "can_withdraw": request.user.has_perm("funding.withdraw_proposal", proposal),
        },
    )


@login_required
def proposal_print(request, ref):
    """The whole proposal on one printable page: the same proposal and the same halves, at the same
    levels, as ``proposal_detail`` (``_visible_proposal`` / ``_half_views``), without the actions,
    the timeline or anything about its review."""
    proposal = _visible_proposal(request, ref)
    halves = _half_views(request.user, proposal)
    return render(
        request,
        "funding/proposal_print.html",
        {"proposal": proposal, "halves": halves, "printed_at": timezone.now()},
    )


def _national_half_context(user, proposal) -> dict | None:
    """The eligibility of a national programme's single half, rule by rule, and the lead's personal
    data: shown to the lead, and to the screening officers of the agency once submitted to it."""
    from .models import EligibilityProfile
    from .validation import evaluate_eligibility

    half = proposal.halves.first()
    if half is None or half.lead is None:
        return None
    if not user.has_perm("funding.view_eligibility_profile", half.lead):
        return None
    if half.lead_id != user.pk and not is_officer_of(user, half):
        return None
    return {
        "half": half,
        "results": evaluate_eligibility(proposal.call, half.lead, half=half),
        "profile": EligibilityProfile.objects.filter(user=half.lead).first(),
        "is_officer": half.lead_id != user.pk,
    }


def _is_staff_viewer(user):
    return any(user.has_role(r) for r in ("programme_officer", "research_office", "administrator"))


@login_required
def proposal_edit(request, ref):
    proposal = _visible_proposal(request, ref)
    form = ProposalForm(request.POST or None, instance=proposal, call=proposal.call)
    if request.method == "POST" and form.is_valid():
        try:
            svc.update_shared(
                request.user, JointProposal.objects.get(pk=proposal.pk), **form.cleaned_data
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("funding:proposal", ref=ref)
    return render(
        request,
        "funding/proposal_form.html",
        {"form": form, "call": proposal.call, "proposal": proposal},
    )


def _my_half(request, ref, side):
    proposal = _visible_proposal(request, ref)
    half = proposal.half(side.upper())
    if half is None:
        raise Http404
    if half is None:
        raise Http404
    if half.lead_id != request.user.pk:
        raise PermissionDenied(_("Only the lead of this half can change it."))
    return proposal, half


@login_required
def half_edit(request, ref, side):
    proposal, half = _my_half(request, ref, side)
    action = request.POST.get("action") if request.method == "POST" else None
    details = HalfDetailsForm(
        request.POST if action == "details" else None, instance=half, prefix="d"
    )
    initial = [
        {"category": b.category, "description": b.description, "amount": b.amount}
        for b in half.budget_lines.all()
    ]
    budget = BudgetFormSet(
        request.POST if action == "budget" else None,
        initial=initial,
        prefix="b",
        form_kwargs={"currency": half.currency},
    )
    region = half.proposal.call.scheme.lead_regions(half.side)  # a national half: HK / Macao
    team_form = TeamMemberForm(
        request.POST if action == "team" else None, region=region, prefix="t"
    )
    attach_form = AttachmentForm(
        request.POST if action == "attach" else None,
        request.FILES if action == "attach" else None,
        half=half,
        prefix="a",
    )
    try:
        if action == "details" and details.is_valid():
            svc.update_half(
                request.user,
                half,
                keywords=details.cleaned_data["keywords"],
                discipline_codes=details.cleaned_data["discipline_codes"],
                industry_sponsorship=details.cleaned_data.get("industry_sponsorship"),
            )
            messages.success(request, _("Details saved."))
            return redirect("funding:half_edit", ref=ref, side=side)
        if action == "budget" and budget.is_valid():
            lines = [
                f.cleaned_data
                for f in budget.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for ln in lines:
                ln.pop("DELETE", None)
            svc.replace_budget(request.user, half, lines)
            messages.success(request, _("Budget saved."))
            return redirect("funding:half_edit", ref=ref, side=side)
        if action == "team" and team_form.is_valid():
            svc.add_team_member(request.user, half, **team_form.cleaned_data)
            messages.success(request, _("Team member added."))
            return redirect("funding:half_edit", ref=ref, side=side)
        if action == "attach" and attach_form.is_valid():
            svc.add_attachment(
                request.user,
                half,
                attach_form.cleaned_data["kind"],
                attach_form.cleaned_data["file"],
            )
            messages.success(request, _("Attachment uploaded."))
            return redirect("funding:half_edit", ref=ref, side=side)
    except ValidationError as e:
        target = {"details": details, "team": team_form, "attach": attach_form}.get(action)
        if action == "budget":
            budget._non_form_errors = budget.error_class(e.messages)
        elif target is not None:
            apply_errors(target, e)
    return render(
        request,
        "funding/half_edit.html",
        {
            "proposal": proposal,
            "half": half,
            "details": details,
            "budget": budget,
            "team_form": team_form,
            "attach_form": attach_form,
            "team": half.team.select_related("institution"),
            "attachments": half.attachments.select_related("kind"),
            "total": budget_total(half),
            "ceiling": proposal.call.ceiling_for(half.side),
            "submission_blocker": submission_blocker(half),
        },
    )


@login_required
@require_POST
def team_remove(request, ref, side, member_id):
    proposal, half = _my_half(request, ref, side)
    member = get_object_or_404(TeamMember, pk=member_id, half=half)
    try:
        svc.remove_team_member(request.user, member)
    except ValidationError as e:
        flash_errors(request, e)
    return redirect("funding:half_edit", ref=ref, side=side)


@login_required
def invite(request, ref):
    proposal = _visible_proposal(request, ref)
    mine = next((h for h in proposal.halves.all() if h.lead_id == request.user.pk), None)
    if mine is None or not proposal.call.scheme.is_joint:
        raise PermissionDenied
    form = InviteForm(request.POST or None, region=SIDE_REGION[other_side(mine.side)])
    if request.method == "POST" and form.is_valid():
        try:
            svc.invite_partner(request.user, proposal, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("funding:proposal", ref=ref)
    return render(request, "funding/invite.html", {"form": form, "proposal": proposal})


@login_required
def accept_invitation(request, token):
    inv = get_object_or_404(
        PartnerInvitation.objects.select_related("proposal__call", "invited_by"), token=token
    )
    if request.method == "POST":
        try:
            half = svc.accept_invitation(request.user, token)
        except ValidationError as e:
            flash_errors(request, e)
        except PermissionDenied as e:
            messages.error(request, str(e))
        else:
            messages.success(
                request,
                _("You have joined %(ref)s as lead of the %(side)s.")
                % {"ref": half.proposal.reference, "side": half.get_side_display()},
            )
            return redirect(
                "funding:half_edit", ref=half.proposal.reference, side=half.side.lower()
            )
    return render(request, "funding/accept_invitation.html", {"inv": inv})


@login_required
@require_POST
def submit(request, ref, side):
    proposal, half = _my_half(request, ref, side)
    try:
        svc.submit_half(request.user, half)
    except ValidationError as e:
        flash_errors(request, e)
        return redirect("funding:half_edit", ref=ref, side=side)
    messages.success(
        request, _("Your half has been submitted to %(agency)s.") % {"agency": half.agency}
    )
    return redirect("funding:proposal", ref=ref)


@login_required
def withdraw(request, ref):
    proposal = _visible_proposal(request, ref)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.withdraw(request.user, proposal, form.cleaned_data["reason"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The proposal has been withdrawn (both halves)."))
            return redirect("funding:proposal", ref=ref)
    return render(request, "funding/withdraw.html", {"form": form, "proposal": proposal})


@login_required
def office_queue(request):
    halves = selectors.halves_awaiting_endorsement(request.user)
    if not request.user.has_role("research_office"):
        raise PermissionDenied
    return render(request, "funding/office_queue.html", {"halves": halves})


@login_required
def endorse(request, ref, side):
    proposal = _visible_proposal(request, ref)
    half = proposal.half(side.upper())
    if half is None:
        raise Http404
    form = EndorseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "endorse":
                svc.endorse(request.user, half, form.cleaned_data["comment"])
            else:
                svc.return_half(request.user, half, form.cleaned_data["comment"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Recorded."))
            return redirect("funding:office_queue")
    if not is_research_office_of(request.user, half):
        raise PermissionDenied(
            _("Only the research office of %(inst)s can endorse this half.")
            % {"inst": half.institution}
        )
    # What the office endorses: the half's budget, team and attachments, as the proposal page
    # shows them at the level the office has (full once the half has been sent to it).
    hv = _half_view(request.user, half, half.side)
    return render(
        request,
        "funding/decision_form.html",
        {
            "form": form,
            "proposal": proposal,
            "half": half,
            "heading": _("Endorsement"),
            "blocker": endorsement_blocker(half),
            "endorsed": hv["data"] if hv["level"] == PartnerVisibility.FULL else None,
        },
    )


@login_required
def screen(request, ref, side):
    proposal = _visible_proposal(request, ref)
    half = proposal.half(side.upper())
    if half is None:
        raise Http404
    if not is_officer_of(request.user, half):
        raise PermissionDenied(
            _("Only %(agency)s's officers screen this half.") % {"agency": half.agency}
        )
    national = None
    if not proposal.call.scheme.is_joint:
        from .forms import NationalScreenForm

        form = NationalScreenForm(request.POST or None)
        national = _national_half_context(request.user, proposal)
    else:
        form = ScreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.screen(
                request.user,
                half,
                eligible=form.cleaned_data["decision"] == "eligible",
                reason=form.cleaned_data["reason"],
                declarations_verified=form.cleaned_data.get("declarations_verified", False),
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Screening recorded."))
            return redirect("funding:officer_proposals", code=proposal.call.code)
    return render(
        request,
        "funding/decision_form.html",
        {
            "form": form,
            "proposal": proposal,
            "half": half,
            "heading": _("Eligibility screening"),
            "national": national,
            "blocker": screening_blocker(half),
        },
    )


@login_required
def officer_proposals(request, code):
    if not (request.user.has_role("programme_officer") and request.user.agency_id):
        raise PermissionDenied(_("This list is for programme officers."))
    # the scheme's sides once: the permission reads them, and so do the rows (``halves_in_order``)
    call = selectors.call_with_sides(code)
    if call is None:
        raise Http404
    if not takes_part_in_call(request.user, call):
        raise PermissionDenied(
            _("Your agency takes no part in this call.")
        )  # 403, not an empty list
    stamp = officer_list.list_stamp(call.pk)
    areas, institutions = officer_list.filter_choices(request.user, call, stamp)
    form = OfficerFilterForm(request.GET or None, areas=areas, institutions=institutions)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v}
    sort_key, descending = selectors.parse_officer_sort(request.GET.get("sort"))
    sort = f"-{sort_key}" if descending else sort_key
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return exports.halves_response(
            selectors.officer_halves(request.user, call, sort=sort, **filters),
            fmt,
            filename=f"{call.code}-{request.user.agency.code}",
        )
    per_state = officer_list.state_counts(request.user, call, stamp)
    counts = [
        (state, label, per_state[state]) for state, label in HalfState.choices if state in per_state
    ]
    ids = officer_list.half_ids(request.user, call, stamp, sort=sort, filters=filters)
    page = Paginator(ids, 50).get_page(request.GET.get("page"))
    page.object_list = officer_list.page_rows(call, page.object_list)
    for half in page:
        half.can_screen = request.user.has_perm("funding.screen_half", half)
        half.row_key = officer_list.row_key(half)
    return render(
        request,
        "funding/officer_proposals.html",
        {
            "call": call,
            "form": form,
            "page": page,
            "counts": counts,
            "query": request.GET.urlencode(),
            "page_query": _without(request.GET, "page", "format"),
            "columns": _sort_columns(request.GET, sort_key, descending),
        },
    )


def _without(params, *names) -> str:
    q = params.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


def _sort_columns(params, active: str, descending: bool) -> list[dict]:
    """The officer list's column headers: each a link sorting by it (the active one toggles its
    direction), keeping the filters and page; ``aria_sort`` on the active one."""
    labels = {
        "reference": _("Reference"),
        "title": _("Title"),
        "institution": _("Lead institution"),
        "area": _("Area"),
        "state": _("State"),
        "partner": _("Partner half"),
        "budget": _("Requested budget"),
        "submitted": _("Submitted"),
    }
    columns = []
    for key in selectors.OFFICER_SORT_KEYS:
        q = params.copy()
        q.pop("format", None)
        is_active = key == active
        q["sort"] = f"-{key}" if is_active and not descending else key
        columns.append(
            {
                "key": key,
                "label": labels[key],
                "url": "?" + q.urlencode(),
                "aria_sort": ("descending" if descending else "ascending") if is_active else "",
            }
        )
    return columns
