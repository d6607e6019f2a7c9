"""Invented text material for ``seed_demo``: names, project topics, reviewer comments.

Nothing here is reference data: people and projects are fictitious (institutions are real, from
``sciencebridge.core.reference``). The leading underscore keeps Django from treating this module
as a management command.
"""

# Cantonese-romanised surnames and given names (Traditional Chinese) for Hong Kong people.
HK_SURNAMES = [
    ("Chan", "陳"),
    ("Wong", "黃"),
    ("Lee", "李"),
    ("Cheung", "張"),
    ("Lau", "劉"),
    ("Ng", "吳"),
    ("Leung", "梁"),
    ("Ho", "何"),
    ("Lam", "林"),
    ("Yip", "葉"),
    ("Tsang", "曾"),
    ("Cheng", "鄭"),
    ("Tang", "鄧"),
    ("Kwok", "郭"),
    ("Chow", "周"),
    ("Yeung", "楊"),
    ("Fung", "馮"),
    ("Tse", "謝"),
    ("Lo", "羅"),
    ("Mak", "麥"),
    ("Choi", "蔡"),
    ("Siu", "蕭"),
    ("Kwan", "關"),
    ("Poon", "潘"),
]
HK_GIVEN = [
    ("Ka Ming", "家明"),
    ("Wai Kit", "偉傑"),
    ("Chi Hung", "志雄"),
    ("Man Yee", "敏儀"),
    ("Hoi Yan", "凱欣"),
    ("Ka Yan", "嘉欣"),
    ("Tsz Ching", "芷晴"),
    ("Kin Wai", "健威"),
    ("Pui Shan", "佩珊"),
    ("Chun Kit", "俊傑"),
    ("Ho Yin", "浩然"),
    ("Wing Sze", "詠詩"),
    ("Kwok Leung", "國良"),
    ("Hiu Tung", "曉彤"),
    ("Lok Yi", "樂怡"),
    ("Tak Ming", "德明"),
    ("Yan Ting", "欣婷"),
    ("Siu Fung", "兆峰"),
    ("Wing Hong", "永康"),
    ("Mei Ling", "美玲"),
    ("Kam Wah", "錦華"),
    ("Sai Kit", "世傑"),
    ("Yuk Ying", "玉瑩"),
    ("Chak Hin", "澤軒"),
]
# Pinyin surnames and given names (Simplified Chinese) for Mainland people.
ML_SURNAMES = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Zhao", "赵"),
    ("Huang", "黄"),
    ("Zhou", "周"),
    ("Wu", "吴"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Hu", "胡"),
    ("Zhu", "朱"),
    ("Gao", "高"),
    ("Lin", "林"),
    ("He", "何"),
    ("Guo", "郭"),
    ("Ma", "马"),
    ("Luo", "罗"),
    ("Song", "宋"),
    ("Zheng", "郑"),
    ("Xie", "谢"),
    ("Han", "韩"),
]
ML_GIVEN = [
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Qiang", "强"),
    ("Yang", "洋"),
    ("Yan", "艳"),
    ("Jun", "军"),
    ("Jie", "杰"),
    ("Tao", "涛"),
    ("Ming", "明"),
    ("Chao", "超"),
    ("Hua", "华"),
    ("Hui", "慧"),
    ("Jianguo", "建国"),
    ("Zhiqiang", "志强"),
    ("Haiyan", "海燕"),
    ("Xiaodong", "晓东"),
    ("Yufei", "宇飞"),
    ("Zihan", "子涵"),
    ("Haoran", "浩然"),
    ("Siyuan", "思远"),
    ("Xinyi", "欣怡"),
]

HK_TITLES_UNI = [
    "Professor",
    "Chair Professor",
    "Associate Professor",
    "Assistant Professor",
    "Research Professor",
]
HK_TITLES_RI = [
    "Director, R&D",
    "Principal Engineer",
    "Senior Engineer",
    "Programme Director",
    "Chief Scientist",
]
ML_TITLES = [
    "Professor",
    "Research Fellow",
    "Associate Professor",
    "Associate Research Fellow",
    "Chief Engineer",
]

# Topics per theme family: (English title core, Chinese title core, English keywords, Chinese keywords).
TOPICS = {
    "ai": [
        (
            "privacy-preserving federated learning over cross-boundary clinical data",
            "跨境臨床數據的隱私保護聯邦學習",
            ["federated learning", "privacy", "medical data"],
            ["聯邦學習", "隱私保護"],
        ),
        (
            "trustworthy large language models for bilingual public services",
            "面向雙語公共服務的可信大語言模型",
            ["large language model", "trustworthy AI", "Cantonese"],
            ["大語言模型", "可信人工智能"],
        ),
        (
            "neuromorphic computing chips for low-power edge intelligence",
            "面向低功耗邊緣智能的類腦計算芯片",
            ["neuromorphic computing", "spiking neural network", "edge AI"],
            ["類腦計算", "脈衝神經網絡"],
        ),
        (
            "multimodal AI for early diagnosis of diabetic retinopathy",
            "糖尿病視網膜病變早期診斷的多模態人工智能",
            ["medical imaging", "deep learning", "diagnosis"],
            ["醫學影像", "深度學習"],
        ),
        (
            "digital-twin traffic management for Greater Bay Area cities",
            "大灣區城市交通管理數字孿生",
            ["digital twin", "smart mobility", "traffic"],
            ["數字孿生", "智慧交通"],
        ),
        (
            "adversarially robust computer vision for autonomous inspection",
            "自主巡檢的對抗魯棒計算機視覺",
            ["adversarial robustness", "computer vision", "inspection"],
            ["對抗魯棒性", "計算機視覺"],
        ),
        (
            "graph neural networks for building energy optimisation",
            "建築能耗優化的圖神經網絡",
            ["graph neural network", "building energy", "smart city"],
            ["圖神經網絡", "建築節能"],
        ),
    ],
    "biotech": [
        (
            "small-molecule GLP-1 receptor agonists for type 2 diabetes",
            "治療2型糖尿病的小分子GLP-1受體激動劑",
            ["GLP-1", "diabetes", "drug discovery"],
            ["糖尿病", "藥物發現"],
        ),
        (
            "traditional Chinese medicine compounds against chronic kidney disease",
            "防治慢性腎病的中藥活性成分",
            ["Chinese medicine", "chronic kidney disease", "natural products"],
            ["中藥", "慢性腎病"],
        ),
        (
            "mRNA-lipid nanoparticle delivery for hypercholesterolaemia",
            "治療高膽固醇血症的mRNA脂質納米顆粒遞送",
            ["mRNA", "lipid nanoparticle", "cardiovascular"],
            ["mRNA", "脂質納米顆粒"],
        ),
        (
            "organoid models for drug screening in chronic liver disease",
            "慢性肝病藥物篩選的類器官模型",
            ["organoid", "liver disease", "drug screening"],
            ["類器官", "藥物篩選"],
        ),
        (
            "AI-guided antibody engineering for rheumatoid arthritis",
            "人工智能輔助的類風濕關節炎抗體工程",
            ["antibody", "rheumatoid arthritis", "protein design"],
            ["抗體工程", "蛋白質設計"],
        ),
    ],
    "materials": [
        (
            "perovskite-silicon tandem solar cells with long-term stability",
            "長期穩定的鈣鈦礦-晶硅疊層太陽能電池",
            ["perovskite", "tandem solar cell", "stability"],
            ["鈣鈦礦", "疊層電池"],
        ),
        (
            "gallium nitride power devices for electric-vehicle chargers",
            "電動汽車充電器的氮化鎵功率器件",
            ["GaN", "power electronics", "electric vehicle"],
            ["氮化鎵", "功率器件"],
        ),
        (
            "silicon carbide MOSFET reliability under high temperature",
            "高溫下碳化硅MOSFET的可靠性",
            ["SiC", "MOSFET", "reliability"],
            ["碳化硅", "可靠性"],
        ),
        (
            "micro-LED displays with quantum-dot colour conversion",
            "量子點色轉換Micro-LED顯示",
            ["micro-LED", "quantum dot", "display"],
            ["Micro-LED", "量子點"],
        ),
        (
            "low-carbon additive manufacturing of lightweight alloys",
            "輕量化合金的低碳增材製造",
            ["additive manufacturing", "lightweight alloy", "low carbon"],
            ["增材製造", "輕量化合金"],
        ),
        (
            "recyclable textile fibres from bio-based polymers",
            "生物基高分子可回收紡織纖維",
            ["bio-based polymer", "recycling", "textile"],
            ["生物基高分子", "紡織纖維"],
        ),
        (
            "wide-bandgap power integrated circuits for data centres",
            "數據中心寬禁帶功率集成電路",
            ["power IC", "wide bandgap", "data centre"],
            ["功率集成電路", "寬禁帶"],
        ),
    ],
    "marine": [
        (
            "microplastic transport in the Pearl River Estuary",
            "珠江口微塑料遷移",
            ["microplastics", "estuary", "pollution"],
            ["微塑料", "河口"],
        ),
        (
            "coral reef resilience under marine heatwaves in the South China Sea",
            "南海海洋熱浪下的珊瑚礁韌性",
            ["coral reef", "heatwave", "climate"],
            ["珊瑚礁", "海洋熱浪"],
        ),
    ],
    "management": [
        (
            "cross-boundary supply-chain resilience after disruptions",
            "中斷後的跨境供應鏈韌性",
            ["supply chain", "resilience", "operations"],
            ["供應鏈", "韌性"],
        ),
        (
            "innovation policy and technology transfer in the Greater Bay Area",
            "大灣區創新政策與技術轉移",
            ["innovation policy", "technology transfer"],
            ["創新政策", "技術轉移"],
        ),
    ],
}

# Theme code -> topic family.
THEME_FAMILY = {
    "biotech-chronic-disease": "biotech",
    "ai-security-privacy": "ai",
    "ai-brain-inspired": "ai",
    "ai-smart-healthcare": "ai",
    "ai-smart-city": "ai",
    "sus-optoelectronic-materials": "materials",
    "sus-3g-semiconductors": "materials",
    "sus-green-manufacturing": "materials",
    "sus-power-ic": "materials",
    "new-materials": "materials",
    "information-technology": "ai",
    "life-science": "biotech",
    "new-materials-science": "materials",
    "marine-environmental": "marine",
    "medicine": "biotech",
    "management-science": "management",
}

# Discipline codes per topic family: (GB/T 13745 for JFS HK halves, RGC panels for JRS HK halves, NSFC).
FAMILY_CODES = {
    "ai": (["520", "413", "510"], ["E", "PS"], ["F06", "F02", "F01", "F03"]),
    "biotech": (["350", "180", "310", "360"], ["BM"], ["H30", "H31", "C05", "C07", "H03"]),
    "materials": (
        ["430", "510", "460", "480"],
        ["E", "E-MCM", "PS"],
        ["E02", "E13", "B05", "F04", "F05", "E01"],
    ),
    "marine": (["610", "170"], ["PS", "E"], ["D06", "E11", "D07"]),
    "management": (["630", "790"], ["BS", "HSS-SS"], ["G01", "G02", "G04"]),
}

TITLE_PATTERNS = [
    ("{core}", "{zh}"),
    ("Hong Kong–Mainland joint study of {core}", "{zh}的兩地聯合研究"),
    ("Towards {core}", "邁向{zh}"),
    ("A shared platform for {core}", "{zh}共享平台"),
    ("Design and validation of {core}", "{zh}的設計與驗證"),
    ("Scalable {core}", "可擴展的{zh}"),
]

ABSTRACT = (
    "This joint project brings together {hk} and {ml} to advance {core}. The Hong Kong team contributes "
    "{hk_strength}, while the Mainland team contributes {ml_strength}. Over {months} months the partners will "
    "build shared datasets and prototypes, exchange researchers in both directions, and test the results with "
    "industry users in the Greater Bay Area.\n\n"
    "本項目由{hk_zh}與{ml_zh}合作，研究{zh}。香港團隊負責{hk_strength_zh}，內地團隊負責{ml_strength_zh}，"
    "雙方將共建數據與原型，互派研究人員，並與大灣區業界用戶共同驗證成果。"
)
STRENGTHS = [
    ("algorithm design and system integration", "算法設計與系統集成"),
    ("translational testing with local hospitals and industry", "與本地醫院及業界的轉化測試"),
    ("materials characterisation and device fabrication", "材料表徵與器件製備"),
    ("large-scale experiments and pilot production", "大規模實驗與中試生產"),
    ("theory, modelling and simulation", "理論建模與仿真"),
    ("field deployment and data collection", "現場部署與數據採集"),
]
PLAN = (
    "WP1 (Hong Kong, months 1–{a}): requirements, data and baseline methods.\n"
    "WP2 (Mainland, months 1–{a}): experimental platform and pilot data.\n"
    "WP3 (joint, months {b}–{months}): integration, validation with industry partners, exchange visits.\n"
    "WP4 (joint, months {c}–{months}): dissemination, IP arrangements and technology transfer."
)

RETURN_COMMENTS = [
    "Please attach the signed industry sponsorship letter and correct the budget justification.",
    "The equipment line exceeds the institutional threshold; split it or add three quotations.",
    "Staff costs do not match the HR salary scale; please revise before we endorse.",
    "The project period starts before the expected approval date; please adjust the plan.",
    "請補充合作方承諾書，並修正預算說明中的人手開支。",
]
INELIGIBLE_REASONS = {
    "HK": [
        "Industry sponsorship falls below the minimum share after ineligible in-kind items were removed.",
        "The lead applicant is not an eligible organisation for this scheme.",
        "Substantial duplication with an ongoing ITF project of the same team.",
        "The project is basic research better suited to RGC funding.",
        "The Hong Kong PI does not meet the GRF eligibility requirements.",
    ],
    "ML": [
        "申请人不具备高级专业技术职务（职称）。",
        "The Mainland PI already leads an international cooperation project in this round.",
        "Budget items not allowed under the Mainland funding rules.",
        "申请书内容与已资助项目重复。",
    ],
}
ELIGIBLE_REASONS = {
    "HK": [
        "Meets the scheme's eligibility rules; forwarded for assessment.",
        "Complete and eligible.",
    ],
    "ML": ["符合申报要求，进入评审。", "Formal check passed."],
}
WITHDRAW_REASONS = [
    "The industry partner withdrew its sponsorship.",
    "The PI has moved to another institution.",
    "We will resubmit a stronger proposal in the next call.",
    "項目內容已獲其他資助。",
]
