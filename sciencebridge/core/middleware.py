"""Request guards that every view gets, so a new view cannot forget them.

``RejectHostileInputMiddleware`` answers 400 with a clear, translated message before any view runs when
the request carries

- a NUL character (``\\x00``) in the path, the query string, a header or cookie, a form field (name or
  value, including an uploaded file's name) or any string of a JSON body — PostgreSQL cannot store NUL
  in text and raises on the lookup or the write, which was a 500 in about twenty places;
- a single text value longer than ``MAX_TEXT_VALUE_CHARS`` (default 100,000 characters) — free-text
  fields without a ``max_length`` otherwise take megabytes (the whole body is bounded separately by
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``);
- a JSON body nested deeper than ``MAX_JSON_DEPTH``.

Rejecting rather than stripping: a NUL is never typed by a person (only a broken or hostile client
sends one), and silently changing what was submitted would store something the sender did not send.
Uploaded file *contents* are not inspected (a PDF may contain NUL bytes); their names are.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_JSON_DEPTH = 64


def _limit() -> int:
    return getattr(settings, "MAX_TEXT_VALUE_CHARS", 100_000)


def _check_text(where: str, value: str) -> str | None:
    if NUL in value:
        return _(
            "The request was refused: %(where)s contains a NUL character (\\x00), which is never "
            "valid input. Remove it and try again."
        ) % {"where": where}
    if len(value) > _limit():
        return _("The request was refused: %(where)s is longer than %(limit)s characters.") % {
            "where": where,
            "limit": f"{_limit():,}",
        }
    return None


def _check_pairs(pairs, name_label: str, value_label: str) -> str | None:
    """``name_label``: what a bad key is called; ``value_label``: a format with %(field)s."""
    for key, values in pairs:
        problem = _check_text(name_label, key)
        if problem:
            return problem
        for v in values:
            name = getattr(v, "name", v)  # uploaded files: the name, never the content
            problem = _check_text(value_label % {"field": key[:80]}, str(name or ""))
            if problem:
                return problem
    return None


def _check_json(body: bytes) -> str | None:
    too_deep = _(
        "The request was refused: the JSON body is nested more than %(n)d levels deep."
    ) % {"n": MAX_JSON_DEPTH}
    try:
        data = json.loads(body)
    except RecursionError:
        return too_deep
    except ValueError:
        return None  # not JSON after all, or malformed: the view's parser answers with its own 400
    stack = [(data, 0, "")]
    while stack:  # iterative: no recursion limit to trip over
        node, depth, path = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return too_deep
        if isinstance(node, str):
            problem = _check_text(
                _("the JSON value “%(field)s”") % {"field": path[:80] or "/"}, node
            )
            if problem:
                return problem
        elif isinstance(node, dict):
            for k, v in node.items():
                problem = _check_text(_("a JSON key"), k)
                if problem:
                    return problem
                stack.append((v, depth + 1, f"{path}/{k}"))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{path}/{i}") for i, v in enumerate(node))
    return None


def find_problem(request) -> str | None:
    """Why this request must be refused, or None."""
    problem = _check_text(_("the address"), request.path_info) or _check_pairs(
        request.GET.lists(), _("a query parameter name"), _("the query parameter “%(field)s”")
    )
    if problem:
        return problem
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return _check_text(_("a request header"), value)
    for value in request.COOKIES.values():  # unquoted: "\\000" in the header is a NUL here
        if NUL in value:
            return _check_text(_("a cookie"), value)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        return _check_pairs(
            request.POST.lists(), _("a form field name"), _("the form field “%(field)s”")
        ) or _check_pairs(
            request.FILES.lists(), _("a form field name"), _("the form field “%(field)s”")
        )
    if content_type == "application/json" or content_type.endswith("+json"):
        return _check_json(request.body)
    return None


def wants_json(request) -> bool:
    return (
        request.path_info.startswith("/api/")
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )


class RejectHostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = find_problem(request)
        if problem is None:
            return self.get_response(request)
        if wants_json(request):
            return JsonResponse({"detail": problem}, status=400)
        # Rendered without the request: the session/user may be what carries the NUL.
        html = render_to_string("core/rejected_input.html", {"message": problem})
        return HttpResponse(html, status=400)
