"""``{% load content_lang %}`` then ``{% localized offer "summary" %}``: a user-entered text in the
active language, marked when OpenCC converted it and nobody checked it yet, and wrapped in its own
``lang`` with "(English original)" when the active language has no text and another one is shown.

Options: ``linebreaks=True`` (line breaks kept, as ``|linebreaksbr``), ``words=40`` (shortened, as
``|truncatewords``; ``chars=90`` as ``|truncatechars``), ``short=True`` (a short marker, for titles in lists and links).
``{{ offer|localized_plain:"title" }}`` is the bare text, for ``<title>`` and attributes."""

from django import template
from django.template.defaultfilters import linebreaksbr, truncatechars, truncatewords
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sciencebridge.core.content_languages import (
    HANS,
    HANT,
    HTML_LANG,
    column_suffix,
    localized_text,
)

register = template.Library()


def _converted_note(suffix: str, short: bool) -> str:
    if short:
        return _("(converted automatically)")
    if suffix == HANT:
        return _("Converted automatically from Simplified Chinese — not yet checked")
    return _("Converted automatically from Traditional Chinese — not yet checked")


def _original_note(suffix: str) -> str:
    return {
        "en": _("(English original)"),
        HANT: _("(Traditional Chinese original)"),
        HANS: _("(Simplified Chinese original)"),
    }[suffix]


@register.simple_tag
def localized(instance, field, linebreaks=False, words=None, chars=None, short=False):
    text, suffix, converted = localized_text(instance, field)
    if words:
        text = truncatewords(text, words)
    if chars:
        text = truncatechars(text, chars)
    body = linebreaksbr(text, autoescape=True) if linebreaks else conditional_escape(text)
    active = column_suffix()
    if suffix != active and text:
        return format_html(
            '<span lang="{}" class="content-fallback">{}</span> '
            '<small class="muted content-original">{}</small>',
            HTML_LANG[suffix],
            body,
            _original_note(suffix),
        )
    if converted:
        return format_html(
            '<span class="content-converted-text">{}</span> '
            '<small class="muted content-converted">{}</small>',
            body,
            _converted_note(suffix, short),
        )
    return mark_safe(body)  # escaped above


@register.filter
def localized_plain(instance, field):
    return localized_text(instance, field)[0]
