"""Experts to avoid: the applicant names them on their half; the half's officers read the match result
and may override one exclusion. Thin views over ``services`` and ``rules``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors
from sciencebridge.funding import selectors as funding_selectors

from . import services
from .forms import ExclusionFormSet, OverrideForm
from .models import ExpertExclusion
from .rules import applicant_sees_exclusions, name_blocker, officer_sees_exclusions


def _half(request, ref, side):
    proposal = get_object_or_404(funding_selectors.visible_proposals(request.user), reference=ref)
    half = proposal.half(side.upper())
    if half is None:
        raise Http404
    return proposal, half


@login_required
def half_exclusions(request, ref, side):
    proposal, half = _half(request, ref, side)
    officer = officer_sees_exclusions(request.user, half)
    team = applicant_sees_exclusions(request.user, half)
    if not (officer or team):
        raise PermissionDenied(
            _("Only this half's applicants and its agency's officers see its experts to avoid.")
        )
    scheme_side = proposal.call.scheme.side(half.side)
    exclusions = list(half.expert_exclusions.prefetch_related("matched_experts__institution"))
    can_edit = half.lead_id == request.user.pk and name_blocker(half) is None
    formset = None
    if can_edit:
        initial = [
            {"name": e.name, "institution": e.institution, "email": e.email, "reason": e.reason}
            for e in exclusions
        ]
        formset = ExclusionFormSet(
            request.POST if request.method == "POST" else None, initial=initial, prefix="x"
        )
        formset.extra = max(0, scheme_side.avoid_experts_max - len(initial))
        if request.method == "POST" and formset.is_valid():
            try:
                services.save_exclusions(
                    request.user, half, [f.cleaned_data for f in formset.forms]
                )
            except ValidationError as e:
                formset._non_form_errors = formset.error_class(e.messages)
            else:
                messages.success(request, _("Recorded."))
                return redirect("exclusions:half", ref=ref, side=side)
    elif request.method == "POST":
        raise PermissionDenied(name_blocker(half) or _("Only the lead of this half can change it."))
    return render(
        request,
        "exclusions/half.html",
        {
            "proposal": proposal,
            "half": half,
            "scheme_side": scheme_side,
            "exclusions": exclusions,
            "officer": officer,
            "formset": formset,
            "blocker": name_blocker(half) if half.lead_id == request.user.pk else None,
            "override_form": OverrideForm(),
            "duplicates": services.duplicates_for(request.user, half) if officer else [],
        },
    )


@login_required
@require_POST
def override(request, pk):
    exclusion = get_object_or_404(ExpertExclusion.objects.select_related("half"), pk=pk)
    half = exclusion.half
    proposal = get_object_or_404(
        funding_selectors.visible_proposals(request.user), pk=half.proposal_id
    )
    if not officer_sees_exclusions(request.user, half):
        raise PermissionDenied(_("Only the officers of this half's agency may override it."))
    form = OverrideForm(request.POST)
    form.is_valid()
    try:
        services.override(request.user, exclusion, form.cleaned_data.get("reason", ""))
    except ValidationError as e:
        apply_errors(form, e)
        return render(
            request,
            "exclusions/half.html",
            {
                "proposal": proposal,
                "half": half,
                "scheme_side": proposal.call.scheme.side(half.side),
                "exclusions": list(
                    half.expert_exclusions.prefetch_related("matched_experts__institution")
                ),
                "officer": True,
                "formset": None,
                "override_form": OverrideForm(),
                "failed_override": exclusion.pk,
                "failed_form": form,
                "duplicates": services.duplicates_for(request.user, half),
            },
        )
    messages.success(request, _("Exclusion overridden; the expert may be chosen again."))
    return redirect("exclusions:half", ref=proposal.reference, side=half.side.lower())
