"""National programmes opened to Hong Kong (and Macao) applicants: reference data (domain.md §3).

One Mainland agency funds, in RMB; the applicant leads from a designated Hong Kong / Macao institution.
Facts and their tags:
- NSFC Excellent Young Scientists Fund (Hong Kong and Macao), from 2019 [C]: 25 projects a year, 8
  designated universities, full-time staff, in Hong Kong at least 9 months a year, under 38 (men) / under
  40 (women), postdocs and students excluded; RMB 2m over 3 years by 2022 (RMB 1.3m in 2019), remitted
  across the boundary. http://www.mrpo.hku.hk/workshops-events/2019-03-01 ;
  https://www.mech.hku.hk/post/dr-philip-chow-awarded-china-s-excellent-young-scientists-fund-2022
  Which 8 universities are designated is not named in the retrieved text [P]: the seed designates the 8
  UGC-funded universities (domain.md §7); the list is data per programme and per exercise (admin).
  The reference date of the age limit is set per exercise (``Call.reference_date``).
- 2024/2025 [C]: Distinguished Young Scholars opened to HK/Macao, RMB 4m over 5 years (RMB 2.8m in
  mathematics and management science); Young Scientists Fund RMB 300k; in 2025 renamed Young Scientist
  Fund Type A/B/C. https://www.scifac.hku.hk/news/hku-tops-local-universities-with-thirty-five-young-scientists-awarded-funding-from-nsfc ;
  https://www.keynotes.hku.hk/?p=2775 — Their personal rules and the Type C duration were not retrieved
  [U]: no personal rules are seeded for them, the duration is configurable.
- National Key R&D Programme [C]: three key technology areas opened to 10 Hong Kong universities in
  Dec 2018 (news.gov.hk 2018-12-04). Areas, ceilings and the 10 names not retrieved [U]: leads from
  UGC-funded universities, ceiling per call.
"""

from decimal import Decimal

HK, MO = "HK", "MO"
DESIGNATED_8 = ["cityu", "hkbu", "lingnan", "cuhk", "eduhk", "polyu", "hkust", "hku"]
NSFC_EYS = "nsfc-eys-hkm"


def _n(en, zh_hant, zh_hans):
    return {"en": en, "zh_hant": zh_hant, "zh_hans": zh_hans}


CRITERIA = [
    _n("Scientific merit and originality", "科學價值及原創性", "科学价值及原创性"),
    _n("The applicant's achievements and potential", "申請人的成就及潛力", "申请人的成就及潜力"),
    _n("Feasibility of the research plan", "研究方案的可行性", "研究方案的可行性"),
]
RESIDENCE = {
    "code": "residence-declaration",
    "required": True,
    "name": _n(
        "Residence declaration with evidence (months a year in Hong Kong / Macao)",
        "居留聲明及證明（每年在港澳的月數）",
        "居留声明及证明（每年在港澳的月数）",
    ),
}
FULL_PROPOSAL = {
    "code": "full-proposal",
    "required": True,
    "name": _n("Full proposal", "完整計劃書", "完整计划书"),
}

NATIONAL_SCHEMES = [
    {
        "code": NSFC_EYS,
        "short_name": "EYS (HK&Macao)",
        "name": _n(
            "NSFC Excellent Young Scientists Fund (Hong Kong and Macao)",
            "國家自然科學基金優秀青年科學基金項目（港澳）",
            "国家自然科学基金优秀青年科学基金项目（港澳）",
        ),
        "description": _n(
            "About 25 awards a year to young scientists at designated Hong Kong and Macao universities: "
            "RMB 2m over 3 years, funded by NSFC and remitted across the boundary.",
            "每年約 25 項，資助指定港澳大學的青年科學家：三年人民幣 200 萬元，由國家自然科學基金委員會資助並跨境撥付。",
            "每年约 25 项，资助指定港澳大学的青年科学家：三年人民币 200 万元，由国家自然科学基金委员会资助并跨境拨付。",
        ),
        "agency": "nsfc",
        "regions": [HK, MO],
        "max_duration_months": 36,
        "ceiling": Decimal("2000000"),
        "designated": DESIGNATED_8,
        "categories": [],
        "personal": {
            "age_limit_male": 38,
            "age_limit_female": 40,
            "min_months_in_region": 9,
            "employment_types": ["full_time"],
            "excluded_career_stages": ["postdoc", "student"],
        },
        # Three tranches over three years: on award, after the 18-month report, after the final report.
        "reporting": {
            "report_interval_months": 18,
            "first_tranche_percent": 40,
            "retention_percent": 20,
        },
        "attachments": [FULL_PROPOSAL, RESIDENCE],
    },
    {
        "code": "nsfc-ysf-a",
        "short_name": "YSF-A (HK&Macao)",
        "name": _n(
            "NSFC Young Scientist Fund, Type A (Hong Kong and Macao)",
            "國家自然科學基金青年科學基金項目（A類）（港澳）",
            "国家自然科学基金青年科学基金项目（A类）（港澳）",
        ),
        "description": _n(
            "Formerly the Distinguished Young Scholars fund: RMB 4m over 5 years (RMB 2.8m in "
            "mathematics and management science).",
            "前稱國家傑出青年科學基金：五年人民幣 400 萬元（數學及管理科學 280 萬元）。",
            "前称国家杰出青年科学基金：五年人民币 400 万元（数学及管理科学 280 万元）。",
        ),
        "agency": "nsfc",
        "regions": [HK, MO],
        "max_duration_months": 60,
        "ceiling": Decimal("4000000"),
        "designated": [],
        "categories": ["ugc_university"],
        "personal": None,
        "reporting": None,
        "attachments": [FULL_PROPOSAL],
    },
    {
        "code": "nsfc-ysf-b",
        "short_name": "YSF-B (HK&Macao)",
        "name": _n(
            "NSFC Young Scientist Fund, Type B (Hong Kong and Macao)",
            "國家自然科學基金青年科學基金項目（B類）（港澳）",
            "国家自然科学基金青年科学基金项目（B类）（港澳）",
        ),
        "description": _n(
            "From 2025 the name of the Excellent Young Scientists Fund: RMB 2m over 3 years.",
            "2025 年起優秀青年科學基金的名稱：三年人民幣 200 萬元。",
            "2025 年起优秀青年科学基金的名称：三年人民币 200 万元。",
        ),
        "agency": "nsfc",
        "regions": [HK, MO],
        "max_duration_months": 36,
        "ceiling": Decimal("2000000"),
        "designated": DESIGNATED_8,
        "categories": [],
        "personal": None,
        "reporting": None,
        "attachments": [FULL_PROPOSAL],
    },
    {
        "code": "nsfc-ysf-c",
        "short_name": "YSF-C (HK&Macao)",
        "name": _n(
            "NSFC Young Scientist Fund, Type C (Hong Kong and Macao)",
            "國家自然科學基金青年科學基金項目（C類）（港澳）",
            "国家自然科学基金青年科学基金项目（C类）（港澳）",
        ),
        "description": _n(
            "Formerly the Young Scientists Fund: RMB 300k.",
            "前稱青年科學基金：人民幣 30 萬元。",
            "前称青年科学基金：人民币 30 万元。",
        ),
        "agency": "nsfc",
        "regions": [HK, MO],
        "max_duration_months": 36,
        "ceiling": Decimal("300000"),
        "designated": [],
        "categories": ["ugc_university"],
        "personal": None,
        "reporting": None,
        "attachments": [FULL_PROPOSAL],
    },
    {
        "code": "most-nkrdp-hk",
        "short_name": "NKRDP (HK)",
        "name": _n(
            "National Key R&D Programme: key areas opened to Hong Kong universities",
            "國家重點研發計劃：向香港高校開放的重點專項",
            "国家重点研发计划：向香港高校开放的重点专项",
        ),
        "description": _n(
            "Key technology areas of the National Key R&D Programme opened to designated Hong Kong "
            "universities (three areas, ten universities, Dec 2018); funded by MOST and remitted to Hong Kong.",
            "國家重點研發計劃向指定香港大學開放的重點專項（2018 年 12 月：三個專項、十所大學）；由科學技術部資助並撥付香港。",
            "国家重点研发计划向指定香港大学开放的重点专项（2018 年 12 月：三个专项、十所大学）；由科学技术部资助并拨付香港。",
        ),
        "agency": "most",
        "regions": [HK],
        "max_duration_months": 60,
        "ceiling": None,
        "designated": [],
        "categories": ["ugc_university"],
        "personal": None,
        "reporting": None,
        "attachments": [FULL_PROPOSAL],
    },
]


def _tr(field, names):
    return {f"{field}_{lang}": names[lang] for lang in ("en", "zh_hant", "zh_hans")}


def load_national_schemes() -> dict[str, int]:
    """Idempotent; values an administrator may change (rules, ceilings, lists) are written on creation only."""
    from sciencebridge.institutions.models import Institution
    from sciencebridge.projects.models import ReportingRules

    from .models import (
        AssessmentCriterion,
        PersonalRules,
        RequiredAttachment,
        Scheme,
        SchemeKind,
        SchemeSide,
    )

    by_code = {i.code: i for i in Institution.objects.all()}
    for sch in NATIONAL_SCHEMES:
        if sch["agency"] not in by_code:
            continue
        scheme, created = Scheme.objects.update_or_create(
            code=sch["code"],
            defaults={
                "short_name": sch["short_name"],
                **_tr("name", sch["name"]),
                **_tr("description", sch["description"]),
                "kind": SchemeKind.NATIONAL,
                "source_note": __doc__.strip(),
            },
            create_defaults={
                "short_name": sch["short_name"],
                **_tr("name", sch["name"]),
                **_tr("description", sch["description"]),
                "kind": SchemeKind.NATIONAL,
                "source_note": __doc__.strip(),
                "applicant_regions": sch["regions"],
                "max_duration_months": sch["max_duration_months"],
            },
        )
        side, side_created = SchemeSide.objects.get_or_create(
            scheme=scheme,
            side="ML",  # the Mainland agency's half: RMB, decided and paid by that agency
            defaults={
                "agency": by_code[sch["agency"]],
                "currency": "CNY",
                "eligible_lead_categories": sch["categories"],
                "funding_ceiling": sch["ceiling"],
                "requires_endorsement": False,
            },
        )
        if side_created:
            side.designated_institutions.set(
                [by_code[c] for c in sch["designated"] if c in by_code]
            )
        if sch["personal"]:
            PersonalRules.objects.get_or_create(scheme=scheme, defaults=sch["personal"])
        if sch["reporting"]:
            ReportingRules.objects.get_or_create(scheme=scheme, defaults=sch["reporting"])
        for order, crit in enumerate(CRITERIA, start=1):
            AssessmentCriterion.objects.get_or_create(
                scheme=scheme, order=order, defaults={**_tr("name", crit), "weight": 1}
            )
        for att in sch["attachments"]:
            RequiredAttachment.objects.update_or_create(
                scheme=scheme,
                code=att["code"],
                defaults={"side": "", "required": att["required"], **_tr("name", att["name"])},
            )
    return {"national programmes": Scheme.objects.filter(kind=SchemeKind.NATIONAL).count()}
