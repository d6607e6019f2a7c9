"""The public record (../shared/domain.md §6, §7): the two ITC programmes' rules and the 2025 reorganisation
of the State Key Laboratories in Hong Kong (16 → 15 from 1 Jul 2025). ``load()`` is idempotent (by code).

Outcomes the public record does not give are recorded as such ("not found"), never invented; two are
inferred from the 2025 count by university (HKBU has none among the 15; HKU's five do not include Brain and
Cognitive Sciences) and are marked "P".
"""

import datetime as dt
from decimal import Decimal

from djmoney.money import Money

SRC_SKL_FUNDING = (
    "https://hk.news.yahoo.com/在港全國重點實驗室獲授牌-每所每年獲資助最多2000萬元-061032277.html"
)
SRC_CNERC = (
    "https://easyuni.ph/hong-kong/the-hong-kong-polytechnic-university-polyu-10358/news/501/"
)
SRC_SKL_2025 = "https://hk.crntt.com/doc/1071/1/2/0/107112006.html"

PROGRAMMES = [
    {
        "code": "itc-skl",
        "name": (
            "ITC funding for State Key Laboratories in Hong Kong",
            "創新科技署在港全國重點實驗室資助",
            "创新科技署在港全国重点实验室资助",
        ),
        "platform_kind": "skl",
        "yearly_ceiling": Decimal("20000000"),
        "min_matching": Decimal("4000000"),
        "min_matching_ratio": None,
        "max_years": None,
        "first_year": 2025,
        "source_url": SRC_SKL_FUNDING,
    },
    {
        "code": "itc-cnerc",
        "name": (
            "ITC funding for Hong Kong branches of CNERCs",
            "創新科技署國家工程技術研究中心香港分中心資助",
            "创新科技署国家工程技术研究中心香港分中心资助",
        ),
        "platform_kind": "cnerc_branch",
        "yearly_ceiling": Decimal("5000000"),
        "min_matching": None,
        "min_matching_ratio": Decimal("1.00"),
        "max_years": 3,
        "first_year": 2015,
        "source_url": SRC_CNERC,
    },
]

REORG_2025 = {
    "code": "skl-reorg-2025",
    "name": (
        "Reorganisation of the State Key Laboratories in Hong Kong (2025)",
        "在港國家重點實驗室重組（2025年）",
        "在港国家重点实验室重组（2025年）",
    ),
    "kind": "reorganisation",
    "platform_kind": "skl",
    "year": 2025,
    "effective_on": dt.date(2025, 7, 1),
    "count_before": 16,
    "count_after": 15,
    "source_url": SRC_SKL_2025,
    "note": (
        "MOST approved 15 laboratories in January 2025: 12 restructured and 3 new. The successors of several "
        "earlier laboratories were not found in the public record.",
        "科技部於2025年1月批准15所實驗室：12所重組、3所新建。部分原有實驗室的承接實驗室未見於公開資料。",
        "科技部于2025年1月批准15所实验室：12所重组、3所新建。部分原有实验室的承接实验室未见于公开资料。",
    ),
}

NOT_FOUND = "Its 2025 successor was not found in the public record."
NOTES = {
    NOT_FOUND: (
        NOT_FOUND,
        "其2025年的承接實驗室未見於公開資料。",
        "其2025年的承接实验室未见于公开资料。",
    ),
    "Not among HKU's five laboratories from 2025 (inferred).": (
        "Not among HKU's five laboratories from 2025 (inferred).",
        "不在港大2025年起的五所實驗室之列（推斷）。",
        "不在港大2025年起的五所实验室之列（推断）。",
    ),
    "HKBU hosts none of the 15 laboratories from 2025 (inferred).": (
        "HKBU hosts none of the 15 laboratories from 2025 (inferred).",
        "浸大不在2025年起15所實驗室的依託單位之列（推斷）。",
        "浸大不在2025年起15所实验室的依托单位之列（推断）。",
    ),
    "": ("", "", ""),
}
# (platform code, outcome, successor code, confidence, note)
REORG_2025_OUTCOMES = [
    ("skl-hku-brain", "closed", "", "P", "Not among HKU's five laboratories from 2025 (inferred)."),
    ("skl-hku-eid", "continued", "skl25-hku-eid", "C", ""),
    ("skl-hku-liver", "continued", "skl25-hku-liver", "C", ""),
    ("skl-hku-pharmbio", "continued", "skl25-hku-pharmbio", "C", ""),
    ("skl-hku-synchem", "continued", "skl25-hku-synchem", "C", ""),
    ("skl-cuhk-oncology", "continued", "skl25-cuhk-oncology", "C", ""),
    ("skl-cuhk-agrobiotech", "unknown", "", "U", NOT_FOUND),
    ("skl-cuhk-medplants", "unknown", "", "U", NOT_FOUND),
    ("skl-cuhk-digestive", "unknown", "", "U", NOT_FOUND),
    ("skl-cityu-mmw", "unknown", "", "U", NOT_FOUND),
    ("skl-cityu-marine", "unknown", "", "U", NOT_FOUND),
    (
        "skl-hkbu-eba",
        "closed",
        "",
        "P",
        "HKBU hosts none of the 15 laboratories from 2025 (inferred).",
    ),
    ("skl-polyu-upm", "unknown", "", "U", NOT_FOUND),
    ("skl-polyu-chiro", "unknown", "", "U", NOT_FOUND),
    ("skl-hkust-neuro", "renamed", "skl25-hkust-nsd", "P", ""),
    ("skl-hkust-displays", "renamed", "skl25-hkust-displays", "P", ""),
    ("skl25-hku-oqm", "established", "", "C", ""),
    ("skl25-coastal", "established", "", "C", ""),
    ("skl25-qitm", "established", "", "C", ""),
]


def load(stdout=None) -> dict:
    from sciencebridge.institutions.models import Institution
    from sciencebridge.platforms.models import Platform

    from .models import Exercise, LabProgramme
    from .services.exercises import record_outcome

    itc = Institution.objects.filter(code="itc").first()
    n_prog = 0
    if itc is not None:
        for row in PROGRAMMES:
            data = dict(row)
            code = data.pop("code")
            en, hant, hans = data.pop("name")
            for f in ("yearly_ceiling", "min_matching"):
                data[f] = Money(data[f], "HKD") if data[f] is not None else None
            LabProgramme.objects.update_or_create(
                code=code,
                defaults={
                    **data,
                    "funder": itc,
                    "name": en,
                    "name_en": en,
                    "name_zh_hant": hant,
                    "name_zh_hans": hans,
                },
            )
            n_prog += 1
    r = dict(REORG_2025)
    code = r.pop("code")
    en, hant, hans = r.pop("name")
    nen, nhant, nhans = r.pop("note")
    exercise, _ = Exercise.objects.update_or_create(
        code=code,
        defaults={
            **r,
            "name": en,
            "name_en": en,
            "name_zh_hant": hant,
            "name_zh_hans": hans,
            "note": nen,
            "note_en": nen,
            "note_zh_hant": nhant,
            "note_zh_hans": nhans,
        },
    )
    labs = {p.code: p for p in Platform.objects.filter(kind="skl")}
    n_out = 0
    for pcode, outcome, scode, conf, note in REORG_2025_OUTCOMES:
        if pcode not in labs:
            continue
        row = record_outcome(
            exercise,
            labs[pcode],
            outcome,
            successor=labs.get(scode),
            confidence=conf,
            note=note,
        )
        row.note_en, row.note_zh_hant, row.note_zh_hans = NOTES[note]
        row.save(update_fields=["note_en", "note_zh_hant", "note_zh_hans"])
        n_out += 1
    return {"programmes": n_prog, "exercise outcomes": n_out}
