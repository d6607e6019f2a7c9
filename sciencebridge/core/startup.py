"""Checks the server entry points run before they accept work (wsgi.py, the Celery worker).

Offline tools (makemigrations, compilemessages, makemessages) do not need a secret key and still run
without one; anything that serves requests or runs jobs refuses to start.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set (or is the public development key / the example's placeholder) "
            "and DEBUG is off: refusing to start. Set SECRET_KEY to 50+ random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))', or set DEBUG=true "
            "for local development only."
        )
