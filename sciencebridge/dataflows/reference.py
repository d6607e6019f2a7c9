"""Reference data for GBA data flows, loaded by migration 0001 (and re-loadable with ``load()``).

Sources: PCPD (https://pcpd.org.hk/english/news_events/newspaper/newspaper_20240314.html), the Digital
Policy Office (https://digitalpolicy.gov.hk/en/our_work/digital_infrastructure/mainland/cross-boundary_data_flow)
and the GBA Standard Contract of 13 December 2023 (CAC, ITIB, PCPD). The annex below is a plain summary of
the standard contract's duties for the platform, not the official text (which the source links to).
"""

GD_CAC = (
    "Cyberspace Administration of Guangdong Province",
    "廣東省互聯網信息辦公室",
    "广东省互联网信息办公室",
)
HK_DPO = ("Digital Policy Office", "數字政策辦公室", "数字政策办公室")

# code, (en, zh_hant, zh_hans), jurisdiction, in_gba, authority, holiday calendar
LOCATIONS = [
    ("hong-kong", ("Hong Kong", "香港", "香港"), "HK", True, HK_DPO, "HK"),
    ("guangzhou", ("Guangzhou", "廣州", "广州"), "ML", True, GD_CAC, "CN"),
    ("shenzhen", ("Shenzhen", "深圳", "深圳"), "ML", True, GD_CAC, "CN"),
    ("zhuhai", ("Zhuhai", "珠海", "珠海"), "ML", True, GD_CAC, "CN"),
    ("foshan", ("Foshan", "佛山", "佛山"), "ML", True, GD_CAC, "CN"),
    ("huizhou", ("Huizhou", "惠州", "惠州"), "ML", True, GD_CAC, "CN"),
    ("dongguan", ("Dongguan", "東莞", "东莞"), "ML", True, GD_CAC, "CN"),
    ("zhongshan", ("Zhongshan", "中山", "中山"), "ML", True, GD_CAC, "CN"),
    ("jiangmen", ("Jiangmen", "江門", "江门"), "ML", True, GD_CAC, "CN"),
    ("zhaoqing", ("Zhaoqing", "肇慶", "肇庆"), "ML", True, GD_CAC, "CN"),
    # Outside the GBA: listed so that a request naming them is refused with the reason.
    ("beijing", ("Beijing", "北京", "北京"), "ML", False, ("", "", ""), "CN"),
    ("shanghai", ("Shanghai", "上海", "上海"), "ML", False, ("", "", ""), "CN"),
]

ANNEX_V1 = {
    "version": "2023-12",
    "published_on": "2023-12-13",
    "source_url": "https://digitalpolicy.gov.hk/en/our_work/digital_infrastructure/mainland/cross-boundary_data_flow",
    "title": (
        "Standard Contract for Cross-boundary Flow of Personal Information within the Greater Bay Area "
        "(Mainland, Hong Kong): standard terms",
        "粵港澳大灣區（內地、香港）個人信息跨境流動標準合同：標準條款",
        "粤港澳大湾区（内地、香港）个人信息跨境流动标准合同：标准条款",
    ),
    "text": (
        "Article 1. The processor shall inform the data subjects of the recipient, the purpose and method of "
        "processing, the categories of personal information and the retention period, and obtain consent "
        "where the law requires it.\n\n"
        "Article 2. The processor shall complete a personal information protection impact assessment before "
        "the transfer.\n\n"
        "Article 3. The recipient shall process the personal information only for the agreed purpose and "
        "method, and keep it no longer than the agreed retention period.\n\n"
        "Article 4. The recipient shall not provide the personal information to any organisation or individual "
        "outside the Greater Bay Area.\n\n"
        "Article 5. The recipient shall take security measures to protect the personal information and keep "
        "records of its processing for at least three years.\n\n"
        "Article 6. Each party shall file this contract with the authority of its location within ten working "
        "days of its taking effect.\n\n"
        "Article 7. The parties may agree supplementary terms, which shall not conflict with these standard "
        "terms.",
        "第一條 處理者應告知資料當事人接收方、處理目的與方式、個人信息種類及保存期限，並在法律要求時取得同意。\n\n"
        "第二條 處理者應在傳輸前完成個人信息保護影響評估。\n\n"
        "第三條 接收方只可按約定的目的與方式處理個人信息，保存期不超過約定期限。\n\n"
        "第四條 接收方不得向大灣區以外的組織或個人提供個人信息。\n\n"
        "第五條 接收方應採取安全措施保護個人信息，並保存處理記錄至少三年。\n\n"
        "第六條 各方應在本合同生效之日起十個工作日內向其所在地的主管部門備案。\n\n"
        "第七條 各方可約定補充條款，但不得與本標準條款相衝突。",
        "第一条 处理者应告知个人信息主体接收方、处理目的与方式、个人信息种类及保存期限，并在法律要求时取得同意。\n\n"
        "第二条 处理者应在传输前完成个人信息保护影响评估。\n\n"
        "第三条 接收方只可按约定的目的与方式处理个人信息，保存期不超过约定期限。\n\n"
        "第四条 接收方不得向大湾区以外的组织或个人提供个人信息。\n\n"
        "第五条 接收方应采取安全措施保护个人信息，并保存处理记录至少三年。\n\n"
        "第六条 各方应在本合同生效之日起十个工作日内向其所在地的主管部门备案。\n\n"
        "第七条 各方可约定补充条款，但不得与本标准条款相冲突。",
    ),
    "filing_working_days": 10,
    "retention_years": 3,
}

# [U] No official research-data request form: the suggested minimum (domain notes §3), as configuration.
SUBMISSION_REQUIREMENTS = [
    ("purpose", "Purpose of processing"),
    ("processing_method", "Method of processing"),
    ("pi_categories", "Categories of personal information"),
    ("volume", "Number of data subjects"),
    ("retention_months", "Retention period"),
    ("consent_basis", "Notice or consent basis"),
    ("security_measures", "Security measures"),
    ("effective_date", "Date the contract takes effect"),
]

LANGS = ("en", "zh_hant", "zh_hans")


def _tr(field, values):
    return {f"{field}_{lang}": v for lang, v in zip(LANGS, values, strict=True)} | {
        field: values[0]
    }


def load(apps=None):
    """Idempotent: locations and requirements by code, the annex by version (never rewritten)."""
    if apps is None:
        from django.apps import apps
    Location = apps.get_model("dataflows", "GBALocation")
    Annex = apps.get_model("dataflows", "StandardAnnex")
    Requirement = apps.get_model("dataflows", "SubmissionRequirement")
    for i, (code, names, jur, in_gba, authority, cal) in enumerate(LOCATIONS):
        Location.objects.update_or_create(
            code=code,
            defaults={
                **_tr("name", names),
                **_tr("filing_authority", authority),
                "jurisdiction": jur,
                "in_gba": in_gba,
                "holiday_calendar": cal,
                "position": i,
            },
        )
    a = ANNEX_V1
    Annex.objects.get_or_create(
        version=a["version"],
        defaults={
            **_tr("title", a["title"]),
            **_tr("text", a["text"]),
            "published_on": a["published_on"],
            "source_url": a["source_url"],
            "filing_working_days": a["filing_working_days"],
            "retention_years": a["retention_years"],
            "is_current": True,
        },
    )
    for field, note in SUBMISSION_REQUIREMENTS:
        Requirement.objects.get_or_create(field=field, defaults={"required": True, "note": note})
