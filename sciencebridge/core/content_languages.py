"""User-entered text in three languages: English, Traditional and Simplified Chinese.

Translated fields are stored per language by django-modeltranslation (``summary_en``,
``summary_zh_hant``, ``summary_zh_hans``). When a person writes a text in only one Chinese script, the
other script is filled by OpenCC (Simplified → Traditional with the Hong Kong phrase variant ``s2hk``,
Traditional → Simplified ``t2s``) and recorded as machine-converted in the model's
``converted_fields`` JSON (``{"summary_zh_hant": "<fingerprint of the converted text>"}``) until a
person confirms it.

Rules, per translated field (see :func:`fill_chinese_conversions`):

- exactly one Chinese script filled → the other is converted and marked;
- the converted text is still what the machine wrote and the source changes → it is refreshed;
- the person changed the converted text (it is no longer the conversion of the source) → it is theirs:
  unmarked, and never overwritten again;
- the person confirms the conversions → unmarked, and never overwritten again;
- the converted text or its source is emptied → the mark goes (and a lone text is converted again).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.translation import get_language

from matching.text.tokenize import has_cjk

from .scripts import _converter

HANT, HANS = "zh_hant", "zh_hans"
LANGS = ("en", HANT, HANS)
# Which OpenCC configuration writes a column from the other Chinese column.
_TO = {HANT: "s2hk", HANS: "t2s"}
_OTHER = {HANT: HANS, HANS: HANT}


def column_suffix(language: str | None = None) -> str:
    """``"zh-hant"`` → ``"zh_hant"``; anything not Chinese → ``"en"``."""
    lang = (language or get_language() or settings.LANGUAGE_CODE).lower()
    if lang.startswith("zh"):
        return HANS if lang in ("zh-hans", "zh-cn", "zh-sg") else HANT
    return "en"


def convert(text: str, to: str) -> str:
    """``text`` in the script of column suffix ``to`` (``"zh_hant"`` or ``"zh_hans"``)."""
    return _converter(_TO[to]).convert(text) if text else ""


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def converted_columns(instance) -> dict:
    return dict(getattr(instance, "converted_fields", None) or {})


def is_converted(instance, column: str) -> bool:
    return column in converted_columns(instance)


def fill_chinese_conversions(instance, fields, *, confirm: bool = False) -> list[str]:
    """Fill the missing Chinese script of each translated field in ``fields`` (not saved).

    ``confirm``: the person checked the conversions they were shown; they become their own text.
    Returns the columns now marked as machine-converted."""
    marks = converted_columns(instance)
    for field in fields:
        for target in (HANT, HANS):
            column = f"{field}_{target}"
            if column not in marks:
                continue
            value = (getattr(instance, column) or "").strip()
            source = (getattr(instance, f"{field}_{_OTHER[target]}") or "").strip()
            untouched = value and _fingerprint(value) == marks[column]
            if confirm and value and source:
                del marks[column]  # confirmed as shown: the person's text from now on
            elif not value or not source:
                del marks[column]
                if untouched:  # the source was emptied: its conversion goes with it
                    setattr(instance, column, "")
            elif untouched or value == convert(source, target):
                # Still the machine's text: follow the source (a no-op when it did not change).
                fresh = convert(source, target)
                setattr(instance, column, fresh)
                marks[column] = _fingerprint(fresh)
            else:
                del marks[column]  # the person rewrote it
        hant = (getattr(instance, f"{field}_{HANT}") or "").strip()
        hans = (getattr(instance, f"{field}_{HANS}") or "").strip()
        if bool(hant) != bool(hans):
            target = HANS if hant else HANT
            fresh = convert(hant or hans, target)
            setattr(instance, f"{field}_{target}", fresh)
            # Marked even with ``confirm``: nobody has seen this conversion yet.
            marks[f"{field}_{target}"] = _fingerprint(fresh)
    instance.converted_fields = marks
    return sorted(marks)


def confirm_conversions(instance, fields=None) -> None:
    """Every (or each listed field's) machine conversion is accepted as is (not saved)."""
    marks = converted_columns(instance)
    if fields is None:
        marks = {}
    else:
        for field in fields:
            for target in (HANT, HANS):
                marks.pop(f"{field}_{target}", None)
    instance.converted_fields = marks


# Display ------------------------------------------------------------------------------------------

# The order in which a missing text falls back to another language, per active language.
FALLBACKS = {"en": ("en", HANT, HANS), HANT: (HANT, HANS, "en"), HANS: (HANS, HANT, "en")}
HTML_LANG = {"en": "en", HANT: "zh-Hant", HANS: "zh-Hans"}


def localized_text(instance, field: str, language: str | None = None) -> tuple[str, str, bool]:
    """The text of ``field`` for the active language: ``(text, column suffix it came from,
    machine-converted?)``. ``("", active suffix, False)`` when no language has it."""
    active = column_suffix(language)
    for suffix in FALLBACKS[active]:
        text = getattr(instance, f"{field}_{suffix}", None) or ""
        if text.strip():
            if suffix == "en" and has_cjk(text):
                # A Chinese text copied into the required default-language column is not English.
                same = [
                    zh
                    for zh in (HANT, HANS)
                    if (getattr(instance, f"{field}_{zh}", None) or "").strip() == text.strip()
                ]
                if same:  # the person's own text rather than its conversion
                    same.sort(key=lambda zh: is_converted(instance, f"{field}_{zh}"))
                    return text, same[0], is_converted(instance, f"{field}_{same[0]}")
            return text, suffix, is_converted(instance, f"{field}_{suffix}")
    return "", active, False


def confirm_field():
    """The edit form's "I checked the conversions" box (its value goes to the service's ``confirm``)."""
    from django import forms
    from django.utils.translation import gettext_lazy as _

    return forms.BooleanField(
        label=_("I have checked the automatic Traditional ⇄ Simplified Chinese conversions"),
        help_text=_(
            "Texts converted automatically between Traditional and Simplified Chinese are marked as "
            "such until you tick this box."
        ),
        required=False,
    )


def add_conversion_controls(form) -> None:
    """On an edit form of a model with ``converted_fields``: each machine-converted language field
    says so, and a ``confirm_conversions`` box lets the person accept them as they are."""
    from django.utils.translation import gettext_lazy as _

    marks = converted_columns(form.instance)
    shown = [c for c in marks if c in form.fields]
    for column in shown:
        form.fields[column].help_text = (
            _("Converted automatically from Simplified Chinese — not yet checked")
            if column.endswith(HANT)
            else _("Converted automatically from Traditional Chinese — not yet checked")
        )
    if shown:
        form.fields["confirm_conversions"] = confirm_field()


def guess_language(text: str) -> str:
    """The column suffix a text was most likely written for: ``"en"`` without Chinese characters,
    else the Chinese script it is written in (Traditional when both read the same)."""
    if not has_cjk(text or ""):
        return "en"
    return HANS if convert(text, HANT) != text and convert(text, HANS) == text else HANT


def spread_existing_text(row, fields) -> None:
    """A data migration's step for a field newly translated: the text already stored in the
    original column goes to its language's column, and the other Chinese script is converted."""
    for field in fields:
        text = getattr(row, field) or ""
        if text and not any(getattr(row, f"{field}_{lang}") for lang in LANGS):
            lang = guess_language(text)
            setattr(row, f"{field}_{lang}", text)
            if lang != "en":
                setattr(row, f"{field}_en", text)  # the default column, shown as Chinese
    fill_chinese_conversions(row, fields)
