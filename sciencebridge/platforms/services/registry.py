"""Load the registry of labs and platforms from the public record (``platforms/reference.py``).

Idempotent: every platform is matched by its code and updated in place; host and partner
institutions that are not in the institution register are skipped and reported, never invented.
"""

from django.db import transaction

from sciencebridge.institutions.models import Institution

from .. import reference
from ..models import Platform

LANGS = ("en", "zh_hant", "zh_hans")


@transaction.atomic
def load_platforms(rows=None) -> dict:
    rows = reference.PLATFORMS if rows is None else rows
    codes = {c for r in rows for c in (*r["hosts"], *r["partners"])}
    inst = {i.code: i for i in Institution.objects.filter(code__in=codes)}
    created, missing = 0, set()
    by_code = {}
    for r in rows:
        defaults = {
            "kind": r["kind"],
            "short_name": r["short_name"],
            "cluster": r["cluster"],
            "established_year": r["established_year"],
            "established_on": r["established_on"],
            "ended_on": r["ended_on"],
            "status": r["status"],
            "source_url": r["source_url"],
            "confidence": r["confidence"],
            "source_note_en": r["source_note"],
            **dict(
                zip(
                    ("source_note_zh_hant", "source_note_zh_hans"),
                    reference.NOTES_ZH.get(r["source_note"], ("", "")),
                    strict=True,
                )
            ),
            **{f"name_{lang}": name for lang, name in zip(LANGS, r["name"], strict=True)},
            **{f"areas_{lang}": a for lang, a in zip(LANGS, r["areas"], strict=True)},
        }
        p, was_created = Platform.objects.update_or_create(code=r["code"], defaults=defaults)
        created += was_created
        by_code[p.code] = p
        for field in ("hosts", "partners"):
            found = [inst[c] for c in r[field] if c in inst]
            missing |= {c for c in r[field] if c not in inst}
            getattr(p, field).set(found)
    for r in rows:
        if r["successor"]:
            successor = (
                by_code.get(r["successor"]) or Platform.objects.filter(code=r["successor"]).first()
            )
            Platform.objects.filter(code=r["code"]).update(successor=successor)
    return {"platforms": len(rows), "new": created, "institutions not found": sorted(missing)}
