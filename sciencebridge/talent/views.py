"""Thin views: programmes and postings (public), applications (own), selection (host office) and
the record of exchanges (public list without names; details for the parties and the secretariat)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import allowed_targets, state_label, timeline

from . import selectors
from .forms import ApplicationForm, DecisionForm, ExchangeFilterForm, PostingFilterForm, PostingForm
from .matching import rank_applicants, suggest_experts, suggest_postings
from .models import Application, Exchange, Posting
from .services import exchanges as svc

log = logging.getLogger(__name__)


def programme_list(request):
    form = PostingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    postings = list(selectors.open_postings(**filters)[:100])
    for_you = []
    if request.user.is_authenticated:
        try:
            for_you = suggest_postings(request.user, postings)
        except Exception:  # the engine is optional here; the page works without suggestions
            log.exception("posting suggestions for user %s failed", request.user.pk)
    return render(
        request,
        "talent/programme_list.html",
        {
            "programmes": selectors.programmes(),
            "postings": postings,
            "form": form,
            "for_you": for_you,
            "managed": selectors.managed_postings(request.user)[:50]
            if request.user.has_perm("talent.post")
            else [],
        },
    )


def posting_detail(request, pk):
    posting = get_object_or_404(Posting.objects.select_related("call__programme", "host"), pk=pk)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        docs = [("cv", d["cv"])] + ([("plan", d["plan"])] if d.get("plan") else [])
        try:
            svc.apply(request.user, posting, statement=d["statement"], documents=docs)
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Application sent."))
            return redirect("talent:posting", pk=pk)
    can_manage = request.user.has_perm("talent.manage_posting", posting)
    mine = (
        Application.objects.filter(posting=posting, applicant=request.user).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "talent/posting_detail.html",
        {
            "posting": posting,
            "form": form,
            "can_manage": can_manage,
            "mine": mine,
            "mine_timeline": timeline(mine) if mine else [],
        },
    )


@login_required
def posting_create(request):
    if not request.user.has_perm("talent.post"):
        raise PermissionDenied
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting = svc.create_posting(request.user, **form.cleaned_data)
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Posting published."))
            return redirect("talent:posting", pk=posting.pk)
    return render(request, "talent/posting_form.html", {"form": form})


def _expert_suggestions(posting):
    """Experts from the expert database whose work matches the posting; the page works without them."""
    try:
        return suggest_experts(posting)
    except Exception:  # the engine is optional here
        log.exception("expert matching for posting %s failed", posting.pk)
        return []


@login_required
def posting_manage(request, pk):
    posting = get_object_or_404(Posting.objects.select_related("call__programme", "host"), pk=pk)
    if not request.user.has_perm("talent.manage_posting", posting):
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "confirm_conversions":
        svc.confirm_posting_conversions(request.user, posting)
        messages.success(request, _("The automatic conversions are marked as checked."))
        return redirect("talent:posting_manage", pk=posting.pk)
    apps = list(
        posting.applications.select_related("applicant", "home").prefetch_related("documents")
    )
    ranked = rank_applicants(posting, apps)
    rows = [(m.person, m, DecisionForm(auto_id=f"id_a{m.person.pk}_%s")) for m in ranked]
    return render(
        request,
        "talent/posting_manage.html",
        {
            "posting": posting,
            "rows": rows,
            "timeline": timeline(posting),
            "suggestions": _expert_suggestions(posting) if request.GET.get("suggest") else None,
        },
    )


@login_required
@require_POST
def posting_close(request, pk):
    posting = get_object_or_404(Posting, pk=pk)
    if not request.user.has_perm("talent.manage_posting", posting):
        raise Http404
    try:
        svc.close_posting(request.user, posting, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Posting closed."))
    return redirect("talent:posting_manage", pk=pk)


@login_required
@require_POST
def application_decide(request, pk):
    app = get_object_or_404(Application.objects.select_related("posting"), pk=pk)
    if not request.user.has_perm("talent.manage_posting", app.posting):
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.decide(
                request.user,
                app,
                d["to"],
                reason=d["reason"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
            )
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(
                request,
                _("Recorded: %(name)s — %(state)s.")
                % {"name": app.applicant.display_name, "state": state_label(app, d["to"])},
            )
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("talent:posting_manage", pk=app.posting_id)


@login_required
@require_POST
def application_withdraw(request, pk):
    app = get_object_or_404(Application, pk=pk, applicant=request.user)
    try:
        svc.withdraw(request.user, app, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("talent:my_applications")


@login_required
def my_applications(request):
    return render(
        request,
        "talent/my_applications.html",
        {"applications": selectors.my_applications(request.user)},
    )


def exchange_list(request):
    form = ExchangeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "talent/exchange_list.html",
        {
            "form": form,
            "exchanges": selectors.exchanges(**filters)[:200],
            "per_year": selectors.completed_per_direction_year(),
        },
    )


@login_required
def exchange_detail(request, pk):
    ex = get_object_or_404(
        Exchange.objects.select_related("programme", "home", "host", "application__posting"), pk=pk
    )
    if not request.user.has_perm("talent.view_exchange", ex):
        raise Http404
    can_record = svc.can_record(request.user, ex)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        try:
            svc.move_exchange(
                request.user, ex, request.POST.get("to", ""), report=request.POST.get("report", "")
            )
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Recorded."))
        return redirect("talent:exchange", pk=pk)
    targets = [(t, state_label(ex, t)) for t in sorted(allowed_targets(ex))] if can_record else []
    return render(
        request,
        "talent/exchange_detail.html",
        {"ex": ex, "timeline": timeline(ex), "targets": targets},
    )
