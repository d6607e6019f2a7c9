"""Thin views of the remittance ledger: parse input, call a service, render. Rules live in services/
and rules.py; a remittance the user may not see answers 404, exactly like one that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from djmoney.money import Money

from sciencebridge.core.errors import apply_errors
from sciencebridge.core.workflow import timeline
from sciencebridge.projects.models import Tranche

from . import selectors
from .forms import (
    InstructForm,
    LedgerFilterForm,
    ReceiptForm,
    ReconcileForm,
    RemitForm,
    UseForm,
)
from .services import remittances as svc


def _ledger_user(request):
    if not request.user.has_perm("remittances.ledger_pages"):
        raise PermissionDenied(
            _("The remittance ledger is for agency officers and research offices.")
        )


def _remittance(request, reference):
    rem = selectors.visible_remittances(request.user).filter(reference=reference).first()
    if rem is None:
        raise Http404
    return rem


@login_required
def ledger(request):
    _ledger_user(request)
    user = request.user
    form = LedgerFilterForm(request.GET or None)
    qs = selectors.visible_remittances(user)
    if form.is_valid():
        if form.cleaned_data["state"]:
            qs = qs.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["flagged"]:
            qs = qs.filter(needs_reconciliation=True, reconciled_at__isnull=True)
    page = Paginator(qs.order_by("-instructed_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "remittances/ledger.html",
        {
            "page": page,
            "form": form,
            "to_reconcile": selectors.to_reconcile(user)[:100],
            "instructable": selectors.instructable_tranches(user)[:100],
            "working_days": svc.receipt_working_days(),
        },
    )


@login_required
def detail(request, reference):
    rem = _remittance(request, reference)
    user = request.user
    ctx = {
        "rem": rem,
        "project": rem.tranche.project_side.project,
        "timeline": timeline(rem),
        "deadline": svc.receipt_deadline(rem),
        "can_remit": rem.state == "instructed" and user.has_perm("remittances.remit", rem),
        "can_receive": rem.state == "remitted" and user.has_perm("remittances.receive", rem),
        "can_report": rem.state == "received" and user.has_perm("remittances.report_use", rem),
        "can_reconcile": rem.needs_reconciliation
        and rem.reconciled_at is None
        and user.has_perm("remittances.reconcile", rem),
    }
    return render(request, "remittances/detail.html", ctx)


def _step(request, rem, form_class, perm, refused, title, run, initial=None):
    """One step's page: GET shows the form, POST calls the service; errors keep what was typed."""
    if not request.user.has_perm(perm, rem):
        raise PermissionDenied(refused)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                run(form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("Recorded."))
                return redirect("remittances:detail", reference=rem.reference)
    else:
        form = form_class(initial=initial or {})
    return render(request, "remittances/step.html", {"rem": rem, "form": form, "title": title})


@login_required
def instruct(request, tranche_pk):
    tranche = (
        Tranche.objects.select_related("project_side__project", "project_side__agency")
        .filter(pk=tranche_pk)
        .first()
    )
    if tranche is None or not request.user.has_perm("remittances.instruct", tranche):
        raise Http404
    blocker = svc.instruct_blocker(tranche)
    if request.method == "POST":
        form = InstructForm(request.POST)
        if form.is_valid():
            try:
                rem = svc.instruct(
                    tranche,
                    actor=request.user,
                    amount=Money(form.cleaned_data["amount"], "CNY"),
                    instructed_on=form.cleaned_data["instructed_on"],
                )
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(
                    request, _("Remittance %(ref)s instructed.") % {"ref": rem.reference}
                )
                return redirect("remittances:detail", reference=rem.reference)
    else:
        form = InstructForm(initial={"amount": tranche.amount.amount})
    return render(
        request,
        "remittances/instruct.html",
        {
            "tranche": tranche,
            "form": form,
            "blocker": blocker,
            "recipient": svc.recipient_for(tranche),
        },
    )


@login_required
def remit(request, reference):
    rem = _remittance(request, reference)
    return _step(
        request,
        rem,
        RemitForm,
        "remittances.remit",
        _("Only officers of the remitting agency record the remittance."),
        _("Record the remittance"),
        lambda d: svc.record_remitted(
            rem,
            actor=request.user,
            remitted_on=d["remitted_on"],
            amount=Money(d["amount"], "CNY"),
            bank_reference=d["bank_reference"],
        ),
        initial={"amount": rem.instructed_amount.amount},
    )


@login_required
def receive(request, reference):
    rem = _remittance(request, reference)
    return _step(
        request,
        rem,
        ReceiptForm,
        "remittances.receive",
        _("Only the receiving institution's research office records the receipt."),
        _("Record the receipt in Hong Kong"),
        lambda d: svc.record_receipt(
            rem,
            actor=request.user,
            received_on=d["received_on"],
            amount=Money(d["amount"], "HKD"),
        ),
    )


@login_required
def report_use(request, reference):
    rem = _remittance(request, reference)
    return _step(
        request,
        rem,
        UseForm,
        "remittances.report_use",
        _("Only the receiving institution's research office reports the use."),
        _("Report the use in Hong Kong"),
        lambda d: svc.report_use(
            rem, actor=request.user, note=d["note"], reported_on=d["reported_on"]
        ),
    )


@login_required
def reconcile(request, reference):
    rem = _remittance(request, reference)
    return _step(
        request,
        rem,
        ReconcileForm,
        "remittances.reconcile",
        _("Only officers of the remitting agency reconcile a remittance."),
        _("Reconcile the difference"),
        lambda d: svc.reconcile(rem, actor=request.user, note=d["note"]),
    )
