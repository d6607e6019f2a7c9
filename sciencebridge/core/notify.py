"""E-mail notifications rendered from templates (console back-end in the embedded default)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def notify(to: str | list[str], subject: str, template: str, context: dict) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
