"""The contract as a bilingual PDF (WeasyPrint, Noto CJK fonts, as the decision letters): the recorded
fields and the versioned standard annex, in Chinese (Simplified by default, Traditional offered) and
English side by side, section by section."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

CHINESE = {"zh-hans", "zh-hant"}


def _section(a, lang):
    suffix = lang.replace("-", "_")
    with translation.override(lang):
        return {
            "lang": lang,
            "annex_title": getattr(a.annex, f"title_{suffix}") or a.annex.title_en,
            "annex_clauses": [
                c.strip()
                for c in (getattr(a.annex, f"text_{suffix}") or a.annex.text_en).split("\n\n")
                if c.strip()
            ],
            "html": render_to_string(
                "dataflows/_contract_fields.html",
                {
                    "a": a,
                    "lang": lang,
                    "acceptances": list(a.acceptances.all()),
                    "processor_location": getattr(a.processor_location, f"name_{suffix}")
                    or a.processor_location.name_en,
                    "recipient_location": getattr(a.recipient_location, f"name_{suffix}")
                    or a.recipient_location.name_en,
                },
            ),
        }


def render_contract_html(a, chinese: str = "zh-hans") -> str:
    chinese = chinese if chinese in CHINESE else "zh-hans"
    return render_to_string(
        "dataflows/contract.html",
        {
            "a": a,
            "chinese": chinese,
            "sections": [_section(a, chinese), _section(a, "en")],
            "today": timezone.localdate(),
        },
    )


def render_contract_pdf(a, chinese: str = "zh-hans") -> bytes:
    from weasyprint import HTML

    return HTML(
        string=render_contract_html(a, chinese), base_url=str(settings.BASE_DIR)
    ).write_pdf()


def contract_filename(a, chinese: str = "zh-hans") -> str:
    return f"{a.reference}-{'zh-Hant' if chinese == 'zh-hant' else 'zh-Hans'}-en.pdf"
