"""The one way to honour a ``next`` parameter: only to a path on this site, never elsewhere."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default, field: str = "next") -> str:
    """The ``next`` URL from POST or GET if it points to this site (same host, https when the request is
    https), else ``default`` (a URL, path or URL pattern name). Never raises on bad input; the result is
    safe to give to ``redirect()``."""
    candidate = (request.POST.get(field) or request.GET.get(field) or "").strip()
    # A bare word ("foo") would be taken for a URL pattern name (500); only absolute paths or URLs.
    if (
        candidate.startswith(("/", "http://", "https://"))
        and not any(ord(c) < 32 for c in candidate)
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return resolve_url(default)
