"""The export of approved experts for the national database (columns documented in
docs/expert-database-export.md and on the nominations page)."""

from django.utils.translation import gettext_lazy as _

from sciencebridge.core.spreadsheets import Sheet

from .. import selectors

# (column, description): the documented format, in this order.
COLUMNS = [
    ("nomination_id", _("ScienceBridge nomination number")),
    ("database", _("Target database: programmes, awards or cast")),
    ("cast_society", _("CAST national society (cast only)")),
    ("name_en", _("Name in English")),
    ("name_zh", _("Name in Chinese")),
    ("email", _("E-mail address")),
    ("orcid", _("ORCID iD")),
    ("title", _("Professional title")),
    ("institution_code", _("Institution code (ScienceBridge)")),
    ("institution", _("Institution (legal entity)")),
    ("region", _("Region: HK or ML")),
    ("discipline_codes", _("Discipline codes (scheme:code; separated by ;)")),
    ("keywords", _("Research keywords")),
    ("languages", _("Working languages")),
    ("nominated_by", _("Nominating university code")),
    ("consent_at", _("Date of the expert's consent (YYYY-MM-DD)")),
    ("approved_on", _("Date entered in the database (YYYY-MM-DD)")),
]


def approved_sheet(exercise, database=None) -> Sheet:
    sheet = Sheet([c for c, _d in COLUMNS])
    for n in selectors.approved(exercise, database):
        e = n.expert
        sheet.append(
            [
                n.pk,
                n.database,
                n.society,
                e.name_en,
                e.name_zh,
                e.email,
                e.orcid,
                e.title,
                e.institution.code if e.institution_id else "",
                e.institution.name_en if e.institution_id else "",
                e.region,
                "; ".join(f"{d.scheme.code}:{d.code}" for d in e.discipline_codes.all()),
                e.keywords,
                e.languages,
                n.institution.code,
                n.consent_at.date().isoformat() if n.consent_at else "",
                n.entered_on.isoformat() if n.entered_on else "",
            ]
        )
    return sheet
