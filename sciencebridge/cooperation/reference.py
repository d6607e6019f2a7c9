"""The committee's public record, from ../shared/domain.md (sections 0, 1 and 6), with sources.

Confidence: "C" the source says so, "P" partly (e.g. the month is known but not the day), "U" not
confirmed (kept, marked as such, and editable by the secretariat). Dates known only to the month are
stored as the 1st of that month with a note. Each text is (English, Traditional Chinese, Simplified Chinese).
"""

PARTIES = [
    # code, (en, zh_hant, zh_hans), region, institution code (for agencies that also fund calls)
    ("most", ("Ministry of Science and Technology", "科學技術部", "科学技术部"), "ML", "most"),
    (
        "miit",
        ("Ministry of Industry and Information Technology", "工業和信息化部", "工业和信息化部"),
        "ML",
        "miit",
    ),
    (
        "cac",
        ("Cyberspace Administration of China", "國家互聯網信息辦公室", "国家互联网信息办公室"),
        "ML",
        None,
    ),
    (
        "hk-citb",
        (
            "Commerce, Industry and Technology Bureau, HKSAR Government",
            "香港特區政府工商及科技局",
            "香港特区政府工商及科技局",
        ),
        "HK",
        None,
    ),
    (
        "hk-itb",
        (
            "Innovation and Technology Bureau, HKSAR Government",
            "香港特區政府創新及科技局",
            "香港特区政府创新及科技局",
        ),
        "HK",
        None,
    ),
    (
        "hk-itib",
        (
            "Innovation, Technology and Industry Bureau, HKSAR Government",
            "香港特區政府創新科技及工業局",
            "香港特区政府创新科技及工业局",
        ),
        "HK",
        None,
    ),
    (
        "hksar",
        (
            "Government of the Hong Kong Special Administrative Region",
            "香港特別行政區政府",
            "香港特别行政区政府",
        ),
        "HK",
        None,
    ),
]

AREAS = [
    ("policy", ("Policy co-ordination", "政策協調", "政策协调")),
    (
        "programmes",
        (
            "National S&T programmes open to Hong Kong",
            "國家科技計劃向香港開放",
            "国家科技计划向香港开放",
        ),
    ),
    ("joint-funding", ("Joint funding of research", "聯合資助研究", "联合资助研究")),
    ("experts", ("Expert databases", "專家庫", "专家库")),
    ("talent", ("Talent and exchanges", "人才與交流", "人才与交流")),
    ("platforms", ("Laboratories and platforms", "實驗室與平台", "实验室与平台")),
    ("gba", ("Greater Bay Area flows and Hetao", "大灣區要素流動與河套", "大湾区要素流动与河套")),
    ("transfer", ("Technology transfer", "科技成果轉化", "科技成果转化")),
    ("industry", ("New industrialisation", "新型工業化", "新型工业化")),
]

AGREEMENTS = [
    {
        "code": "committee-2004",
        "kind": "agreement",
        "status": "renewed",
        "confidence": "P",
        "title": (
            "Agreement establishing the Mainland/Hong Kong Science and Technology Co-operation Committee",
            "成立內地與香港科技合作委員會的協議",
            "成立内地与香港科技合作委员会的协议",
        ),
        "parties": ["most", "hk-citb"],
        "signed_on": "2004-05-01",
        "valid_until": "2014-05-01",
        "areas": ["policy"],
        "summary": (
            "Set up the Committee; ran for ten years. Signed in May 2004 (the day is not in the public record).",
            "成立委員會，為期十年。2004年5月簽署（公開資料未載明日期）。",
            "成立委员会，为期十年。2004年5月签署（公开资料未载明日期）。",
        ),
        "source_url": "https://www.info.gov.hk/gia/general/201308/30/P201308300359.htm",
    },
    {
        "code": "committee-2013",
        "kind": "agreement",
        "status": "in_force",
        "confidence": "C",
        "title": (
            "Renewal of the agreement on the Mainland/Hong Kong Science and Technology Co-operation Committee",
            "續簽內地與香港科技合作委員會協議",
            "续签内地与香港科技合作委员会协议",
        ),
        "parties": ["most", "hksar"],
        "signed_on": "2013-08-30",
        "renews": "committee-2004",
        "areas": ["policy"],
        "signed_at": (
            "Xi'an, at the 8th Committee meeting",
            "西安（委員會第八次會議）",
            "西安（委员会第八次会议）",
        ),
        "summary": (
            "The 2004 agreement renewed at the Committee's 8th meeting.",
            "於委員會第八次會議續簽2004年協議。",
            "于委员会第八次会议续签2004年协议。",
        ),
        "source_url": "https://www.info.gov.hk/gia/general/201308/30/P201308300359.htm",
    },
    {
        "code": "jfs-2018",
        "kind": "agreement",
        "status": "in_force",
        "confidence": "P",
        "title": (
            "Agreement between MOST and ITB on jointly funding research and development projects",
            "科學技術部與香港特別行政區政府創新及科技局關於開展聯合資助研發項目的協議",
            "科学技术部与香港特别行政区政府创新及科技局关于开展联合资助研发项目的协议",
        ),
        "parties": ["most", "hk-itb"],
        "signed_on": "2018-09-01",
        "areas": ["joint-funding"],
        "summary": (
            "Legal basis of the Mainland-Hong Kong Joint Funding Scheme, launched in April 2019: ITC funds the "
            "Hong Kong applicant and MOST the Mainland applicant. Signed in September 2018 (day not recorded).",
            "內地與香港聯合資助計劃的法律依據，計劃於2019年4月推出：創新科技署資助香港申請機構，科技部資助內地申請機構。"
            "2018年9月簽署（未載明日期）。",
            "内地与香港联合资助计划的法律依据，计划于2019年4月推出：创新科技署资助香港申请机构，科技部资助内地申请机构。"
            "2018年9月签署（未载明日期）。",
        ),
        "source_url": "https://cgcc.org.hk/zh/temp_news.php?cid=7&tid=37&tabid=0&id=1399",
    },
    {
        "code": "arrangement-2018",
        "kind": "arrangement",
        "status": "in_force",
        "confidence": "P",
        "title": (
            "Arrangement on Enhancing Innovation and Technology Cooperation",
            "關於加強創新科技合作的安排",
            "关于加强创新科技合作的安排",
        ),
        "parties": ["most", "hk-itb"],
        "signed_on": "2018-09-01",
        "areas": ["programmes", "joint-funding", "talent", "platforms", "transfer", "gba"],
        "summary": (
            "Signed in September 2018. Its six areas, as news coverage lists them, are not confirmed: the text "
            "of the Arrangement was not retrieved.",
            "2018年9月簽署。新聞報道所列的六個範疇未經確認：未取得安排全文。",
            "2018年9月签署。新闻报道所列的六个范畴未经确认：未取得安排全文。",
        ),
        "source_note": "[U] areas",
        "source_url": "http://www.news.gov.hk/eng/2018/12/20181204/20181204_192659_047.html",
    },
    {
        "code": "arrangement-2023",
        "kind": "arrangement",
        "status": "in_force",
        "confidence": "C",
        "title": (
            "Arrangement between the Mainland and Hong Kong on Expediting the Development of Hong Kong into an "
            "International Innovation and Technology Centre",
            "內地與香港關於加快建設國際科技創新中心的安排",
            "内地与香港关于加快建设国际科技创新中心的安排",
        ),
        "parties": ["most", "hksar"],
        "signed_on": "2023-03-15",
        "areas": ["talent", "platforms", "transfer", "policy"],
        "summary": (
            "Covers talent flow, sharing of resources, transfer of technologies and a strengthened co-ordination "
            "mechanism; annex: Joint Action Plan.",
            "涵蓋人才流動、資源共享、科技成果轉化及加強協調機制；附件：聯合行動計劃。",
            "涵盖人才流动、资源共享、科技成果转化及加强协调机制；附件：联合行动计划。",
        ),
        "source_url": "https://www.scmp.com/news/hong-kong/society/article/3213577/",
    },
    {
        "code": "action-plan-2023",
        "kind": "action_plan",
        "status": "in_force",
        "confidence": "C",
        "parent": "arrangement-2023",
        "title": (
            "Joint Action Plan (annex to the 2023 Arrangement)",
            "聯合行動計劃（2023年安排附件）",
            "联合行动计划（2023年安排附件）",
        ),
        "parties": ["most", "hksar"],
        "signed_on": "2023-03-15",
        "areas": ["talent", "platforms", "transfer"],
        "summary": (
            "Deepen research cooperation, share innovation resources, transform research results, personnel "
            "exchanges, and Hong Kong's international advantages.",
            "深化科研合作、共享創新資源、轉化科研成果、人員交流及發揮香港國際化優勢。",
            "深化科研合作、共享创新资源、转化科研成果、人员交流及发挥香港国际化优势。",
        ),
        "source_url": "https://www.breakinglatest.news/news/the-ministry-of-science-and-technology-and-hong-kong-deepen-"
        "cooperation-in-science-and-technology-innovation-and-accelerate-the-construction-of-hong-kong-"
        "international-innovation-and-technology-center/",
    },
    {
        "code": "gba-data-mou-2023",
        "kind": "memorandum",
        "status": "in_force",
        "confidence": "C",
        "title": (
            "Memorandum of Understanding on Facilitating Cross-boundary Data Flow within the Greater Bay Area",
            "關於促進粵港澳大灣區數據跨境流動的合作備忘錄",
            "关于促进粤港澳大湾区数据跨境流动的合作备忘录",
        ),
        "parties": ["cac", "hk-itib"],
        "signed_on": "2023-06-29",
        "areas": ["gba"],
        "summary": (
            "Led to the Standard Contract for Cross-boundary Flow of Personal Information within the GBA "
            "(13 December 2023): no onward transfer outside the GBA; filing within 10 working days.",
            "其後發布《粵港澳大灣區（內地、香港）個人信息跨境流動標準合同》（2023年12月13日）：不得轉移至大灣區以外；"
            "須於10個工作日內備案。",
            "其后发布《粤港澳大湾区（内地、香港）个人信息跨境流动标准合同》（2023年12月13日）：不得转移至大湾区以外；"
            "须于10个工作日内备案。",
        ),
        "source_url": "https://digitalpolicy.gov.hk/en/our_work/digital_infrastructure/mainland/cross-boundary_data_flow",
    },
    {
        "code": "miit-2024",
        "kind": "agreement",
        "status": "in_force",
        "confidence": "C",
        "title": (
            "Cooperation Agreement on Developing New Quality Productive Forces and Advancing New "
            "Industrialisation",
            "關於發展新質生產力推進新型工業化的合作協議",
            "关于发展新质生产力推进新型工业化的合作协议",
        ),
        "parties": ["miit", "hk-itib"],
        "signed_on": "2024-09-19",
        "areas": ["industry", "talent"],
        "signed_at": (
            "Beijing, in the presence of the Chief Executive and Minister Jin Zhuanglong",
            "北京，行政長官及金壯龍部長見證",
            "北京，行政长官及金壮龙部长见证",
        ),
        "summary": (
            "Fields named in coverage: AI, advanced manufacturing, new energy and new materials, biomedicine, "
            "digital economy, green and low-carbon; a national I&T platform and industrial base, international "
            "standards, flow of technology talent. The exact list of eight areas is not confirmed.",
            "報道提及：人工智能、先進製造、新能源及新材料、生物醫藥、數字經濟、綠色低碳；國家級創科平台及產業基地、"
            "國際標準、科技人才流動。「八個範疇」的確切清單未經確認。",
            "报道提及：人工智能、先进制造、新能源及新材料、生物医药、数字经济、绿色低碳；国家级创科平台及产业基地、"
            "国际标准、科技人才流动。“八个范畴”的确切清单未经确认。",
        ),
        "source_note": "[U] eight areas",
        "source_url": "https://infoobs.com/index.php/article/20240920/66862.html",
    },
]

MEETINGS = [
    {
        "number": 8,
        "held_on": "2013-08-30",
        "place": ("Xi'an", "西安", "西安"),
        "agenda": (
            "Renewal of the agreement on the Committee.",
            "續簽委員會協議。",
            "续签委员会协议。",
        ),
        "minutes": (
            "The agreement of May 2004, which ran for ten years, was renewed.",
            "2004年5月簽署、為期十年的協議獲續簽。",
            "2004年5月签署、为期十年的协议获续签。",
        ),
        "decisions": [
            ("Renew the agreement on the Committee.", "續簽委員會協議。", "续签委员会协议。")
        ],
        "source_url": "https://www.info.gov.hk/gia/general/201308/30/P201308300359.htm",
    },
    {
        "number": 18,
        "held_on": "2024-11-12",
        "place": ("Xi'an", "西安", "西安"),
        "chairs": (
            "Sun Dong (Secretary for Innovation, Technology and Industry) and Lin Xin (Vice Minister of "
            "Science and Technology)",
            "孫東（創新科技及工業局局長）、林新（科學技術部副部長）",
            "孙东（创新科技及工业局局长）、林新（科学技术部副部长）",
        ),
        "agenda": (
            "1. Work report\n2. Workplan 2024-25",
            "1. 工作報告\n2. 2024-25年工作計劃",
            "1. 工作报告\n2. 2024-25年工作计划",
        ),
        "minutes": (
            "The Committee reviewed the work report and approved the 2024-25 workplan.",
            "委員會審視工作報告，並通過2024-25年工作計劃。",
            "委员会审视工作报告，并通过2024-25年工作计划。",
        ),
        "decisions": [
            ("Approve the 2024-25 workplan.", "通過2024-25年工作計劃。", "通过2024-25年工作计划。")
        ],
        "source_url": "https://bastillepost.com/global/article/4326849-mainland-and-hong-kong-strengthen-science-and-"
        "technology-cooperation-at-18th-committee-meeting-in-xian",
    },
]

WORKPLAN_2024 = {
    "code": "workplan-2024-25",
    "period": "2024-25",
    "meeting": 18,
    "agreement": "committee-2013",
    "title": ("Workplan 2024-25", "2024-25年工作計劃", "2024-25年工作计划"),
    "source_url": MEETINGS[1]["source_url"],
    "items": [
        (
            "i",
            "policy",
            "C",
            (
                "Policy co-ordination: the I&T Blueprint, the Hong Kong Park in the Loop, new "
                "industrialisation and the flow of scientific research data.",
                "政策協調：創科藍圖、河套香港園區、新型工業化及科研數據流動。",
                "政策协调：创科蓝图、河套香港园区、新型工业化及科研数据流动。",
            ),
        ),
        (
            "ii",
            "programmes",
            "C",
            (
                "Orderly opening of national S&T programmes to Hong Kong; Hong Kong scientists in "
                "major national missions; more support for young Hong Kong scientists.",
                "國家科技計劃有序向香港開放；香港科學家參與國家重大任務；加強支持香港青年科學家。",
                "国家科技计划有序向香港开放；香港科学家参与国家重大任务；加强支持香港青年科学家。",
            ),
        ),
        (
            "iii",
            "joint-funding",
            "P",
            (
                "Continue to implement the Mainland-Hong Kong Joint Funding Scheme (the "
                "retrieved text is cut off here).",
                "繼續實施內地與香港聯合資助計劃（所取得的原文至此中斷）。",
                "继续实施内地与香港联合资助计划（所取得的原文至此中断）。",
            ),
        ),
        ("iv", "experts", "U", ("Expert databases.", "專家庫。", "专家库。")),
        ("v", "talent", "U", ("Exchanges.", "交流。", "交流。")),
        (
            "vi",
            "platforms",
            "U",
            (
                "State Key Laboratories and Greater Bay Area joint laboratories.",
                "全國重點實驗室及粵港澳聯合實驗室。",
                "全国重点实验室及粤港澳联合实验室。",
            ),
        ),
        (
            "vii",
            "gba",
            "U",
            (
                "Greater Bay Area flows and Hetao.",
                "大灣區要素流動及河套。",
                "大湾区要素流动及河套。",
            ),
        ),
    ],
}

_GERD = "https://www.censtatd.gov.hk/hkstat/sub/sp120.jsp?tableID=207&ID=0&productType=8"
_OLD_BASIS = (
    "Before 2018: excluding the implicit user cost of R&D facilities",
    "2018年前：不包括研發設施的隱含使用成本",
    "2018年前：不包括研发设施的隐含使用成本",
)
_NEW_BASIS = (
    "From 2018: including the implicit user cost of R&D facilities",
    "2018年起：包括研發設施的隱含使用成本",
    "2018年起：包括研发设施的隐含使用成本",
)
_HE_PERIOD = (
    "Higher education: July to June",
    "高等教育界別：7月至翌年6月",
    "高等教育界别：7月至翌年6月",
)
_STARTUPS = ("InvestHK Startup Survey", "投資推廣署初創企業調查", "投资推广署初创企业调查")
_CSD = (
    "C&SD, Hong Kong Innovation Activities Statistics",
    "政府統計處《香港創新活動統計》",
    "政府统计处《香港创新活动统计》",
)
_GII_OLD = ("PCT filings and SCIE papers", "PCT專利申請及SCIE論文", "PCT专利申请及SCIE论文")
_GII_NEW = ("2025: venture capital added", "2025年：加入創業投資", "2025年：加入创业投资")

INDICATORS = [
    {
        "code": "gerd",
        "order": 1,
        "unit": ("HK$ million", "百萬港元", "百万港元"),
        "name": (
            "Gross domestic expenditure on R&D (Hong Kong)",
            "本地研究及發展總開支（香港）",
            "本地研究及发展总开支（香港）",
        ),
        "source": _CSD,
        "source_url": _GERD,
        "values": [
            (2015, "18270.7", _OLD_BASIS),
            (2016, "19713.1", _OLD_BASIS),
            (2017, "21280.4", _OLD_BASIS),
            (2018, "24478.4", _NEW_BASIS),
            (2019, "26332.6", _NEW_BASIS),
            (2021, "27827", _NEW_BASIS),
            (2022, "30138", _NEW_BASIS),
        ],
        "period": _HE_PERIOD,
    },
    {
        "code": "gerd-gdp",
        "order": 2,
        "unit": ("% of GDP", "佔本地生產總值百分比", "占本地生产总值百分比"),
        "name": (
            "R&D expenditure as a share of GDP",
            "研發開支佔本地生產總值比率",
            "研发开支占本地生产总值比率",
        ),
        "source": _CSD,
        "source_url": _GERD,
        "values": [
            (2015, "0.76", _OLD_BASIS),
            (2016, "0.79", _OLD_BASIS),
            (2017, "0.80", _OLD_BASIS),
            (2018, "0.86", _NEW_BASIS),
            (2019, "0.92", _NEW_BASIS),
            (2022, "1.07", _NEW_BASIS),
        ],
        "period": _HE_PERIOD,
    },
    {
        "code": "startups",
        "order": 3,
        "unit": ("start-ups", "初創企業", "初创企业"),
        "name": (
            "Start-ups in co-working spaces, incubators and accelerators",
            "共享工作間、培育及加速計劃中的初創企業",
            "共享工作间、培育及加速计划中的初创企业",
        ),
        "source": _STARTUPS,
        "values": [
            (
                2020,
                "3360",
                "",
                "https://hkmb.hktdc.com/en/NjYwMTUyNDYy/hktdc-research/Hong-Kong-Start-Up-Survey-Ecosystem-Overview",
            ),
            (2021, "3755", "", "https://www.youth.gov.hk/en/hashtag.htm?hashtag=CoworkingSpace"),
            (
                2023,
                "4257",
                "",
                "https://statista.com/statistics/1368778/hong-kong-startup-founders-by-origin",
            ),
            (2024, "4694", "", "http://en.people.cn/n3/2024/1230/c90000-20259803.html"),
        ],
    },
    {
        "code": "startup-employees",
        "order": 4,
        "unit": ("people", "人", "人"),
        "name": ("People employed by those start-ups", "初創企業僱員人數", "初创企业雇员人数"),
        "source": _STARTUPS,
        "values": [
            (2020, "10688", ""),
            (2021, "13804", ""),
            (2024, "18000", "", "", ("about 18,000", "約18,000人", "约18,000人")),
        ],
    },
    {
        "code": "gii-cluster-rank",
        "order": 5,
        "lower_is_better": True,
        "unit": ("rank", "排名", "排名"),
        "name": (
            "Global Innovation Index: Shenzhen–Hong Kong–Guangzhou cluster rank",
            "全球創新指數：深圳－香港－廣州科技集群排名",
            "全球创新指数：深圳－香港－广州科技集群排名",
        ),
        "source": (
            "WIPO Global Innovation Index",
            "世界知識產權組織《全球創新指數》",
            "世界知识产权组织《全球创新指数》",
        ),
        "values": [
            (2020, "2", _GII_OLD),
            (2021, "2", _GII_OLD),
            (2022, "2", _GII_OLD),
            (2023, "2", _GII_OLD),
            (2024, "2", _GII_OLD, "http://en.people.cn/n3/2024/0828/c90000-20211249.html"),
            (2025, "1", _GII_NEW, "http://en.people.cn/n3/2025/0901/c90000-20360643.html"),
        ],
    },
    {
        "code": "mainland-funds-to-hk",
        "order": 6,
        "unit": ("RMB million (cumulative)", "百萬人民幣（累計）", "百万人民币（累计）"),
        "name": (
            "Mainland research funds remitted to Hong Kong (cumulative)",
            "內地科研經費過境香港使用（累計）",
            "内地科研经费过境香港使用（累计）",
        ),
        "source": (
            "News coverage of Committee meetings",
            "委員會會議新聞報道",
            "委员会会议新闻报道",
        ),
        "values": [
            (
                2021,
                "440",
                "",
                "https://www.tellerreport.com/life/2021-12-03-the-15th-meeting-of-the-%22mainland-"
                "and-hong-kong-science-and-technology-cooperation-committee%22-held.rkW-8SOPKK.html",
                (
                    "more than RMB440m by end June 2021",
                    "截至2021年6月底逾4.4億元人民幣",
                    "截至2021年6月底逾4.4亿元人民币",
                ),
                "2021-06-30",
            ),
            (
                2023,
                "750",
                "",
                "https://www.globaltimes.cn/page/202304/1289208.shtml",
                (
                    "more than RMB750m by April 2023",
                    "截至2023年4月逾7.5億元人民幣",
                    "截至2023年4月逾7.5亿元人民币",
                ),
                "2023-04-30",
            ),
        ],
    },
    {
        "code": "skl-count",
        "order": 7,
        "unit": ("laboratories", "所實驗室", "所实验室"),
        "name": (
            "State Key Laboratories in Hong Kong",
            "香港的全國重點實驗室",
            "香港的全国重点实验室",
        ),
        "source": (
            "Ming Pao; MOST approval of January 2025",
            "明報；科技部2025年1月批覆",
            "明报；科技部2025年1月批复",
        ),
        "values": [
            (2024, "16", "", "", ("16 before 2025", "2025年前16所", "2025年前16所")),
            (
                2025,
                "15",
                "",
                "https://hk.crntt.com/doc/1071/1/2/0/107112006.html",
                (
                    "15 from 1 July 2025: 12 restructured, 3 new",
                    "2025年7月1日起15所：12所重組、3所新建",
                    "2025年7月1日起15所：12所重组、3所新建",
                ),
                "2025-07-01",
            ),
        ],
    },
]

# Indicators computed live from the platform's own data (codes in sciencebridge.core.metrics).
LIVE_INDICATORS = [
    (
        "live-projects-funded",
        "funding.projects_funded",
        20,
        ("Joint projects funded on this platform", "本平台資助的聯合項目", "本平台资助的联合项目"),
        ("projects", "項", "项"),
    ),
    (
        "live-committed-hkd",
        "funding.committed_hkd",
        21,
        ("Money committed, Hong Kong side", "已承諾資金（香港方）", "已承诺资金（香港方）"),
        ("HKD", "港元", "港元"),
    ),
    (
        "live-committed-rmb",
        "funding.committed_rmb",
        22,
        ("Money committed, Mainland side", "已承諾資金（內地方）", "已承诺资金（内地方）"),
        ("RMB", "人民幣", "人民币"),
    ),
    (
        "live-calls",
        "funding.calls_launched",
        23,
        ("Calls launched on this platform", "本平台發布的徵集", "本平台发布的征集"),
        ("calls", "個", "个"),
    ),
    (
        "live-remitted-rmb",
        "remittances.remitted_rmb",
        24,
        (
            "Mainland S&T funds remitted to Hong Kong, recorded on this platform",
            "內地科技經費過境香港（本平台記錄）",
            "内地科技经费过境香港（本平台记录）",
        ),
        ("RMB", "人民幣", "人民币"),
    ),
]
