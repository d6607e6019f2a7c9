"""Cells of the matrix: (route key, variant, identity) → the URL to request, from the routes and the world."""

import re
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse

from sciencebridge.core.files import SALT as FILES_SALT

from .routes import URLCONF, all_routes, is_admin, route_keys
from .targets import TARGETS

FILE_KEY = "core:file"  # the one route serving stored files: /files/<signed name>/ (core/files.py)


def media_label(rel: str) -> str:
    """A stable name for a stored file: random tokens and job numbers taken out."""
    rel = re.sub(r"[0-9a-f]{16}", "*", rel)
    rel = re.sub(r"^talent/\d+/", "talent/<application>/", rel)
    return re.sub(r"report-\d+\.csv$", "report-<job>.csv", rel)


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def media_files(world) -> dict[str, str]:
    """Every file the world stored under MEDIA_ROOT (uploads and generated reports): label → relative path.
    A new kind of upload or generated file is picked up here without any change to the matrix."""
    return {media_label(rel): rel for rel in sorted(world.files)}


def variants(key: str, world) -> dict[str, dict]:
    """{variant: kwargs} of one route key ('' for the only variant)."""
    if key == FILE_KEY:
        return {label: {"path": rel} for label, rel in media_files(world).items()}
    target = TARGETS.get(key)
    if target is None:
        return {"": {}}
    if callable(target):
        return {"": target(world)}
    return {name: fn(world) for name, fn in target.items()}


def url_for(key: str, kwargs: dict) -> str:
    if key == FILE_KEY:  # the address the app itself hands out for the stored name
        return reverse(
            FILE_KEY,
            args=[signing.dumps(kwargs["path"], salt=FILES_SALT, compress=True)],
            urlconf=URLCONF,
        )
    try:
        return reverse(key, kwargs=kwargs or None, urlconf=URLCONF)
    except NoReverseMatch as e:
        raise AssertionError(
            f"{key}: cannot build the URL from {kwargs!r} ({e}); fill it in targets.py"
        ) from e


def app_keys() -> list[str]:
    admin = set(admin_keys())
    return [k for k in route_keys() if k not in admin]


def admin_keys() -> list[str]:
    return list(dict.fromkeys(r.key for r in all_routes() if is_admin(r)))
