"""Thin views: sample-export applications (the parties' own, the project's officers', all for the
secretariat with figures), one application's page (every action posts to it), and public figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline
from sciencebridge.projects.selectors import led_projects

from .. import selectors_samples as sel
from ..forms_samples import ApprovalForm, ExportFilterForm, ExportForm, ReasonForm, TransferForm
from ..models_datasets import ResearchDataset
from ..models_samples import (
    COUNTED_TRANSFER_STATES,
    HgrApplicationState,
    HgrExportApplication,
    HgrTransfer,
    HgrTransferState,
    SampleKind,
    TransferReview,
)
from ..services import samples as svc


@login_required
def samples_list(request):
    form = ExportFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    exports = sel.visible_exports(request.user)
    base = sel.exports_base(request.user)
    transfers = sel.visible_transfers(request.user)
    if f.get("state"):
        exports, base = exports.filter(state=f["state"]), base.filter(state=f["state"])
        transfers = transfers.filter(application__state=f["state"])
    if f.get("kind"):
        exports, base = exports.filter(sample_kind=f["kind"]), base.filter(sample_kind=f["kind"])
        transfers = transfers.filter(sample_kind=f["kind"])
    if f.get("year"):
        exports, base = (
            exports.filter(created_at__year=f["year"]),
            base.filter(created_at__year=f["year"]),
        )
        transfers = transfers.filter(shipped_on__year=f["year"])
    if f.get("review"):
        transfers = transfers.filter(review=f["review"])
    oversee = request.user.has_perm("dataflows.oversee")
    kinds = dict(SampleKind.choices)
    metrics = sel.export_metrics(base, transfers) if oversee else None
    if metrics:
        for row in metrics["by_kind"]:
            row["label"] = kinds.get(row["sample_kind"], row["sample_kind"])
    return render(
        request,
        "dataflows/samples_list.html",
        {
            "form": form,
            "exports": exports.order_by("-created_at")[:200],
            "transfers": transfers.order_by("-shipped_on", "-id")[:200],
            "metrics": metrics,
            "can_apply": request.user.has_perm("dataflows.apply_export"),
            "whitelist": svc.whitelist_enabled(),
        },
    )


@login_required
def samples_create(request):
    if not request.user.has_perm("dataflows.apply_export"):
        raise PermissionDenied
    form = ExportForm(request.POST or None, user=request.user, projects=led_projects(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            app = svc.create_application(request.user, **form.cleaned_data)
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("Application %(ref)s saved as a draft.") % {"ref": app.reference}
            )
            return redirect("dataflows:samples_detail", pk=app.pk)
    return render(request, "dataflows/samples_form.html", {"form": form})


def _act(request, app, forms):
    """Run the posted action; returns a response to redirect to, or None to re-render with errors."""
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "submit":
            svc.submit(user, app)
            messages.success(request, _("Application submitted."))
        elif action == "withdraw":
            svc.withdraw(user, app, reason=request.POST.get("reason", "")[:2000])
            messages.success(request, _("Application withdrawn."))
        elif action == "close":
            svc.close(user, app, reason=request.POST.get("reason", "")[:2000])
            messages.success(request, _("Approval closed."))
        elif action == "refuse":
            svc.refuse(user, app, reason=request.POST.get("reason", "")[:2000])
            messages.success(request, _("Refusal recorded."))
        elif action == "approve":
            form = forms["approve"] = ApprovalForm(request.POST, prefix="a")
            if not form.is_valid():
                return None
            try:
                svc.record_approval(user, app, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
                return None
            messages.success(request, _("Approval recorded."))
        elif action == "transfer":
            form = forms["transfer"] = TransferForm(request.POST, prefix="t")
            if not form.is_valid():
                return None
            try:
                t = svc.record_transfer(user, app, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
                return None
            if t.review == TransferReview.NOTIFICATION:
                messages.success(
                    request,
                    _(
                        "Transfer recorded as a white-list notification (this kind was already cleared between these parties)."
                    ),
                )
            else:
                messages.success(request, _("Transfer recorded; it goes to a full review."))
        elif action in ("clear", "refuse_transfer"):
            t = get_object_or_404(
                HgrTransfer, pk=request.POST.get("transfer") or 0, application=app
            )
            to = HgrTransferState.CLEARED if action == "clear" else HgrTransferState.REFUSED
            svc.review_transfer(user, t, to, reason=request.POST.get("reason", "")[:2000])
            messages.success(request, _("Review recorded."))
        else:
            messages.error(request, _("Unknown action."))
    except PermissionDenied as e:
        messages.error(request, str(e) or _("You may not do this."))
    except ValidationError as e:
        flash_errors(request, e)
    return redirect("dataflows:samples_detail", pk=app.pk)


@login_required
def samples_detail(request, pk):
    app = get_object_or_404(
        HgrExportApplication.objects.select_related(
            "pilot_unit__institution", "recipient", "applicant", "project"
        ),
        pk=pk,
    )
    if not request.user.has_perm("dataflows.view_export", app):
        raise Http404
    forms = {"approve": None, "transfer": None}
    if request.method == "POST":
        response = _act(request, app, forms)
        if response is not None:
            return response
        app.refresh_from_db()
    user = request.user
    can_send = user.has_perm("dataflows.send_samples", app)
    can_decide = user.has_perm("dataflows.decide_export", app)
    transfers = list(app.transfers.select_related("recorded_by").order_by("shipped_on", "id"))
    used = sum(t.quantity for t in transfers if t.state in COUNTED_TRANSFER_STATES)
    approved = app.state == HgrApplicationState.APPROVED
    return render(
        request,
        "dataflows/samples_detail.html",
        {
            "app": app,
            "transfers": transfers,
            "used": used,
            "left": (app.approved_quantity or 0) - used,
            "can_send": can_send,
            "can_decide": can_decide,
            "approval_form": forms["approve"] or ApprovalForm(prefix="a")
            if can_decide and app.state == HgrApplicationState.SUBMITTED
            else None,
            "transfer_form": forms["transfer"] or TransferForm(prefix="t")
            if can_send and approved
            else None,
            "reason_form": ReasonForm(),
            "next_review": svc.review_for(
                app.pilot_unit.institution_id, app.recipient_id, app.sample_kind
            )
            if can_send and approved
            else None,
            "timeline": timeline(app, *transfers),
        },
    )


def samples_figures(request):
    """Public figures: aggregates only, never an application, a party or a reference."""
    qs = HgrExportApplication.objects.order_by()
    by_kind = (
        qs.filter(state__in=[HgrApplicationState.APPROVED, HgrApplicationState.CLOSED])
        .values("sample_kind")
        .annotate(n=Count("id"))
        .order_by("sample_kind")
    )
    kinds = dict(SampleKind.choices)
    t = HgrTransfer.objects.order_by().aggregate(
        n=Count("id", filter=Q(state__in=COUNTED_TRANSFER_STATES)),
        notifications=Count("id", filter=Q(review=TransferReview.NOTIFICATION)),
        quantity=Sum("quantity", filter=Q(state__in=COUNTED_TRANSFER_STATES)),
    )
    datasets = (
        ResearchDataset.objects.order_by()
        .filter(state="active")
        .values("classification")
        .annotate(n=Count("id"))
        .order_by("classification")
    )
    from ..dataset_options import classifications

    labels = dict(classifications())
    return render(
        request,
        "dataflows/samples_figures.html",
        {
            "by_kind": [{"label": kinds.get(r["sample_kind"]), "n": r["n"]} for r in by_kind],
            "transfers": t,
            "datasets": [
                {"label": labels.get(r["classification"], r["classification"]), "n": r["n"]}
                for r in datasets
            ],
        },
    )
