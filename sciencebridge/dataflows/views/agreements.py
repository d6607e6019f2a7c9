"""Thin views for GBA data-transfer agreements: parse input, call a service, render.

Who sees what: ``dataflows.view_agreement`` (parties, their offices, the project's leads and officers,
the secretariat) opens the page; the personal-information particulars, the PIIA, the contract PDF and
the processing log need ``dataflows.view_agreement_details`` (not the secretariat). Anyone else: 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline

from .. import metrics as flow_metrics
from .. import selectors
from ..forms_agreements import (
    AgreementForm,
    FilingForm,
    LogEntryForm,
    OversightFilterForm,
    SignedPdfForm,
)
from ..models import AgreementState, DataTransferAgreement, Filing, GBALocation, PartyRole
from ..rules import party_of, reads_all
from ..services import agreement_pdf as contract_pdf
from ..services import agreements as svc
from ..services import filings as filing_svc
from ..services.filings import skipped_holidays


def _agreement(request, pk, perm="dataflows.view_agreement"):
    a = get_object_or_404(
        DataTransferAgreement.objects.select_related(
            "project",
            "annex",
            "processor_institution",
            "processor_location",
            "processor_contact",
            "recipient_institution",
            "recipient_location",
            "recipient_contact",
        ).prefetch_related("project__sides"),
        pk=pk,
    )
    if not request.user.has_perm(perm, a):
        raise Http404
    return a


@login_required
def agreement_list(request):
    agreements = list(selectors.visible_agreements(request.user).order_by("-created_at")[:200])
    return render(
        request,
        "dataflows/agreement_list.html",
        {
            "agreements": agreements,
            "can_request": request.user.has_perm("dataflows.request_agreement"),
            "can_oversee": request.user.has_perm("dataflows.oversee"),
        },
    )


@login_required
def agreement_create(request):
    if not request.user.has_perm("dataflows.request_agreement"):
        return render(request, "dataflows/agreement_form.html", {"form": None, "agreement": None})
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"processor_institution": request.user.institution_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            a = svc.create_agreement(
                request.user, piia_file=form.cleaned_data.get("piia_file"), **form.service_fields()
            )
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Draft saved. Submit it when every field is complete."))
            return redirect("dataflows:agreement", pk=a.pk)
    return render(request, "dataflows/agreement_form.html", {"form": form, "agreement": None})


@login_required
def agreement_edit(request, pk):
    a = _agreement(request, pk, "dataflows.edit_agreement")
    if a.state != AgreementState.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("dataflows:agreement", pk=a.pk)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=a, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = DataTransferAgreement.objects.get(pk=a.pk)
        try:
            svc.update_agreement(
                request.user,
                fresh,
                piia_file=form.cleaned_data.get("piia_file"),
                **form.service_fields(),
            )
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("dataflows:agreement", pk=a.pk)
    return render(request, "dataflows/agreement_form.html", {"form": form, "agreement": a})


@login_required
def agreement_detail(request, pk):
    a = _agreement(request, pk)
    user = request.user
    details = user.has_perm("dataflows.view_agreement_details", a)
    parties = party_of(user, a)
    filings = list(a.filings.all())
    for f in filings:
        cal = a.processor_location if f.party == PartyRole.PROCESSOR else a.recipient_location
        f.skipped = skipped_holidays(a.effective_date, f.due_date, cal.holiday_calendar)
        f.form = FilingForm(prefix=f"f{f.pk}") if f.party in parties and not f.is_filed else None
    accepted = {acc.party: acc for acc in a.acceptances.select_related("user")}
    can_accept = [
        p
        for p in (PartyRole.PROCESSOR, PartyRole.RECIPIENT)
        if p in parties and p not in accepted and a.state == AgreementState.SUBMITTED
    ]
    return render(
        request,
        "dataflows/agreement_detail.html",
        {
            "a": a,
            "details": details,
            "parties": parties,
            "filings": filings,
            "accepted": accepted,
            "acceptances": list(accepted.values()),
            "can_accept": can_accept,
            "can_edit": a.state == AgreementState.DRAFT
            and user.has_perm("dataflows.edit_agreement", a),
            "can_submit": a.state == AgreementState.DRAFT and PartyRole.PROCESSOR in parties,
            "blockers": svc.submission_errors(a)
            if a.state == AgreementState.DRAFT and details
            else {},
            "log": list(a.log_entries.select_related("recorded_by")[:200]) if details else [],
            "log_form": LogEntryForm()
            if PartyRole.RECIPIENT in parties and a.state == AgreementState.SIGNED
            else None,
            "pdf_form": SignedPdfForm() if parties and a.state == AgreementState.SIGNED else None,
            "timeline": timeline(a),
        },
    )


@login_required
@require_POST
def agreement_submit(request, pk):
    a = _agreement(request, pk)
    if PartyRole.PROCESSOR not in party_of(request.user, a):
        raise Http404
    try:
        svc.submit(request.user, a)
    except PermissionDenied as e:
        raise Http404 from e
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Submitted: the recipient has been asked to accept."))
    return redirect("dataflows:agreement", pk=a.pk)


@login_required
@require_POST
def agreement_accept(request, pk, party):
    a = _agreement(request, pk)
    if party not in PartyRole.values or party not in party_of(request.user, a):
        raise Http404
    try:
        svc.accept(request.user, a, party)
    except PermissionDenied as e:
        raise Http404 from e
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Your acceptance is recorded."))
    return redirect("dataflows:agreement", pk=a.pk)


@login_required
@require_POST
def agreement_return(request, pk):
    a = _agreement(request, pk)
    if not party_of(request.user, a):
        raise Http404
    try:
        svc.return_to_draft(request.user, a, request.POST.get("reason", "")[:500])
    except PermissionDenied as e:
        raise Http404 from e
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Returned to draft; acceptances withdrawn."))
    return redirect("dataflows:agreement", pk=a.pk)


@login_required
def agreement_pdf(request, pk):
    a = _agreement(request, pk, "dataflows.view_agreement_details")
    chinese = request.GET.get("lang", "zh-hans")
    chinese = chinese if chinese in contract_pdf.CHINESE else "zh-hans"
    resp = HttpResponse(
        contract_pdf.render_contract_pdf(a, chinese), content_type="application/pdf"
    )
    resp["Content-Disposition"] = f'inline; filename="{contract_pdf.contract_filename(a, chinese)}"'
    return resp


@login_required
@require_POST
def agreement_signed_upload(request, pk):
    a = _agreement(request, pk)
    if not party_of(request.user, a):
        raise Http404
    form = SignedPdfForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.attach_signed_pdf(request.user, a, form.cleaned_data["signed_pdf"])
        except PermissionDenied as e:
            raise Http404 from e
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Signed contract uploaded."))
    else:
        messages.error(request, _("Choose the signed PDF to upload."))
    return redirect("dataflows:agreement", pk=a.pk)


@login_required
@require_POST
def filing_record(request, pk):
    f = get_object_or_404(Filing.objects.select_related("agreement"), pk=pk)
    a = _agreement(request, f.agreement_id)
    if f.party not in party_of(request.user, a) and not reads_all(request.user):
        raise Http404
    form = FilingForm(request.POST, prefix=f"f{f.pk}")
    if form.is_valid():
        try:
            filing_svc.record_filing(request.user, f, **form.cleaned_data)
        except PermissionDenied as e:
            raise Http404 from e
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Filing recorded."))
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
    return redirect("dataflows:agreement", pk=a.pk)


@login_required
@require_POST
def log_add(request, pk):
    a = _agreement(request, pk, "dataflows.view_agreement_details")
    if PartyRole.RECIPIENT not in party_of(request.user, a):
        raise Http404
    form = LogEntryForm(request.POST)
    if form.is_valid():
        try:
            svc.add_log_entry(request.user, a, **form.cleaned_data)
        except PermissionDenied as e:
            raise Http404 from e
        except ValidationError as e:
            flash_errors(request, e)
        else:
            messages.success(request, _("Processing recorded."))
    else:
        messages.error(request, _("Give the date and the activity."))
    return redirect("dataflows:agreement", pk=a.pk)


@login_required
def oversight(request):
    if not request.user.has_perm("dataflows.oversee"):
        raise PermissionDenied
    form = OversightFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.filter_agreements(selectors.visible_agreements(request.user), **filters)
    names = dict(GBALocation.objects.values_list("code", "name"))
    by_pc = flow_metrics.by_project_and_city(qs)
    for r in by_pc:
        r["processor_city"] = names.get(r["processor_location__code"], "")
        r["recipient_city"] = names.get(r["recipient_location__code"], "")
    return render(
        request,
        "dataflows/oversight.html",
        {
            "form": form,
            "agreements": list(qs.order_by("-created_at")[:300]),
            "summary": flow_metrics.summary(qs),
            "by_project_city": by_pc,
            "overdue": list(selectors.overdue_filings()[:100]),
        },
    )
