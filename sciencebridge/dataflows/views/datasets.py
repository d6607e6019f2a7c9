"""Thin views: the research-dataset register (what non-personal data a project shares, where it is
held, under which licence, who may access it, its classification)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import allowed_targets, state_label, timeline
from sciencebridge.projects.selectors import led_projects

from .. import selectors_samples as sel
from ..dataset_options import classifications
from ..forms_samples import DatasetFilterForm, DatasetForm
from ..models_datasets import ResearchDataset
from ..services import datasets as svc


@login_required
def datasets_list(request):
    form = DatasetFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = sel.visible_datasets(request.user)
    if f.get("classification"):
        qs = qs.filter(classification=f["classification"])
    if f.get("held_in"):
        qs = qs.filter(held_in=f["held_in"])
    if f.get("project"):
        qs = qs.filter(project__reference__iexact=f["project"].strip())
    summary = None
    if request.user.has_perm("dataflows.oversee"):
        labels = dict(classifications())
        summary = [
            {"label": labels.get(r["classification"], r["classification"]), "n": r["n"]}
            for r in qs.order_by()
            .values("classification")
            .annotate(n=Count("id"))
            .order_by("classification")
        ]
    return render(
        request,
        "dataflows/datasets_list.html",
        {
            "form": form,
            "datasets": qs.order_by("-created_at")[:200],
            "summary": summary,
            "can_register": led_projects(request.user).exists(),
        },
    )


@login_required
def datasets_create(request):
    projects = led_projects(request.user)
    if not projects.exists():
        raise PermissionDenied
    initial = {}
    ref = request.GET.get("project", "")[:40]
    if ref:
        initial["project"] = projects.filter(reference=ref).first()
    form = DatasetForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        project = d.pop("project")
        try:
            ds = svc.register_dataset(request.user, project, **d)
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Dataset registered."))
            return redirect("dataflows:datasets_detail", pk=ds.pk)
    return render(request, "dataflows/datasets_form.html", {"form": form})


@login_required
def datasets_detail(request, pk):
    ds = get_object_or_404(
        ResearchDataset.objects.select_related(
            "project", "holder", "registered_by"
        ).prefetch_related("access_institutions", "project__sides"),
        pk=pk,
    )
    if not request.user.has_perm("dataflows.view_dataset", ds):
        raise Http404
    can_manage = request.user.has_perm("dataflows.manage_dataset", ds)
    if request.method == "POST":
        try:
            svc.set_state(
                request.user,
                ds,
                request.POST.get("to", ""),
                reason=request.POST.get("reason", "")[:2000],
            )
        except PermissionDenied as e:
            messages.error(request, str(e))
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Recorded."))
        return redirect("dataflows:datasets_detail", pk=pk)
    labels = dict(classifications())
    return render(
        request,
        "dataflows/datasets_detail.html",
        {
            "ds": ds,
            "classification_label": labels.get(ds.classification, ds.classification),
            "targets": [(t, state_label(ds, t)) for t in sorted(allowed_targets(ds))]
            if can_manage
            else [],
            "timeline": timeline(ds),
        },
    )
