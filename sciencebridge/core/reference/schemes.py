"""Joint funding schemes with their rules as data (see sciencebridge/funding/models.py).

Anything tagged [U] in /work/shared/domain.md is left configurable: per-project ceilings that were
not published are ``None`` (set them per call), criteria weights are 1 where none are published,
and where a scheme's criteria were not retrieved it gets neutral, generic criteria (the dimensions every
joint scheme assesses) for the agency to rename per exercise. Sources are in each ``source_note``.
Chinese scheme names marked "translated" in the note are our translation, not an official title.
"""

from decimal import Decimal


def _n(en, zh_hant, zh_hans):
    return {"en": en, "zh_hant": zh_hant, "zh_hans": zh_hans}


FULL_PROPOSAL = {
    "code": "full-proposal",
    "side": "",
    "required": True,
    "name": _n("Full proposal", "完整計劃書", "完整计划书"),
}
BUDGET_JUSTIFICATION = {
    "code": "budget-justification",
    "side": "",
    "required": True,
    "name": _n("Budget justification", "預算說明", "预算说明"),
}

MHKJFS = {
    "code": "mhkjfs",
    "short_name": "MHKJFS",
    "name": _n(
        "Mainland–Hong Kong Joint Funding Scheme",
        "內地與香港聯合資助計劃",
        "内地与香港联合资助计划",
    ),
    "description": _n(
        "Joint R&D projects funded by ITC (Innovation and Technology Fund) for the Hong Kong applicant "
        "and by MOST for the Mainland applicant. Both applicants submit at the same time, to ITC and to "
        "MOST respectively; unilateral submissions are not accepted. The R&D work is done in both places.",
        "由創新科技署（創新及科技基金）資助香港申請機構、科學技術部資助內地申請機構的聯合研發項目。"
        "雙方須同時分別向創新科技署及科學技術部提交申請，單方面提交的申請不獲接納；研發工作須在兩地進行。",
        "由创新科技署（创新及科技基金）资助香港申请机构、科学技术部资助内地申请机构的联合研发项目。"
        "双方须同时分别向创新科技署及科学技术部提交申请，单方面提交的申请不获接纳；研发工作须在两地进行。",
    ),
    "exercise_group": "",
    "max_roles_per_exercise": None,
    "max_duration_months": 24,  # [P] startmeup.hk
    "shared_review": False,
    "reviewers_see_other_reviews": False,
    "source_note": (
        "Agreement MOST–ITB (Sept 2018), scheme launched April 2019 [C]: "
        "https://cgcc.org.hk/zh/temp_news.php?cid=7&tid=37&tabid=0&id=1399 ; "
        "http://www.news.gov.hk/eng/2019/04/20190424/20190424_110430_724.html\n"
        "Pairing rule, money flow, HK lead eligibility (R&D Centre or designated local public research "
        "institute) and assessment steps [C]: https://www.itf.gov.hk/en/funding-programmes/supporting-research/mhkjfs/\n"
        "Whether UGC-funded universities count as 'designated local public research institutes' is [P]: "
        "they are listed as eligible lead categories here; remove ugc_university if ITF says otherwise.\n"
        "Project types, industry sponsorship >=10% (platform) / >=50% (collaborative) of total cost and the "
        "24-month maximum are [P] (secondary source): "
        "https://www.startmeup.hk/startup-resources/mainland-hong-kong-joint-funding-scheme-mhkjfs/\n"
        "Vetting criteria (8) [C], no weights published [U], so every weight is 1: "
        "https://www.itf.gov.hk/l-eng/MHKJFS_VC.asp\n"
        "Per-project ceilings (HKD and RMB) are not published [U]: set them on each call.\n"
        "Themes are those of the 2024 call [C] (biotech; AI; sustainability engineering); "
        "'New materials' was a 2022 theme [C]. Call dates differ between sources (2 Jul vs 28 Jun 2024): "
        "store them per call.\n"
        "Mainland-side (MOST) eligibility, reporting and endorsement rules: not retrieved [U]; "
        "left open (any Mainland institution may lead, no endorsement step)."
    ),
    "sides": [
        {
            "side": "HK",
            "agency": "itc",
            "currency": "HKD",
            "eligible_lead_categories": ["rnd_centre", "designated_institute", "ugc_university"],
            "funding_ceiling": None,
            "requires_endorsement": True,
            "partner_visibility": "summary",
        },
        {
            "side": "ML",
            "agency": "most",
            "currency": "CNY",
            "eligible_lead_categories": [],
            "funding_ceiling": None,
            "requires_endorsement": False,
            "partner_visibility": "summary",
        },
    ],
    "project_types": [
        {
            "code": "platform",
            "name": _n("Platform project", "平台項目", "平台项目"),
            "min_industry_share": Decimal("10"),
        },
        {
            "code": "collaborative",
            "name": _n("Collaborative project", "合作項目", "合作项目"),
            "min_industry_share": Decimal("50"),
        },
    ],
    "areas": [
        {
            "code": "biotech-chronic-disease",
            "name": _n(
                "Biotechnology: drugs for chronic diseases",
                "生物技術：慢性疾病藥物",
                "生物技术：慢性疾病药物",
            ),
        },
        {
            "code": "ai-security-privacy",
            "name": _n(
                "Artificial intelligence: security and privacy",
                "人工智能：安全與隱私",
                "人工智能：安全与隐私",
            ),
        },
        {
            "code": "ai-brain-inspired",
            "name": _n(
                "Artificial intelligence: brain-inspired intelligence",
                "人工智能：類腦智能",
                "人工智能：类脑智能",
            ),
        },
        {
            "code": "ai-smart-healthcare",
            "name": _n(
                "Artificial intelligence: smart healthcare",
                "人工智能：智慧醫療",
                "人工智能：智慧医疗",
            ),
        },
        {
            "code": "ai-smart-city",
            "name": _n(
                "Artificial intelligence: smart city", "人工智能：智慧城市", "人工智能：智慧城市"
            ),
        },
        {
            "code": "sus-optoelectronic-materials",
            "name": _n(
                "Sustainability engineering: optoelectronic materials",
                "可持續發展工程：光電材料",
                "可持续发展工程：光电材料",
            ),
        },
        {
            "code": "sus-3g-semiconductors",
            "name": _n(
                "Sustainability engineering: third-generation semiconductors",
                "可持續發展工程：第三代半導體",
                "可持续发展工程：第三代半导体",
            ),
        },
        {
            "code": "sus-green-manufacturing",
            "name": _n(
                "Sustainability engineering: green manufacturing",
                "可持續發展工程：綠色製造",
                "可持续发展工程：绿色制造",
            ),
        },
        {
            "code": "sus-power-ic",
            "name": _n(
                "Sustainability engineering: power integrated circuits",
                "可持續發展工程：功率集成電路",
                "可持续发展工程：功率集成电路",
            ),
        },
        {"code": "new-materials", "name": _n("New materials", "新材料", "新材料")},
    ],
    # The 8 ITF vetting criteria [C]; no weights published [U] -> 1 each.
    "criteria": [
        _n(
            "Contribution to the upgrading of industries in both places",
            "對兩地產業升級的貢獻",
            "对两地产业升级的贡献",
        ),
        _n("Collaboration with Mainland organisations", "與內地機構的合作", "与内地机构的合作"),
        _n(
            "Industry contribution, especially in cash",
            "業界出資，特別是現金出資",
            "业界出资，特别是现金出资",
        ),
        _n("Demonstrated need for the project", "項目的需要", "项目的需要"),
        _n(
            "Duplication with the market or with other institutions",
            "與市場或其他機構的重複",
            "与市场或其他机构的重复",
        ),
        _n("Project planning and team capability", "項目規劃及團隊能力", "项目规划及团队能力"),
        _n(
            "Reasonable budget; whether another source (e.g. RGC) should fund it",
            "預算合理；是否應由其他來源（如研資局）資助",
            "预算合理；是否应由其他来源（如研资局）资助",
        ),
        _n(
            "For company and research-institute projects: whether the R&D merits the institute's "
            "involvement and both parties are committed",
            "公司與研究機構合作的項目：研發工作是否值得研究機構參與，以及雙方的承擔",
            "公司与研究机构合作的项目：研发工作是否值得研究机构参与，以及双方的承担",
        ),
    ],
    "attachments": [
        FULL_PROPOSAL,
        BUDGET_JUSTIFICATION,
        {
            "code": "industry-letter",
            "side": "HK",
            "required": False,
            "name": _n("Industry sponsorship letter", "業界贊助信", "业界赞助信"),
        },
    ],
}

# NSFC/RGC focus areas [C] (RGC page).
JRS_FOCUS_AREAS = [
    {
        "code": "information-technology",
        "name": _n("Information Technology", "資訊科技", "信息技术"),
    },
    {"code": "life-science", "name": _n("Life Science", "生命科學", "生命科学")},
    {
        "code": "new-materials-science",
        "name": _n("New Materials Science", "新材料科學", "新材料科学"),
    },
    {
        "code": "marine-environmental",
        "name": _n("Marine & Environmental Science", "海洋及環境科學", "海洋及环境科学"),
    },
    {"code": "medicine", "name": _n("Medicine", "醫學", "医学")},
    {"code": "management-science", "name": _n("Management Science", "管理科學", "管理科学")},
]

# Not retrieved [U]: neutral criteria that reviewers can score as they stand, weight 1 each; the agencies
# rename or reweight them per exercise.
NSFC_RGC_DEFAULT_CRITERIA = [
    _n("Scientific merit", "科學價值", "科学价值"),
    _n(
        "Complementarity and collaboration of the two teams",
        "兩地團隊的互補與合作",
        "两地团队的互补与合作",
    ),
    _n("Feasibility and team capability", "可行性及團隊能力", "可行性及团队能力"),
]

_NSFC_RGC_COMMON_NOTE = (
    "Agreement of Nov 1998; first exercise 1999 [C]: "
    "http://www.ugc.edu.hk/eng/ugc/about/press_speech_other/press/1999/press_ns99.html\n"
    "Each side submits to its own agency; each agency evaluates separately, then a joint review [C]: "
    "http://www.nsfc.gov.cn/publish/portal1/tab158/info39798.htm\n"
    "One role per person per exercise across JRS (PI), YRS (PI) and CRS (Project Coordinator) [C]: "
    "https://www.ugc.edu.hk/eng/rgc/funding_opport/nsfc_yrs/index.html\n"
    "Assessment criteria were not retrieved [U]: neutral criteria, to rename or reweight per exercise.\n"
    "Mainland-side endorsement rule not retrieved [U]: no endorsement step on the NSFC side.\n"
    "NSFC lets the applicant name experts unsuitable to review the application and takes it into "
    "account [C]: http://fsou.com/html/text/chl/1259/125974_2.html; the limit of 3 is from memory [U]. "
    "Not known for the RGC side [U]: off there."
)

#: NSFC side: the applicant may name experts to avoid (issue 17; funding.SchemeSide).
NSFC_AVOID_EXPERTS = {"avoid_experts_allowed": True, "avoid_experts_max": 3}

NSFC_RGC_JRS = {
    "code": "nsfc-rgc-jrs",
    "short_name": "JRS",
    "name": _n(
        "NSFC/RGC Joint Research Scheme",
        "國家自然科學基金委員會／研究資助局聯合科研資助基金",
        "国家自然科学基金委员会／研究资助局联合科研资助基金",
    ),
    "description": _n(
        "Four-year joint research projects: RGC funds the Hong Kong PI (up to HK$1.25m, excluding "
        "on-costs) and NSFC funds the Mainland PI (up to RMB1m). The two forms must have the same title and team.",
        "為期四年的聯合研究項目：研資局資助香港首席研究員（上限港幣125萬元，不包括間接費用），"
        "國家自然科學基金委員會資助內地首席研究員（上限人民幣100萬元）。雙方申請書的項目名稱及團隊須一致。",
        "为期四年的联合研究项目：研资局资助香港首席研究员（上限港币125万元，不包括间接费用），"
        "国家自然科学基金委员会资助内地首席研究员（上限人民币100万元）。双方申请书的项目名称及团队须一致。",
    ),
    "exercise_group": "nsfc-rgc",
    "max_roles_per_exercise": 1,
    "max_duration_months": 48,
    "shared_review": False,
    "reviewers_see_other_reviews": False,
    "source_note": (
        "HK side: 4 years, HK request at most HK$1.25m excluding on-costs, HK PI must meet GRF eligibility, "
        "focus areas [C]: https://www.ugc.edu.hk/eng/rgc/funding_opport/nsfc/\n"
        "Mainland side (2025 call): about 50 projects, at most RMB1m, 4 years, at most 2 Mainland "
        "collaborating institutions, senior-title PI [C]: "
        "https://research.shanghai.nyu.edu/resources/research-grants/funding-opportunities/2025-nsfc-rgc-hong-kong-joint-research-program\n"
        "Chinese scheme name: as recalled from the RGC's Chinese pages [P].\n"
        + _NSFC_RGC_COMMON_NOTE
    ),
    "sides": [
        {
            "side": "HK",
            "agency": "rgc",
            "currency": "HKD",
            "eligible_lead_categories": ["ugc_university"],
            "funding_ceiling": Decimal("1250000"),
            "requires_endorsement": True,
            "partner_visibility": "summary",
        },
        {
            "side": "ML",
            "agency": "nsfc",
            **NSFC_AVOID_EXPERTS,
            "currency": "CNY",
            "eligible_lead_categories": [],
            "funding_ceiling": Decimal("1000000"),
            "requires_endorsement": False,
            "partner_visibility": "summary",
        },
    ],
    "project_types": [
        {
            "code": "joint-research",
            "name": _n("Joint research project", "聯合研究項目", "联合研究项目"),
            "min_industry_share": Decimal("0"),
        },
    ],
    "areas": JRS_FOCUS_AREAS,
    "criteria": NSFC_RGC_DEFAULT_CRITERIA,
    "attachments": [FULL_PROPOSAL, BUDGET_JUSTIFICATION],
}

NSFC_RGC_YRS = {
    "code": "nsfc-rgc-yrs",
    "short_name": "YRS",
    "name": _n(
        "NSFC/RGC Young Research Scheme",
        "國家自然科學基金委員會／研究資助局青年學者合作研究計劃",
        "国家自然科学基金委员会／研究资助局青年学者合作研究计划",
    ),
    "description": _n(
        "Four-year joint projects led by young researchers; the Hong Kong request is at most HK$800,000.",
        "由青年學者主持的四年期聯合項目；香港方申請上限為港幣80萬元。",
        "由青年学者主持的四年期联合项目；香港方申请上限为港币80万元。",
    ),
    "exercise_group": "nsfc-rgc",
    "max_roles_per_exercise": 1,
    "max_duration_months": 48,
    "shared_review": False,
    "reviewers_see_other_reviews": False,
    "source_note": (
        "4 years, HK at most HK$800k, about 10 projects [C]: "
        "https://www.ugc.edu.hk/eng/rgc/funding_opport/nsfc_yrs/index.html\n"
        "Mainland-side ceiling not retrieved [U]: set it per call. Chinese scheme name translated [U].\n"
        + _NSFC_RGC_COMMON_NOTE
    ),
    "sides": [
        {
            "side": "HK",
            "agency": "rgc",
            "currency": "HKD",
            "eligible_lead_categories": ["ugc_university"],
            "funding_ceiling": Decimal("800000"),
            "requires_endorsement": True,
            "partner_visibility": "summary",
        },
        {
            "side": "ML",
            "agency": "nsfc",
            **NSFC_AVOID_EXPERTS,
            "currency": "CNY",
            "eligible_lead_categories": [],
            "funding_ceiling": None,
            "requires_endorsement": False,
            "partner_visibility": "summary",
        },
    ],
    "project_types": [
        {
            "code": "young-research",
            "name": _n("Young researcher project", "青年學者項目", "青年学者项目"),
            "min_industry_share": Decimal("0"),
        },
    ],
    "areas": JRS_FOCUS_AREAS,
    "criteria": NSFC_RGC_DEFAULT_CRITERIA,
    "attachments": [FULL_PROPOSAL, BUDGET_JUSTIFICATION],
}

NSFC_RGC_CRS = {
    "code": "nsfc-rgc-crs",
    "short_name": "CRS",
    "name": _n(
        "NSFC/RGC Collaborative Research Scheme",
        "國家自然科學基金委員會／研究資助局協作研究計劃",
        "国家自然科学基金委员会／研究资助局协作研究计划",
    ),
    "description": _n(
        "Larger cross-disciplinary and/or multi-university projects; on the Mainland side it is paired with "
        "the NSFC Key Program (at most RMB3m, 4 years).",
        "跨學科及／或涉及多於一所大學的較大型項目；內地方與國家自然科學基金重點項目配對（上限人民幣300萬元，四年）。",
        "跨学科及／或涉及多于一所大学的较大型项目；内地方与国家自然科学基金重点项目配对（上限人民币300万元，四年）。",
    ),
    "exercise_group": "nsfc-rgc",
    "max_roles_per_exercise": 1,
    "max_duration_months": 48,
    "shared_review": False,
    "reviewers_see_other_reviews": False,
    "source_note": (
        "3-year pilot from 2022/23; in 2024/25 HK$36m reserved for about 10 projects; the HK application must be "
        "cross-disciplinary and/or involve more than one university [C]: "
        "https://www.ugc.edu.hk/eng/rgc/funding_opport/nsfc_crs/call_letter.html\n"
        "NSFC Key Program: about 10 projects, at most RMB3m, 4 years [C]: https://research.shanghai.nyu.edu/node/3999\n"
        "That the Key Program is the Mainland counterpart of the CRS is [P] (inference).\n"
        "HK per-project ceiling not published [U]: set it per call. Chinese scheme name translated [U].\n"
        + _NSFC_RGC_COMMON_NOTE
    ),
    "sides": [
        {
            "side": "HK",
            "agency": "rgc",
            "currency": "HKD",
            "eligible_lead_categories": ["ugc_university"],
            "funding_ceiling": None,
            "requires_endorsement": True,
            "partner_visibility": "summary",
        },
        {
            "side": "ML",
            "agency": "nsfc",
            **NSFC_AVOID_EXPERTS,
            "currency": "CNY",
            "eligible_lead_categories": [],
            "funding_ceiling": Decimal("3000000"),
            "requires_endorsement": False,
            "partner_visibility": "summary",
        },
    ],
    "project_types": [
        {
            "code": "collaborative-research",
            "name": _n("Collaborative research project", "協作研究項目", "协作研究项目"),
            "min_industry_share": Decimal("0"),
        },
    ],
    "areas": JRS_FOCUS_AREAS,
    "criteria": NSFC_RGC_DEFAULT_CRITERIA,
    "attachments": [FULL_PROPOSAL, BUDGET_JUSTIFICATION],
}

SCHEMES = [MHKJFS, NSFC_RGC_JRS, NSFC_RGC_YRS, NSFC_RGC_CRS]
