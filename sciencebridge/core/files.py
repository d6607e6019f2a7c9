"""Uploaded and generated files: stored under unguessable names, served only through one
permission-checked route.

- **Storage** (``ProtectedStorage``, the default storage): every stored name gets a random 128-bit
  directory (``proposals/JRF-2026-0001/HK/<32 hex>/<name>.pdf``), whatever the app's ``upload_to`` says,
  so no app can store a guessable path. ``storage.url(name)`` (hence ``{{ obj.file.url }}`` in a
  template) is the checked route ``/files/<signed name>/``, never a public media path; there is no
  ``/media/`` route at all.
- **Route** (``serve``): the signed name is mapped back to the object that owns the file and that
  object's permission is asked. Apps declare their files in an optional ``<app>/files.py`` with
  ``PROTECTED_FILES = [ProtectedFile(...)]`` (see core/plugins.py); a stored file that no declaration
  claims is never served, and ``core/tests/test_files.py`` fails when a model's FileField has no
  declaration.
- **Sending** (``FILES_SERVE_METHOD``): ``django`` streams the file itself (the embedded default);
  ``x-accel-redirect`` answers with an empty response whose ``X-Accel-Redirect`` header points nginx at
  its ``internal`` location ``FILES_ACCEL_PREFIX`` (deploy/nginx.conf.example); ``x-sendfile`` does the
  same for Apache/lighttpd with the absolute path. The permission check is Django's in every case.
"""

from __future__ import annotations

import posixpath
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

SALT = "sciencebridge.files"


class ProtectedStorage(FileSystemStorage):
    """FileSystemStorage under MEDIA_ROOT with a random directory in every name and checked URLs."""

    def save(self, name, content, max_length=None):
        dirname, basename = posixpath.split(str(name).replace("\\", "/"))
        name = posixpath.join(dirname, secrets.token_hex(16), basename)
        return super().save(name, content, max_length=max_length)

    def url(self, name):
        return file_url(name)


def file_url(name: str) -> str:
    """The permission-checked address of the stored file ``name``."""
    return reverse("core:file", args=[signing.dumps(name, salt=SALT, compress=True)])


@dataclass(frozen=True)
class ProtectedFile:
    """Where stored names of one kind live, who owns them and who may download them.

    ``model``: "app_label.Model"; ``lookup``: the field (or JSON path, e.g. ``result__report_name``)
    holding the storage name; ``allowed(user, obj)``: the owning object's permission;
    ``download_name(obj)``: the file name the browser saves; ``filter``: extra queryset conditions.
    """

    model: str
    lookup: str
    allowed: Callable[[object, object], bool]
    download_name: Callable[[object], str]
    content_type: str = "application/octet-stream"
    filter: dict = field(default_factory=dict)

    def owner(self, name: str):
        model = apps.get_model(self.model)
        return model._default_manager.filter(**self.filter, **{self.lookup: name}).first()


def declarations() -> list[ProtectedFile]:
    from .plugins import app_modules

    return [
        spec for module in app_modules("files") for spec in getattr(module, "PROTECTED_FILES", [])
    ]


def file_fields() -> list[tuple[str, str]]:
    """("app_label.Model", field name) of every file field of the project's models."""
    return [
        (m._meta.label, f.name)
        for m in apps.get_models()
        if m.__module__.startswith("sciencebridge.")
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField)
    ]


def send(name: str, filename: str, content_type: str):
    method = getattr(settings, "FILES_SERVE_METHOD", "django")
    if not default_storage.exists(name):
        raise Http404
    if method == "django":
        resp = FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
    else:
        resp = HttpResponse(content_type=content_type)
        resp["Content-Disposition"] = content_disposition_header(True, filename)
        if method == "x-accel-redirect":
            resp["X-Accel-Redirect"] = settings.FILES_ACCEL_PREFIX.rstrip("/") + "/" + quote(name)
        elif method == "x-sendfile":
            resp["X-Sendfile"] = default_storage.path(name)
        else:
            raise ValueError(
                f"FILES_SERVE_METHOD must be django, x-accel-redirect or x-sendfile, not {method!r}"
            )
    resp["Cache-Control"] = "private, no-store"
    return resp


def serve(request, token: str):
    """GET /files/<signed name>/: the file, if the object that owns it lets this user see it."""
    try:
        name = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise Http404 from None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    for spec in declarations():
        obj = spec.owner(name)
        if obj is not None:
            if not spec.allowed(request.user, obj):
                raise Http404  # the same answer as for a file that does not exist
            return send(
                name, spec.download_name(obj) or posixpath.basename(name), spec.content_type
            )
    raise Http404
