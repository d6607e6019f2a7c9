from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .models import Job


def _visible_job(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    return job


@login_required
def job_status(request, pk):
    job = _visible_job(request, pk)
    return JsonResponse({
        "id": job.pk, "state": job.state, "progress": job.progress, "total": job.total,
        "percent": job.percent, "message": job.message, "result": job.result,
        "error": job.error.splitlines()[0] if job.error else "",
    })


@login_required
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", {"job": _visible_job(request, pk)})
