"""Thin views: parse input, call a service, render. Rules live in services.py and rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline
from sciencebridge.funding import selectors as funding_selectors
from sciencebridge.funding.models import Side

from . import selectors, services
from .forms import DecideForm, RequestForm, WithdrawForm
from .rules import is_side_officer


@login_required
def index(request):
    user = request.user
    requests = selectors.visible_requests(user).order_by("state", "due_date", "pk")[:200]
    return render(
        request,
        "rechecks/index.html",
        {"requests": requests, "today": timezone.localdate()},
    )


@login_required
def request_create(request, ref, side):
    proposal = get_object_or_404(funding_selectors.visible_proposals(request.user), reference=ref)
    if side.upper() not in Side.values:
        raise Http404
    half = proposal.half(side.upper())
    if half is None:
        raise Http404
    if half.lead_id != request.user.pk:
        raise PermissionDenied(_("Only the lead of this half can ask for a recheck."))
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_recheck(
                request.user,
                half,
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data["evidence"] or None,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("Recheck requested. %(agency)s decides by %(due)s.")
                % {"agency": half.agency, "due": req.due_date.isoformat()},
            )
            return redirect("rechecks:detail", pk=req.pk)
    policy = services.policy_for(half)
    return render(
        request,
        "rechecks/request_form.html",
        {
            "form": form,
            "proposal": proposal,
            "half": half,
            "policy": policy,
            "closes_at": services.window_closes_at(half),
            "blocker": services.request_blocker(half),
        },
    )


def _visible(request, pk):
    return get_object_or_404(selectors.visible_requests(request.user), pk=pk)


@login_required
def detail(request, pk):
    req = _visible(request, pk)
    user = request.user
    return render(
        request,
        "rechecks/detail.html",
        {
            "req": req,
            "half": req.half,
            "proposal": req.half.proposal,
            "timeline": timeline(req),
            "today": timezone.localdate(),
            "can_decide": user.has_perm("rechecks.decide_request", req),
            "can_withdraw": user.has_perm("rechecks.withdraw_request", req),
            "form": DecideForm() if user.has_perm("rechecks.decide_request", req) else None,
        },
    )


@login_required
def decide(request, pk):
    req = _visible(request, pk)
    if not is_side_officer(request.user, req.half):
        raise PermissionDenied(
            _("Only %(agency)s's programme officers decide this recheck.")
            % {"agency": req.half.agency}
        )
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                request.user,
                req,
                reverse=form.cleaned_data["decision"] == "reverse",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("Recheck decided: %(state)s.") % {"state": req.get_state_display()}
            )
            return redirect("rechecks:detail", pk=req.pk)
    return render(
        request,
        "rechecks/decide.html",
        {"req": req, "half": req.half, "proposal": req.half.proposal, "form": form},
    )


@login_required
@require_POST
def withdraw(request, pk):
    req = _visible(request, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw(request.user, req, form.cleaned_data.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Recheck request withdrawn."))
    return redirect("rechecks:detail", pk=req.pk)
