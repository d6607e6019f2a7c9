from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render

from sciencebridge.core.plugins import app_modules
from sciencebridge.funding import selectors
from sciencebridge.funding.models import Call


def home(request):
    calls = Call.objects.select_related("scheme").order_by("-closes_at")[:6]
    return render(request, "core/home.html", {"calls": calls})


@login_required
def dashboard(request):
    user = request.user
    ctx = {"calls": Call.objects.select_related("scheme").order_by("-closes_at")[:10]}
    if user.has_role("applicant"):
        ctx["my_proposals"] = selectors.my_proposals(user)[:20]
    if user.has_role("research_office"):
        ctx["awaiting"] = selectors.halves_awaiting_endorsement(user).filter(state="submitted")[:20]
    if user.has_role("programme_officer") and user.agency_id:
        ctx["officer_calls"] = (
            Call.objects.filter(scheme__sides__agency=user.agency).select_related("scheme")
            .annotate(n=Count("proposals")).order_by("-closes_at")
        )
    ctx["panels"] = [panel for module in app_modules("dashboard") for panel in module.panels(request)]
    return render(request, "core/dashboard.html", ctx)


def health(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        db = "ok"
    except Exception as exc:  # reported, not raised: the endpoint must answer
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": db})
