import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from sciencebridge.accounts.request_user import unwrapped_user
from sciencebridge.core.plugins import app_modules
from sciencebridge.core.probes import probe_dashboard
from sciencebridge.funding import call_counts, selectors
from sciencebridge.funding.models import Call

log = logging.getLogger(__name__)


def home(request):
    calls = Call.objects.select_related("scheme").order_by("-closes_at")[:6]
    return render(request, "core/home.html", {"calls": calls})


@login_required
def dashboard(request):
    # the user itself, not the lazy proxy, for the panels and the template, which ask about it often
    request.user = user = unwrapped_user(request.user)
    ctx = {"calls": Call.objects.select_related("scheme").order_by("-closes_at")[:10]}
    if user.has_role("applicant"):
        ctx["my_proposals"] = selectors.first_own_proposal_rows(user)
    if user.has_role("research_office"):
        ctx["awaiting"] = selectors.halves_awaiting_endorsement(user).filter(state="submitted")[:20]
    if user.has_role("programme_officer") and user.agency_id:
        ctx["officer_calls"] = call_counts.with_proposal_counts(selectors.agency_calls(user))
    modules = app_modules("dashboard")
    probe_dashboard(request, modules)  # one query tells which panels can be skipped
    ctx["panels"] = [panel for module in modules for panel in module.panels(request)]
    return render(request, "core/dashboard.html", ctx)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return True
    except Exception:  # logged for the operator; the public answer names no host, port or driver
        log.exception("health check: database unreachable")
        return False


def health(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    if not _database_ok():
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _queue_ok() -> bool:
    if settings.JOBS_BACKEND != "celery":
        return True  # in-process jobs: the queue is this process
    try:
        from sciencebridge.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        return True
    except Exception:
        log.exception("readiness check: job queue unreachable")
        return False


def readiness(request):
    """Ready to take work: the database and the job queue answer. Also counts jobs that wait for the queue
    or lost their worker (the reaper resends them; a growing number means the reaper or the workers are down)."""
    db, queue = _database_ok(), _queue_ok()
    body = {
        "status": "ok" if db and queue else "error",
        "database": "ok" if db else "error",
        "queue": "ok" if queue else "error",
    }
    if db:
        from sciencebridge.jobs.selectors import backlog

        body["jobs"] = backlog()
    return JsonResponse(body, status=200 if db and queue else 503)
