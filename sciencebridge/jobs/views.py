from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import runner, selectors
from .models import Job


def _visible_job(request, pk, perm="jobs.view_job"):
    job = get_object_or_404(Job, pk=pk)
    if not request.user.has_perm(perm, job):
        raise PermissionDenied
    return job


def status_payload(job: Job) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "progress": job.progress,
        "total": job.total,
        "percent": job.percent,
        "message": job.message_text,
        "result": job.result,
        "status": job.status,
        "status_label": job.get_status_display(),
        "reason": job.reason_text,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "error": job.error.splitlines()[0] if job.error else "",
    }


@login_required
def job_status(request, pk):
    return JsonResponse(status_payload(_visible_job(request, pk)))


@login_required
def job_detail(request, pk):
    job = _visible_job(request, pk)
    may_act = request.user.has_perm("jobs.act_on_job", job)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "can_retry": may_act and runner.can_retry(job),
            "can_cancel": may_act and not job.is_final,
            "show_error": request.user.has_perm("jobs.view_all_jobs"),
        },
    )


@login_required
@require_POST
def job_retry(request, pk):
    job = _visible_job(request, pk, "jobs.act_on_job")
    if runner.can_retry(job):
        runner.retry(job)
        messages.success(request, _("The job was sent to the queue again."))
    else:
        messages.error(request, _("This job cannot be retried in its present state."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def job_cancel(request, pk):
    job = _visible_job(request, pk, "jobs.act_on_job")
    if job.is_final:
        messages.error(request, _("This job has already finished."))
    else:
        runner.cancel(job)
        messages.success(request, _("The job was cancelled."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def attention(request):
    """The secretariat's list of every job that failed, stalled or waits for the queue."""
    if not request.user.has_perm("jobs.view_all_jobs"):
        raise PermissionDenied
    page = Paginator(selectors.stuck_or_failed().order_by("-created_at"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "jobs/attention.html", {"page": page})
