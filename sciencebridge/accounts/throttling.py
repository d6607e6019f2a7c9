"""How django-axes identifies an attempt: the normalised login name and the real client address."""

from django.conf import settings


def username_from_request(request, credentials) -> str:
    """ "Mei.Chan@ASTRI.org " and "mei.chan@astri.org" are the same account: count their failures together."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()[:254]


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` reverse proxies the address
    they appended to X-Forwarded-For (never a value the client could write itself)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response, credentials):
    """429 while locked out: JSON for the API (its clients read ``detail``), the page otherwise."""
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Too many failed attempts. Try again later.")}, status=429)
    return render(request, "accounts/locked_out.html", status=429)
