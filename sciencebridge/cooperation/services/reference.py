"""Load the committee's public record (``cooperation/reference.py``) idempotently: every record is matched
by its code, so loading again updates texts in place and creates nothing twice."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from sciencebridge.core.workflow import record_initial_state
from sciencebridge.institutions.models import Institution

from .. import reference as R
from ..models import (
    Agreement,
    CooperationArea,
    Decision,
    Indicator,
    IndicatorValue,
    Meeting,
    Party,
    Workplan,
    WorkplanItem,
    WorkplanState,
)

LANGS = ("en", "zh_hant", "zh_hans")


def tr(field: str, texts) -> dict:
    return {f"{field}_{lang}": text for lang, text in zip(LANGS, texts, strict=True)}


def _three(x) -> tuple:
    """A text in three languages, or one text (or "") for all three."""
    return tuple(x) if isinstance(x, tuple | list) else (x, x, x)


def _date(s):
    return dt.date.fromisoformat(s) if s else None


@transaction.atomic
def load_public_record() -> dict[str, int]:
    insts = {
        i.code: i for i in Institution.objects.filter(code__in=[p[3] for p in R.PARTIES if p[3]])
    }
    parties = {}
    for code, names, region, inst in R.PARTIES:
        parties[code], _ = Party.objects.update_or_create(
            code=code,
            defaults={**tr("name", names), "region": region, "institution": insts.get(inst)},
        )
    areas = {}
    for order, (code, names) in enumerate(R.AREAS, start=1):
        areas[code], _ = CooperationArea.objects.update_or_create(
            code=code, defaults={**tr("name", names), "order": order}
        )
    agreements = {}
    for a in R.AGREEMENTS:
        defaults = {
            "kind": a["kind"],
            "status": a["status"],
            "confidence": a["confidence"],
            **tr("title", a["title"]),
            **tr("summary", a["summary"]),
            "signed_on": _date(a.get("signed_on")),
            "valid_until": _date(a.get("valid_until")),
            "source_url": a.get("source_url", ""),
            "source_note": a.get("source_note", ""),
            "renews": agreements.get(a.get("renews")),
            "parent": agreements.get(a.get("parent")),
        }
        if a.get("signed_at"):
            defaults.update(tr("signed_at", a["signed_at"]))
        obj, _ = Agreement.objects.update_or_create(code=a["code"], defaults=defaults)
        obj.parties.set([parties[p] for p in a["parties"]])
        obj.areas.set([areas[x] for x in a["areas"]])
        agreements[a["code"]] = obj
    meetings = {}
    for m in R.MEETINGS:
        defaults = {
            "held_on": _date(m["held_on"]),
            **tr("place", m["place"]),
            **tr("agenda", m["agenda"]),
            **tr("minutes", m["minutes"]),
            "source_url": m["source_url"],
        }
        if m.get("chairs"):
            defaults.update(tr("chairs", m["chairs"]))
        obj, _ = Meeting.objects.update_or_create(number=m["number"], defaults=defaults)
        obj.decisions.all().delete()
        Decision.objects.bulk_create(
            [
                Decision(meeting=obj, order=i, **tr("text", d))
                for i, d in enumerate(m["decisions"], start=1)
            ]
        )
        meetings[m["number"]] = obj
    w = R.WORKPLAN_2024
    wp, created = Workplan.objects.update_or_create(
        code=w["code"],
        defaults={
            **tr("title", w["title"]),
            "period": w["period"],
            "approved_at": meetings[w["meeting"]],
            "agreement": agreements[w["agreement"]],
            "source_url": w["source_url"],
        },
        create_defaults={
            **tr("title", w["title"]),
            "period": w["period"],
            "approved_at": meetings[w["meeting"]],
            "agreement": agreements[w["agreement"]],
            "source_url": w["source_url"],
            "state": WorkplanState.APPROVED,
        },
    )
    if created:
        record_initial_state(wp, reason="Public record: approved at the 18th meeting")
    for number, area, conf, texts in w["items"]:
        item, created = WorkplanItem.objects.update_or_create(
            workplan=wp,
            number=number,
            defaults={
                "area": areas[area],
                "confidence": conf,
                **tr("text", texts),
                "source_url": w["source_url"],
            },
        )
        if created:
            record_initial_state(item)
    n_values = 0
    for ind in R.INDICATORS:
        obj, _ = Indicator.objects.update_or_create(
            code=ind["code"],
            defaults={
                **tr("name", ind["name"]),
                **tr("unit", ind["unit"]),
                **tr("source", _three(ind["source"])),
                "source_url": ind.get("source_url", ""),
                "order": ind["order"],
                "lower_is_better": ind.get("lower_is_better", False),
            },
        )
        for row in ind["values"]:
            year, value, basis, url, note, as_of = (*row, "", "", "")[:6]
            IndicatorValue.objects.update_or_create(
                indicator=obj,
                year=year,
                defaults={
                    "value": Decimal(value),
                    **tr("basis_version", _three(basis)),
                    **tr("note", _three(note)),
                    "source_url": url or ind.get("source_url", ""),
                    "as_of": _date(as_of),
                    **tr("reference_period", _three(ind.get("period", ""))),
                },
            )
            n_values += 1
    for code, metric, order, names, units in R.LIVE_INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                **tr("name", names),
                **tr("unit", units),
                "metric_code": metric,
                "order": order,
                **tr("source", _three("ScienceBridge")),
            },
        )
    return {
        "parties": len(parties),
        "areas": len(areas),
        "agreements": len(agreements),
        "meetings": len(meetings),
        "indicators": len(R.INDICATORS) + len(R.LIVE_INDICATORS),
        "indicator values": n_values,
    }
