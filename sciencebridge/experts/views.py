"""Thin views: parse input, call a service or selector, render. Rules live in rules.py and services/."""

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.redirects import safe_next
from sciencebridge.core.workflow import allowed_targets, timeline
from sciencebridge.jobs.models import Job
from sciencebridge.jobs.runner import enqueue

from . import matching_adapter, selectors
from .conflict_reasons import worded_each
from .forms import (
    ApplyForm,
    AvailabilityForm,
    ConflictForm,
    DecisionForm,
    FindExpertsForm,
    ImportForm,
    ProfileForm,
    PublicationFileForm,
    PublicationForm,
    ReviewRecordForm,
    SearchForm,
)
from .models import (
    AvailabilityWindow,
    DeclaredConflict,
    ExpertProfile,
    ExpertStatus,
    Publication,
    ReviewRecord,
)
from .rules import can_manage_experts, can_search_experts
from .services import exports
from .services import importing as imp
from .services import profiles as svc
from .services.publications import parse_bibtex, parse_orcid

PAGE_SIZE = 25
IMPORT_JOB_KIND = "experts.import"


def _require(pred, user):
    if not pred(user):
        raise PermissionDenied(_("You do not have access to the expert database."))


def _search_filters(request):
    form = SearchForm(request.GET or None, show_status=can_manage_experts(request.user))
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


@login_required
def expert_list(request):
    if not can_search_experts(request.user):
        own = ExpertProfile.objects.filter(user=request.user).first()
        if own is not None:
            return redirect("experts:detail", pk=own.pk)
        raise PermissionDenied(
            _("Only programme officers and the secretariat search the expert database.")
        )
    form, filters = _search_filters(request)
    ids = selectors.ranked_expert_ids(request.user, **filters)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.search_page_rows(request.user, page.object_list, filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "experts/expert_list.html",
        {
            "form": form,
            "page": page,
            "experts": page.object_list,
            "querystring": query.urlencode(),
            "can_manage": can_manage_experts(request.user),
        },
    )


@login_required
def expert_export(request, fmt):
    _require(can_manage_experts, request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _search_filters(request)
    return exports.experts_response(selectors.search_experts(request.user, **filters), fmt)


@login_required
def expert_detail(request, pk):
    try:
        expert = selectors.expert_detail(request.user, pk)
    except ExpertProfile.DoesNotExist:
        raise Http404 from None
    manage = can_manage_experts(request.user)
    return render(
        request,
        "experts/expert_detail.html",
        {
            "expert": expert,
            "is_own": expert.user_id == request.user.pk,
            "can_manage": manage,
            "timeline": timeline(expert) if manage or expert.user_id == request.user.pk else [],
            "decision_form": DecisionForm() if manage and allowed_targets(expert) else None,
            "targets": allowed_targets(expert),
        },
    )


@login_required
def apply(request):
    existing = ExpertProfile.objects.filter(user=request.user).first()
    if existing is not None and existing.status != ExpertStatus.REJECTED:
        messages.info(request, _("You already have an expert profile."))
        return redirect("experts:me")
    u = request.user
    initial = {
        "name_en": u.get_full_name(),
        "name_zh": u.name_zh,
        "email": u.email,
        "title": u.title,
        "department": u.department,
        "institution": u.institution_id,
        "region": u.region,
    }
    form = ApplyForm(
        request.POST or None, instance=existing, initial=initial if existing is None else None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        codes = data.pop("discipline_codes")
        try:
            svc.apply_to_join(request.user, discipline_codes=codes, **data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Thank you. The secretariat will review your application."))
            return redirect("experts:me")
    return render(request, "experts/apply.html", {"form": form})


def _own_profile(request) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user=request.user).select_related("institution").first()
    if profile is None:
        raise Http404(_("You have no expert profile yet."))
    return profile


@login_required
def my_profile(request):
    if not ExpertProfile.objects.filter(user=request.user).exists():
        return redirect("experts:apply")
    profile = _own_profile(request)
    action = request.POST.get("action") if request.method == "POST" else None

    def bound(name, form_class, **kw):
        return form_class(
            request.POST if action == name else None,
            request.FILES if action == name else None,
            **kw,
        )

    forms = {
        "profile": bound("profile", ProfileForm, instance=profile, prefix="p"),
        "publication": bound("publication", PublicationForm, prefix="pub"),
        "upload": bound("upload", PublicationFileForm, prefix="up"),
        "conflict": bound("conflict", ConflictForm, prefix="c"),
        "availability": bound("availability", AvailabilityForm, prefix="a"),
        "review": bound("review", ReviewRecordForm, prefix="r"),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if action == "profile":
                codes = data.pop("discipline_codes")
                svc.update_own_profile(
                    request.user,
                    ExpertProfile.objects.get(pk=profile.pk),
                    discipline_codes=codes,
                    **data,
                )
                messages.success(request, _("Profile saved."))
            elif action == "publication":
                svc.add_publication(request.user, profile, **data)
                messages.success(request, _("Publication added."))
            elif action == "upload":
                raw = data["file"].read()
                if data["format"] == "orcid":
                    entries, problems = parse_orcid(raw)
                else:
                    entries, problems = parse_bibtex(raw.decode("utf-8", errors="replace"))
                if not entries and problems:  # nothing usable: say why on the form, add nothing
                    raise ValidationError({"file": problems[:5]})
                created, skipped = svc.import_own_publications(
                    request.user, profile, entries, data["format"]
                )
                messages.success(
                    request,
                    _("%(n)d publications added, %(s)d already present.")
                    % {"n": len(created), "s": skipped},
                )
                for p in problems[:20]:
                    messages.warning(request, p)
            elif action == "conflict":
                svc.add_declared_conflict(request.user, profile, **data)
                messages.success(request, _("Conflict declared."))
            elif action == "availability":
                svc.add_availability(request.user, profile, **data)
                messages.success(request, _("Availability saved."))
            elif action == "review":
                svc.add_review_record(request.user, profile, **data)
                messages.success(request, _("Review record added."))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            return redirect("experts:me")
    return render(
        request,
        "experts/my_profile.html",
        {
            "profile": profile,
            "forms": forms,
            "publications": profile.publications.all(),
            "conflicts": profile.declared_conflicts.select_related("institution"),
            "availability": profile.availability.all(),
            "reviews": profile.review_records.all(),
            "timeline": timeline(profile),
        },
    )


OWNED = {
    "publication": Publication,
    "conflict": DeclaredConflict,
    "availability": AvailabilityWindow,
    "review": ReviewRecord,
}


@login_required
@require_POST
def my_item_delete(request, kind, pk):
    model = OWNED.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model.objects.select_related("expert"), pk=pk)
    try:
        svc.delete_owned(request.user, obj)
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Deleted."))
    return redirect("experts:me")


@login_required
def vetting_queue(request):
    _require(can_manage_experts, request.user)
    return render(
        request,
        "experts/vetting_queue.html",
        {
            "experts": selectors.vetting_queue(request.user),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk):
    _require(can_manage_experts, request.user)
    expert = get_object_or_404(ExpertProfile, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            svc.decide(
                request.user, expert, form.cleaned_data["decision"], form.cleaned_data["reason"]
            )
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Decision recorded for %(n)s.") % {"n": expert})
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(safe_next(request, "experts:vetting"))


@login_required
def import_upload(request):
    _require(can_manage_experts, request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        folder = imp.import_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"upload-{uuid.uuid4().hex}{Path(f.name).suffix.lower()}"
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        job = enqueue(
            IMPORT_JOB_KIND,
            "sciencebridge.experts.services.importing.run_import_job",
            params={"path": str(path), "filename": f.name, "status": form.cleaned_data["status"]},
            user=request.user,
        )
        return redirect("experts:import_status", job_id=job.pk)
    recent = Job.objects.filter(kind=IMPORT_JOB_KIND, created_by=request.user)[:10]
    return render(
        request,
        "experts/import.html",
        {"form": form, "recent": recent, "columns": imp.COLUMNS, "required": imp.REQUIRED},
    )


def _import_job(request, job_id) -> Job:
    _require(can_manage_experts, request.user)
    job = get_object_or_404(Job, pk=job_id, kind=IMPORT_JOB_KIND)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    return job


@login_required
def import_status(request, job_id):
    job = _import_job(request, job_id)
    result = job.result or {}
    report_url = default_storage.url(result["report_name"]) if result.get("report_name") else ""
    return render(
        request,
        "experts/import_status.html",
        {"job": job, "result": result, "report_url": report_url},
    )


@login_required
def find_experts(request):
    _require(can_search_experts, request.user)
    form = FindExpertsForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        call = d.get("call")
        query = matching_adapter.ExpertQuery(
            text=d["text"],
            title=d.get("title") or "",
            discipline_codes=tuple((d.get("discipline_codes") or "").replace(",", " ").split()),
            institution=d.get("institution"),
            department=d.get("department") or "",
            team=tuple(x for x in (d.get("team") or "").splitlines() if x.strip()),
            avoid=tuple(x for x in (d.get("avoid") or "").splitlines() if x.strip()),
            scheme=call.scheme if call else None,
            available_on=d.get("available_on"),
            region=d.get("region") or "",
            model=d.get("model") or (call.matching_model if call else ""),
        )
        results = matching_adapter.find_experts(
            query, limit=d.get("limit") or 20, hide_conflicted=d.get("hide_conflicted", False)
        )
        for m, texts in zip(results, worded_each(m.conflicts for m in results), strict=True):
            m.shown_conflicts = [
                (r.label, text) for r, text in zip(m.conflicts, texts, strict=True)
            ]
    return render(
        request,
        "experts/find.html",
        {
            "form": form,
            "results": results,
            "model_used": matching_adapter.model_label(query.model)
            if results is not None
            else None,
        },
    )
