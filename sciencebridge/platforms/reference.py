"""Labs and platforms from the public record (see /work/shared/domain.md §6 and §7).

Each record carries its source and a confidence tag: "C" confirmed in the retrieved text, "P" partly
confirmed (secondary source or inference), "U" unconfirmed (kept so the registry is complete, marked
as such on every page, and editable in the admin). Nothing here is a rule: it is reference data
loaded by ``manage.py seed_platforms`` (idempotent: matched by ``code``).

What the public record did not give is left out rather than invented: the 5 unnamed 2025 State Key
Laboratories (three at CUHK, two at CityU, one at PolyU, one of which hosts Quantum Information
Technology & Materials), three of the six CNERC branches, most of the 19 GBA joint laboratories and
most of the 28 InnoHK centres. ``PUBLIC_TOTALS`` gives the totals the public record reports, so the
registry page shows how many of them are listed.
"""

import datetime as dt

# The totals reported in the public record [C] (domain.md §6 "Platform counts").
PUBLIC_TOTALS = {
    "skl": 15,  # from 1 Jul 2025 (16 before)
    "cnerc_branch": 6,
    "cas_joint_lab": 22,
    "gba_joint_lab": 19,  # plus 2 lab branches (2023)
    "innohk": 28,
}

SRC_SKL_2025 = "https://hk.crntt.com/doc/1071/1/2/0/107112006.html"
SRC_SKL_HKU = "http://hku.hk/research/state_key_lab.html"
SRC_SKL_CUHK = "https://www.iso.cuhk.edu.hk/images/publication/facts-and-figures/2019/html5/english/38/"
SRC_HKUST_2025 = "https://auspol.co/hkust-lauds-most-for-granting-three-state-key-labs"
SRC_CAS_HKU = "https://www.scifac.hku.hk/news/casrank"
SRC_CAS_CUHK = "https://www3.sbs.cuhk.edu.hk/en/academic_exchange/visit-of-president-of-the-chinese-academy-of-sciences"
SRC_INNOHK = "https://www.itc.gov.hk/en/technological_infrastructure/innohk_clusters.html"
SKL_2025_START = dt.date(2025, 7, 1)
SKL_OLD_END = dt.date(2025, 6, 30)


def _p(code, kind, en, zh_hant, zh_hans, *, hosts=(), partners=(), year=None, on=None, ended=None,
       status="active", successor="", areas=("", "", ""), cluster="", source="", note="", confidence="C",
       short=""):
    return {
        "code": code, "kind": kind, "name": (en, zh_hant, zh_hans), "hosts": list(hosts),
        "partners": list(partners), "established_year": year, "established_on": on, "ended_on": ended,
        "status": status, "successor": successor, "areas": areas, "cluster": cluster,
        "source_url": source, "source_note": note, "confidence": confidence, "short_name": short,
    }


LIFE = ("Life sciences and medicine", "生命科學與醫學", "生命科学与医学")
CHEM = ("Chemistry and materials", "化學與材料", "化学与材料")
PHYS = ("Physics and quantum science", "物理與量子科學", "物理与量子科学")
ENG = ("Engineering", "工程", "工程")
ENV = ("Environment and earth sciences", "環境與地球科學", "环境与地球科学")
ICT = ("Information technology and AI", "資訊科技與人工智能", "信息技术与人工智能")
AGRI = ("Agriculture and biotechnology", "農業與生物技術", "农业与生物技术")

PLATFORMS = [
    # ---- State Key Laboratories from 1 Jul 2025 (MOST approval Jan 2025: 12 restructured, 3 new) [C]
    _p("skl25-hku-eid", "skl", "State Key Laboratory of Emerging Infectious Diseases", "新發傳染性疾病全國重點實驗室",
       "新发传染性疾病全国重点实验室", hosts=["hku"], year=2025, on=SKL_2025_START, areas=LIFE, source=SRC_SKL_2025),
    _p("skl25-hku-liver", "skl", "State Key Laboratory of Liver Research", "肝病研究全國重點實驗室",
       "肝病研究全国重点实验室", hosts=["hku"], year=2025, on=SKL_2025_START, areas=LIFE, source=SRC_SKL_2025),
    _p("skl25-hku-synchem", "skl", "State Key Laboratory of Synthetic Chemistry", "合成化學全國重點實驗室",
       "合成化学全国重点实验室", hosts=["hku"], year=2025, on=SKL_2025_START, areas=CHEM, source=SRC_SKL_2025),
    _p("skl25-hku-pharmbio", "skl", "State Key Laboratory of Pharmaceutical Biotechnology", "藥物生物技術全國重點實驗室",
       "药物生物技术全国重点实验室", hosts=["hku"], year=2025, on=SKL_2025_START, areas=LIFE, source=SRC_SKL_2025),
    _p("skl25-hku-oqm", "skl", "State Key Laboratory of Optical Quantum Materials", "光量子物質全國重點實驗室",
       "光量子物质全国重点实验室", hosts=["hku"], year=2025, on=SKL_2025_START, areas=PHYS, source=SRC_SKL_2025,
       note="One of the three new laboratories approved in January 2025."),
    _p("skl25-hkust-nsd", "skl", "State Key Laboratory of Nervous System Disorders", "神經系統疾病全國重點實驗室",
       "神经系统疾病全国重点实验室", hosts=["hkust"], year=2025, on=SKL_2025_START, areas=LIFE, source=SRC_HKUST_2025),
    _p("skl25-hkust-displays", "skl", "State Key Laboratory of Displays and Opto-Electronics", "先進顯示與光電子技術全國重點實驗室",
       "先进显示与光电子技术全国重点实验室", hosts=["hkust"], year=2025, on=SKL_2025_START, areas=ENG,
       source=SRC_HKUST_2025),
    _p("skl25-coastal", "skl", "State Key Laboratory of Climate Resilience for Coastal Cities", "沿海城市氣候韌性全國重點實驗室",
       "沿海城市气候韧性全国重点实验室", hosts=["hkust", "polyu"], year=2025, on=SKL_2025_START, areas=ENV,
       source=SRC_HKUST_2025, note="New in 2025; a joint laboratory of HKUST and PolyU."),
    _p("skl25-cuhk-oncology", "skl", "State Key Laboratory of Translational Oncology", "轉化腫瘤學全國重點實驗室",
       "转化肿瘤学全国重点实验室", hosts=["cuhk"], year=2025, on=SKL_2025_START, areas=LIFE,
       source="https://www.hk01.com/社會新聞/60269996/"),
    _p("skl25-qitm", "skl", "State Key Laboratory of Quantum Information Technology and Materials",
       "量子信息技術與材料全國重點實驗室", "量子信息技术与材料全国重点实验室", year=2025, on=SKL_2025_START, areas=PHYS,
       source=SRC_SKL_2025, confidence="P",
       note="New in 2025 [C]; the host university was not found in the public record [U]."),
    # ---- State Key Laboratories before 2025 (16; "Partner SKLs" renamed SKLs in 2018) [C]
    _p("skl-hku-brain", "skl", "State Key Laboratory of Brain and Cognitive Sciences", "腦與認知科學國家重點實驗室",
       "脑与认知科学国家重点实验室", hosts=["hku"], year=2005, ended=SKL_OLD_END, status="reorganising", areas=LIFE,
       source=SRC_SKL_HKU, note="Its place in the 2025 restructuring was not found in the public record."),
    _p("skl-hku-eid", "skl", "State Key Laboratory of Emerging Infectious Diseases (2005–2025)", "新發傳染性疾病國家重點實驗室",
       "新发传染性疾病国家重点实验室", hosts=["hku"], year=2005, ended=SKL_OLD_END, status="restructured",
       successor="skl25-hku-eid", areas=LIFE, source=SRC_SKL_HKU),
    _p("skl-hku-liver", "skl", "State Key Laboratory of Liver Research (2010–2025)", "肝病研究國家重點實驗室",
       "肝病研究国家重点实验室", hosts=["hku"], year=2010, ended=SKL_OLD_END, status="restructured",
       successor="skl25-hku-liver", areas=LIFE, source=SRC_SKL_HKU),
    _p("skl-hku-pharmbio", "skl", "State Key Laboratory of Pharmaceutical Biotechnology (2013–2025)",
       "藥物生物技術國家重點實驗室", "药物生物技术国家重点实验室", hosts=["hku"], year=2013, ended=SKL_OLD_END,
       status="restructured", successor="skl25-hku-pharmbio", areas=LIFE, source=SRC_SKL_HKU),
    _p("skl-hku-synchem", "skl", "State Key Laboratory of Synthetic Chemistry (2010–2025)", "合成化學國家重點實驗室",
       "合成化学国家重点实验室", hosts=["hku", "cuhk"], year=2010, ended=SKL_OLD_END, status="restructured",
       successor="skl25-hku-synchem", areas=CHEM, source=SRC_SKL_HKU),
    _p("skl-cuhk-oncology", "skl", "State Key Laboratory of Translational Oncology (2006–2025)", "華南腫瘤學國家重點實驗室",
       "华南肿瘤学国家重点实验室", hosts=["cuhk"], year=2006, ended=SKL_OLD_END, status="restructured",
       successor="skl25-cuhk-oncology", areas=LIFE, source=SRC_SKL_CUHK),
    _p("skl-cuhk-agrobiotech", "skl", "State Key Laboratory of Agrobiotechnology", "農業生物技術國家重點實驗室",
       "农业生物技术国家重点实验室", hosts=["cuhk"], year=2008, ended=SKL_OLD_END, status="reorganising", areas=AGRI,
       source=SRC_SKL_CUHK, note="Its 2025 successor (one of the three unnamed CUHK laboratories) was not found."),
    _p("skl-cuhk-medplants", "skl",
       "State Key Laboratory of Research on Bioactivities and Clinical Applications of Medicinal Plants",
       "中藥及天然藥物生物活性與臨床應用國家重點實驗室", "中药及天然药物生物活性与临床应用国家重点实验室", hosts=["cuhk"],
       year=2009, ended=SKL_OLD_END, status="reorganising", areas=LIFE, source=SRC_SKL_CUHK,
       note="Its 2025 successor was not found in the public record."),
    _p("skl-cuhk-digestive", "skl", "State Key Laboratory of Digestive Disease", "消化疾病研究國家重點實驗室",
       "消化疾病研究国家重点实验室", hosts=["cuhk"], year=2013, ended=SKL_OLD_END, status="reorganising", areas=LIFE,
       source=SRC_SKL_CUHK, note="Its 2025 successor was not found in the public record."),
    _p("skl-cityu-mmw", "skl", "State Key Laboratory of Millimeter Waves", "毫米波國家重點實驗室", "毫米波国家重点实验室",
       hosts=["cityu"], partners=["seu"], year=2008, on=dt.date(2008, 3, 1), ended=SKL_OLD_END, status="reorganising",
       areas=ICT, source="http://www.ee.cityu.edu.hk/~sklmw/mission.html",
       note="Approved March 2008, partnered with Southeast University. Its 2025 successor was not found."),
    _p("skl-cityu-marine", "skl", "State Key Laboratory of Marine Pollution", "海洋污染國家重點實驗室", "海洋污染国家重点实验室",
       hosts=["cityu"], year=2009, on=dt.date(2009, 11, 25), ended=SKL_OLD_END, status="reorganising", areas=ENV,
       source="https://cityu.edu.hk/sklmp/about-us/our-story",
       note="Approved 25 Nov 2009 with six Hong Kong universities. Its 2025 successor was not found."),
    _p("skl-hkbu-eba", "skl", "State Key Laboratory of Environmental and Biological Analysis", "環境與生物分析國家重點實驗室",
       "环境与生物分析国家重点实验室", hosts=["hkbu"], ended=SKL_OLD_END, status="reorganising", areas=ENV,
       source="https://www.hkbu.edu.hk/en/whats-new/press-release/2024/0527-HKBU-and-Agilent-Technologies-Co-Ltd-China-establish-joint-laboratory-to-promote-research-on-environmental-new-pollutants-and-toxicology.html",
       note="Its place in the 2025 restructuring was not found in the public record."),
    _p("skl-polyu-upm", "skl", "State Key Laboratory of Ultraprecision Machining Technology", "超精密加工技術國家重點實驗室",
       "超精密加工技术国家重点实验室", hosts=["polyu"], ended=SKL_OLD_END, status="reorganising", areas=ENG,
       source="http://www.p9569.com/web/en/research/research_units/index.html", confidence="P",
       note="Source is a mirror of a PolyU page."),
    _p("skl-polyu-chiro", "skl", "State Key Laboratory of Chirosciences", "手性科學國家重點實驗室", "手性科学国家重点实验室",
       hosts=["polyu"], ended=SKL_OLD_END, status="reorganising", areas=CHEM,
       source="http://www.p9569.com/web/en/research/research_units/index.html", confidence="P",
       note="Source is a mirror of a PolyU page."),
    _p("skl-hkust-neuro", "skl", "State Key Laboratory of Molecular Neuroscience", "分子神經科學國家重點實驗室",
       "分子神经科学国家重点实验室", hosts=["hkust"], ended=SKL_OLD_END, status="restructured", successor="skl25-hkust-nsd",
       areas=LIFE, confidence="U", note="Unconfirmed: inferred from the 2025 renaming; the name was not retrieved."),
    _p("skl-hkust-displays", "skl", "State Key Laboratory of Advanced Displays and Optoelectronic Technologies",
       "先進顯示與光電子技術國家重點實驗室", "先进显示与光电子技术国家重点实验室", hosts=["hkust"], ended=SKL_OLD_END,
       status="restructured", successor="skl25-hkust-displays", areas=ENG, confidence="U",
       note="Unconfirmed: inferred from the 2025 renaming; the name was not retrieved."),
    # ---- Hong Kong branches of national engineering research centres (6; 5 approved in 2015) [P]
    _p("cnerc-polyu-rail", "cnerc_branch",
       "National Rail Transit Electrification and Automation Engineering Technology Research Center (Hong Kong Branch)",
       "國家軌道交通電氣化與自動化工程技術研究中心香港分中心", "国家轨道交通电气化与自动化工程技术研究中心香港分中心",
       hosts=["polyu"], year=2015, areas=ENG, source="http://www.bazhesc.com/2015/11-06/187414.shtml"),
    _p("cnerc-polyu-steel", "cnerc_branch", "National Engineering Research Center for Steel Construction (Hong Kong Branch)",
       "國家鋼結構工程技術研究中心香港分中心", "国家钢结构工程技术研究中心香港分中心", hosts=["polyu"], year=2015, areas=ENG,
       source="http://www.bazhesc.com/2015/11-06/187414.shtml"),
    _p("cnerc-cityu-eis", "cnerc_branch",
       "National Engineering Research Center for Enterprise Informatization Software (Hong Kong Branch)",
       "國家企業信息化應用支撐軟件工程技術研究中心香港分中心", "国家企业信息化应用支撑软件工程技术研究中心香港分中心",
       hosts=["cityu"], partners=["tsinghua"], year=2015, areas=ICT,
       source="https://www.cityu.edu.hk/media/news/2014/05/26/national-engineering-research-centre-planned-cityu",
       note="MoU with Tsinghua University signed in 2014."),
    # ---- CAS–Hong Kong joint laboratories (22 assessed in 2018, 9 at CUHK): the examples named [C]
    _p("cas-shanghai-hk-synthesis", "cas_joint_lab", "Shanghai-Hong Kong Joint Laboratory in Chemical Synthesis",
       "滬港化學合成聯合實驗室", "沪港化学合成联合实验室", hosts=["hku", "cuhk"], partners=["cas-sioc"], areas=CHEM,
       source=SRC_CAS_HKU),
    _p("cas-hku-geodynamics", "cas_joint_lab", "HKU-CAS Joint Laboratory on Chemical Geodynamics",
       "港大—中國科學院化學地球動力學聯合實驗室", "港大—中国科学院化学地球动力学联合实验室", hosts=["hku"], areas=ENV,
       source=SRC_CAS_HKU, note="The partner CAS institute was not named in the retrieved text."),
    _p("cas-hku-newmaterials", "cas_joint_lab", "HKU-CAS Joint Laboratory on New Materials",
       "港大—中國科學院新材料聯合實驗室", "港大—中国科学院新材料联合实验室", hosts=["hku"], areas=CHEM, source=SRC_CAS_HKU,
       note="The partner CAS institute was not named in the retrieved text."),
    _p("cas-packaging", "cas_joint_lab", "Joint Laboratory for High Density Electronic Packaging Materials and Devices",
       "高密度電子封裝材料與器件聯合實驗室", "高密度电子封装材料与器件联合实验室", hosts=["cuhk"], partners=["cas-siat"],
       areas=ENG, source=SRC_CAS_CUHK, confidence="P", note="Host and partner inferred from the CUHK listing."),
    _p("cas-biomaterials", "cas_joint_lab", "Joint Laboratory for Biomaterials (SIAT–HKU–CUHK)",
       "生物材料聯合實驗室（深圳先進院—港大—中大）", "生物材料联合实验室（深圳先进院—港大—中大）", hosts=["hku", "cuhk"],
       partners=["cas-siat"], areas=LIFE, source=SRC_CAS_HKU),
    _p("cas-cuhk-gibh", "cas_joint_lab", "CUHK–GIBH Joint Laboratory on Stem Cell and Regenerative Medicine",
       "中大—廣州生物院幹細胞與再生醫學聯合實驗室", "中大—广州生物院干细胞与再生医学联合实验室", hosts=["cuhk"],
       partners=["cas-gibh"], areas=LIFE, source=SRC_CAS_CUHK),
    _p("cas-cuhk-simm", "cas_joint_lab", "CUHK–SIMM Joint Laboratory for Promoting Globalization of Traditional Chinese Medicines",
       "中大—上海藥物所中藥國際化聯合實驗室", "中大—上海药物所中药国际化联合实验室", hosts=["cuhk"], partners=["cas-simm"],
       areas=LIFE, source=SRC_CAS_CUHK),
    _p("cas-kiz-cuhk", "cas_joint_lab", "KIZ–CUHK Joint Laboratory of Bio-resources and Molecular Research of Common Diseases",
       "昆明動物所—中大生物資源與疾病分子機理聯合實驗室", "昆明动物所—中大生物资源与疾病分子机理联合实验室", hosts=["cuhk"],
       partners=["cas-kiz"], areas=LIFE, source=SRC_CAS_CUHK),
    # ---- Guangdong–Hong Kong–Macao joint laboratories and lab branches [P]
    _p("gba-southern-marine-hk", "gba_joint_lab",
       "Southern Marine Science and Engineering Guangdong Laboratory (Guangzhou), Hong Kong Branch",
       "南方海洋科學與工程廣東省實驗室（廣州）香港分部", "南方海洋科学与工程广东省实验室（广州）香港分部", hosts=["hkust"],
       areas=ENV, confidence="P", source="http://2009.lygmedia.com/2009/20190308/081055.html",
       note="A lab branch led by HKUST."),
    _p("gba-cityu-ihep-neutron", "gba_joint_lab", "CityU–IHEP Joint Laboratory on Neutron Scattering",
       "城大—高能所中子散射聯合實驗室", "城大—高能所中子散射联合实验室", hosts=["cityu"], partners=["cas-ihep"], year=2019,
       areas=PHYS, confidence="P", source="http://2009.lygmedia.com/2009/20190308/081055.html"),
    # ---- InnoHK research clusters (28 labs; Health@InnoHK and AIR@InnoHK; launched 2022) [P]/[C]
    _p("innohk-coi", "innohk", "Centre for Oncology and Immunology", "腫瘤及免疫學中心", "肿瘤及免疫学中心", hosts=["hku"],
       year=2022, cluster="health", areas=LIFE, source=SRC_INNOHK),
    _p("innohk-cnrm", "innohk", "Center for Neuromusculoskeletal Restorative Medicine", "神經肌肉骨骼再生醫學中心",
       "神经肌肉骨骼再生医学中心", hosts=["cuhk"], year=2022, cluster="health", areas=LIFE, source="https://www.erg.cuhk.edu.hk/erg/InnoHK",
       note="CUHK with Karolinska Institutet."),
    _p("innohk-novostics", "innohk", "Centre for Novostics", "創新診斷科技中心", "创新诊断科技中心", hosts=["cuhk"], year=2022,
       cluster="health", areas=LIFE, source="https://www.erg.cuhk.edu.hk/erg/InnoHK"),
    _p("innohk-cpii", "innohk", "Centre for Perceptual and Interactive Intelligence", "感知與互動智能研究中心",
       "感知与互动智能研究中心", hosts=["cuhk"], year=2022, cluster="air", areas=ICT, short="CPII",
       source="https://www.erg.cuhk.edu.hk/erg/InnoHK"),
    _p("innohk-cairs", "innohk", "Centre for Artificial Intelligence and Robotics", "人工智能與機械人創新中心",
       "人工智能与机器人创新中心", year=2022, cluster="air", areas=ICT, short="CAiRS", source="https://cairs.hk",
       confidence="P", note="Host institute not in the institution register."),
]

# The source notes in Traditional and Simplified Chinese (the English text is the key).
NOTES_ZH = {
    "A lab branch led by HKUST.": ("由香港科技大學牽頭的實驗室分部。", "由香港科技大学牵头的实验室分部。"),
    "Approved 25 Nov 2009 with six Hong Kong universities. Its 2025 successor was not found.": (
        "2009 年 11 月 25 日獲批，六所香港大學參與。公開資料中未找到其 2025 年的接續實驗室。",
        "2009 年 11 月 25 日获批，六所香港大学参与。公开资料中未找到其 2025 年的接续实验室。"),
    "Approved March 2008, partnered with Southeast University. Its 2025 successor was not found.": (
        "2008 年 3 月獲批，與東南大學合作。公開資料中未找到其 2025 年的接續實驗室。",
        "2008 年 3 月获批，与东南大学合作。公开资料中未找到其 2025 年的接续实验室。"),
    "CUHK with Karolinska Institutet.": ("香港中文大學與卡羅琳醫學院合辦。", "香港中文大学与卡罗琳医学院合办。"),
    "Host and partner inferred from the CUHK listing.": ("依託及合作單位據香港中文大學的列表推斷。",
                                                         "依托及合作单位据香港中文大学的列表推断。"),
    "Host institute not in the institution register.": ("依託機構不在本系統的機構名冊中。", "依托机构不在本系统的机构名册中。"),
    "Its 2025 successor (one of the three unnamed CUHK laboratories) was not found.": (
        "未找到其 2025 年的接續實驗室（香港中文大學三所未具名實驗室之一）。",
        "未找到其 2025 年的接续实验室（香港中文大学三所未具名实验室之一）。"),
    "Its 2025 successor was not found in the public record.": ("公開資料中未找到其 2025 年的接續實驗室。",
                                                               "公开资料中未找到其 2025 年的接续实验室。"),
    "Its place in the 2025 restructuring was not found in the public record.": (
        "公開資料中未找到其在 2025 年重組中的安排。", "公开资料中未找到其在 2025 年重组中的安排。"),
    "MoU with Tsinghua University signed in 2014.": ("2014 年與清華大學簽署諒解備忘錄。", "2014 年与清华大学签署谅解备忘录。"),
    "New in 2025 [C]; the host university was not found in the public record [U].": (
        "2025 年新設〔已確認〕；公開資料中未找到依託大學〔未確認〕。", "2025 年新设〔已确认〕；公开资料中未找到依托大学〔未确认〕。"),
    "New in 2025; a joint laboratory of HKUST and PolyU.": ("2025 年新設；香港科技大學與香港理工大學共建。",
                                                            "2025 年新设；香港科技大学与香港理工大学共建。"),
    "One of the three new laboratories approved in January 2025.": ("2025 年 1 月獲批的三所新實驗室之一。",
                                                                    "2025 年 1 月获批的三所新实验室之一。"),
    "Source is a mirror of a PolyU page.": ("來源為香港理工大學網頁的鏡像。", "来源为香港理工大学网页的镜像。"),
    "The partner CAS institute was not named in the retrieved text.": ("所取得的資料未列明合作的中國科學院研究所。",
                                                                       "所取得的资料未列明合作的中国科学院研究所。"),
    "Unconfirmed: inferred from the 2025 renaming; the name was not retrieved.": (
        "未確認：據 2025 年更名推斷，未取得原名稱。", "未确认：据 2025 年更名推断，未取得原名称。"),
}
