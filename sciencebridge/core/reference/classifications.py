"""Discipline classification schemes: NSFC application codes, RGC subject panels, GB/T 13745-2009.

Sources (see /work/shared/domain.md §5):
- NSFC departments A–H [C]: http://zsmm.org.cn/academicInfo?id=2329 . Since 2021 NSFC codes have
  126 "level-1" codes (e.g. A01) and 1,263 "level-2" codes (e.g. A0101) [C]:
  https://www.newgenesiscap.com/big5/fund_811670 . Here level 1 = department letter and level 2 = the
  NSFC "level-1" code (A01…), so the tree has a root per department. Only a *sample* of the codes is
  loaded; the code names are as recalled from the 2021 list (F05 and F06 seen in NSFC-authored
  articles), not checked against the official list: treat names as [P] and extend from the official
  list (or AMinerOpen/TaxoExt data/nsfc.jl for the older tree). Department T (交叉科学部) is [U]: not loaded.
- RGC subject panels and the HSS sub-panels [C]: https://www.ugc.edu.hk/eng/ugc/faq/q301.html .
  The Chinese panel names are our translation; the RGC's official Chinese titles were not retrieved [U].
- GB/T 13745-2009 level-1 list [C] from public code lists (no official page retrieved). The group
  letter (门类 A–E) per code is [P] (inferred from code ranges) and is kept as data, not as a parent.
  English names are unofficial translations: no official English names were retrieved [U].

Tuples: (code, en, zh_hant, zh_hans) unless noted.
"""

NSFC_DEPARTMENTS = [
    ("A", "Mathematical and Physical Sciences", "數學物理科學部", "数学物理科学部"),
    ("B", "Chemical Sciences", "化學科學部", "化学科学部"),
    ("C", "Life Sciences", "生命科學部", "生命科学部"),
    ("D", "Earth Sciences", "地球科學部", "地球科学部"),
    ("E", "Engineering and Materials Sciences", "工程與材料科學部", "工程与材料科学部"),
    ("F", "Information Sciences", "信息科學部", "信息科学部"),
    ("G", "Management Sciences", "管理科學部", "管理科学部"),
    ("H", "Health Sciences", "醫學科學部", "医学科学部"),
]

NSFC_LEVEL2 = [
    ("A01", "Mathematics", "數學", "数学"),
    ("A02", "Mechanics", "力學", "力学"),
    ("A03", "Astronomy", "天文學", "天文学"),
    ("A04", "Physics I", "物理學Ⅰ", "物理学Ⅰ"),
    ("A05", "Physics II", "物理學Ⅱ", "物理学Ⅱ"),
    ("B01", "Synthetic Chemistry", "合成化學", "合成化学"),
    (
        "B02",
        "Catalysis and Surface and Interface Chemistry",
        "催化與表界面化學",
        "催化与表界面化学",
    ),
    ("B03", "Chemical Theory and Mechanism", "化學理論與機制", "化学理论与机制"),
    ("B04", "Chemical Measurement", "化學測量學", "化学测量学"),
    ("B05", "Materials Chemistry and Energy Chemistry", "材料化學與能源化學", "材料化学与能源化学"),
    ("B06", "Environmental Chemistry", "環境化學", "环境化学"),
    ("B07", "Chemical Biology", "化學生物學", "化学生物学"),
    (
        "B08",
        "Chemical Engineering and Industrial Chemistry",
        "化學工程與工業化學",
        "化学工程与工业化学",
    ),
    ("C01", "Microbiology", "微生物學", "微生物学"),
    ("C02", "Botany", "植物學", "植物学"),
    ("C03", "Ecology", "生態學", "生态学"),
    ("C04", "Zoology", "動物學", "动物学"),
    ("C05", "Biophysics and Biochemistry", "生物物理與生物化學", "生物物理与生物化学"),
    ("C06", "Genetics and Bioinformatics", "遺傳學與生物信息學", "遗传学与生物信息学"),
    ("C07", "Cell Biology", "細胞生物學", "细胞生物学"),
    ("C08", "Immunology", "免疫學", "免疫学"),
    ("C09", "Neuroscience and Psychology", "神經科學與心理學", "神经科学与心理学"),
    ("C11", "Physiology and Integrative Biology", "生理學與整合生物學", "生理学与整合生物学"),
    (
        "C12",
        "Developmental Biology and Reproductive Biology",
        "發育生物學與生殖生物學",
        "发育生物学与生殖生物学",
    ),
    ("C13", "Agronomy and Crop Science", "農學基礎與作物學", "农学基础与作物学"),
    ("C20", "Food Science", "食品科學", "食品科学"),
    ("D01", "Geography", "地理學", "地理学"),
    ("D02", "Geology", "地質學", "地质学"),
    ("D03", "Geochemistry", "地球化學", "地球化学"),
    ("D04", "Geophysics and Space Physics", "地球物理學和空間物理學", "地球物理学和空间物理学"),
    ("D05", "Atmospheric Sciences", "大氣科學", "大气科学"),
    ("D06", "Marine Sciences", "海洋科學", "海洋科学"),
    ("D07", "Environmental Geosciences", "環境地球科學", "环境地球科学"),
    ("E01", "Metallic Materials", "金屬材料", "金属材料"),
    ("E02", "Inorganic Non-metallic Materials", "無機非金屬材料", "无机非金属材料"),
    ("E03", "Organic Polymer Materials", "有機高分子材料", "有机高分子材料"),
    ("E04", "Mining and Metallurgical Engineering", "礦業與冶金工程", "矿业与冶金工程"),
    ("E05", "Mechanical Design and Manufacturing", "機械設計與製造", "机械设计与制造"),
    (
        "E06",
        "Engineering Thermophysics and Energy Utilization",
        "工程熱物理與能源利用",
        "工程热物理与能源利用",
    ),
    ("E07", "Electrical Science and Engineering", "電氣科學與工程", "电气科学与工程"),
    ("E08", "Architecture and Civil Engineering", "建築與土木工程", "建筑与土木工程"),
    ("E09", "Hydraulic Engineering", "水利工程", "水利工程"),
    ("E10", "Environmental Engineering", "環境工程", "环境工程"),
    ("E11", "Ocean Engineering", "海洋工程", "海洋工程"),
    ("E12", "Transportation and Vehicle Engineering", "交通與運載工程", "交通与运载工程"),
    (
        "E13",
        "New-concept Materials and Common Science of Materials",
        "新概念材料與材料共性科學",
        "新概念材料与材料共性科学",
    ),
    ("F01", "Electronics and Information Systems", "電子學與信息系統", "电子学与信息系统"),
    ("F02", "Computer Science", "計算機科學", "计算机科学"),
    ("F03", "Automation", "自動化", "自动化"),
    (
        "F04",
        "Semiconductor Science and Information Devices",
        "半導體科學與信息器件",
        "半导体科学与信息器件",
    ),
    ("F05", "Optics and Optoelectronics", "光學和光電子學", "光学和光电子学"),
    ("F06", "Artificial Intelligence", "人工智能", "人工智能"),
    (
        "F07",
        "Information Science in Interdisciplinary Fields",
        "交叉學科中的信息科學",
        "交叉学科中的信息科学",
    ),
    ("G01", "Management Science and Engineering", "管理科學與工程", "管理科学与工程"),
    ("G02", "Business Administration", "工商管理", "工商管理"),
    ("G03", "Economic Sciences", "經濟科學", "经济科学"),
    ("G04", "Macro Management and Policy", "宏觀管理與政策", "宏观管理与政策"),
    ("H01", "Respiratory System", "呼吸系統", "呼吸系统"),
    ("H02", "Circulatory System", "循環系統", "循环系统"),
    ("H03", "Digestive System", "消化系統", "消化系统"),
    ("H09", "Nervous System and Mental Disorders", "神經系統和精神疾病", "神经系统和精神疾病"),
    ("H10", "Medical Immunology", "醫學免疫學", "医学免疫学"),
    ("H16", "Oncology", "腫瘤學", "肿瘤学"),
    (
        "H18",
        "Medical Imaging and Biomedical Engineering",
        "影像醫學與生物醫學工程",
        "影像医学与生物医学工程",
    ),
    ("H30", "Pharmacy", "藥物學", "药物学"),
    ("H31", "Pharmacology", "藥理學", "药理学"),
]

# (code, parent code or None, en, zh_hant, zh_hans)
RGC_PANELS = [
    ("PS", None, "Physical Sciences", "物理科學", "物理科学"),
    ("E", None, "Engineering", "工程學", "工程学"),
    (
        "E-MCM",
        "E",
        "Mechanical, Civil & Materials Engineering and System Design",
        "機械、土木及材料工程及系統設計",
        "机械、土木及材料工程及系统设计",
    ),
    ("BM", None, "Biology & Medicine", "生物學及醫學", "生物学及医学"),
    ("HSS", None, "Humanities & Social Sciences", "人文學及社會科學", "人文学及社会科学"),
    ("HSS-PL", "HSS", "Psychology & Linguistics", "心理學及語言學", "心理学及语言学"),
    ("HSS-SS", "HSS", "Social Sciences", "社會科學", "社会科学"),
    ("HSS-HA", "HSS", "Humanities & the Arts", "人文學及藝術", "人文学及艺术"),
    ("HSS-ED", "HSS", "Education", "教育學", "教育学"),
    ("HSS-PV", "HSS", "Professional & Vocational Studies", "專業及職業研究", "专业及职业研究"),
    ("BS", None, "Business Studies", "商學", "商学"),
]

# (code, group letter [P], en (unofficial), zh_hant, zh_hans)
GBT_LEVEL1 = [
    ("110", "A", "Mathematics", "數學", "数学"),
    (
        "120",
        "A",
        "Information Science and Systems Science",
        "信息科學與系統科學",
        "信息科学与系统科学",
    ),
    ("130", "A", "Mechanics", "力學", "力学"),
    ("140", "A", "Physics", "物理學", "物理学"),
    ("150", "A", "Chemistry", "化學", "化学"),
    ("160", "A", "Astronomy", "天文學", "天文学"),
    ("170", "A", "Earth Sciences", "地球科學", "地球科学"),
    ("180", "A", "Biology", "生物學", "生物学"),
    ("190", "A", "Psychology", "心理學", "心理学"),
    ("210", "B", "Agronomy", "農學", "农学"),
    ("220", "B", "Forestry", "林學", "林学"),
    ("230", "B", "Animal Husbandry and Veterinary Science", "畜牧、獸醫科學", "畜牧、兽医科学"),
    ("240", "B", "Aquaculture and Fisheries", "水產學", "水产学"),
    ("310", "C", "Basic Medicine", "基礎醫學", "基础医学"),
    ("320", "C", "Clinical Medicine", "臨牀醫學", "临床医学"),
    (
        "330",
        "C",
        "Preventive Medicine and Public Health",
        "預防醫學與公共衛生學",
        "预防医学与公共卫生学",
    ),
    ("340", "C", "Military and Special Medicine", "軍事醫學與特種醫學", "军事医学与特种医学"),
    ("350", "C", "Pharmacy", "藥學", "药学"),
    ("360", "C", "Chinese Medicine and Chinese Materia Medica", "中醫學與中藥學", "中医学与中药学"),
    (
        "410",
        "D",
        "Basic Disciplines of Engineering and Technology",
        "工程與技術科學基礎學科",
        "工程与技术科学基础学科",
    ),
    (
        "413",
        "D",
        "Engineering and Technology related to Information and Systems Science",
        "信息與系統科學相關工程與技術",
        "信息与系统科学相关工程与技术",
    ),
    (
        "416",
        "D",
        "Engineering and Technology related to Natural Sciences",
        "自然科學相關工程與技術",
        "自然科学相关工程与技术",
    ),
    ("420", "D", "Surveying and Mapping", "測繪科學技術", "测绘科学技术"),
    ("430", "D", "Materials Science", "材料科學", "材料科学"),
    ("440", "D", "Mining Engineering", "礦山工程技術", "矿山工程技术"),
    ("450", "D", "Metallurgical Engineering", "冶金工程技術", "冶金工程技术"),
    ("460", "D", "Mechanical Engineering", "機械工程", "机械工程"),
    ("470", "D", "Power and Electrical Engineering", "動力與電氣工程", "动力与电气工程"),
    ("480", "D", "Energy Science and Technology", "能源科學技術", "能源科学技术"),
    ("490", "D", "Nuclear Science and Technology", "核科學技術", "核科学技术"),
    ("510", "D", "Electronics and Communication Technology", "電子與通信技術", "电子与通信技术"),
    ("520", "D", "Computer Science and Technology", "計算機科學技術", "计算机科学技术"),
    ("530", "D", "Chemical Engineering", "化學工程", "化学工程"),
    (
        "535",
        "D",
        "Engineering and Technology related to Product Applications",
        "產品應用相關工程與技術",
        "产品应用相关工程与技术",
    ),
    ("540", "D", "Textile Science and Technology", "紡織科學技術", "纺织科学技术"),
    ("550", "D", "Food Science and Technology", "食品科學技術", "食品科学技术"),
    ("560", "D", "Civil Engineering and Architecture", "土木建築工程", "土木建筑工程"),
    ("570", "D", "Hydraulic Engineering", "水利工程", "水利工程"),
    ("580", "D", "Transportation Engineering", "交通運輸工程", "交通运输工程"),
    ("590", "D", "Aeronautics and Astronautics", "航空、航天科學技術", "航空、航天科学技术"),
    (
        "610",
        "D",
        "Environmental and Resource Science and Technology",
        "環境科學技術及資源科學技術",
        "环境科学技术及资源科学技术",
    ),
    ("620", "D", "Safety Science and Technology", "安全科學技術", "安全科学技术"),
    ("630", "D", "Management", "管理學", "管理学"),
    ("710", "E", "Marxism", "馬克思主義", "马克思主义"),
    ("720", "E", "Philosophy", "哲學", "哲学"),
    ("730", "E", "Religious Studies", "宗教學", "宗教学"),
    ("740", "E", "Linguistics", "語言學", "语言学"),
    ("750", "E", "Literature", "文學", "文学"),
    ("760", "E", "Arts", "藝術學", "艺术学"),
    ("770", "E", "History", "歷史學", "历史学"),
    ("780", "E", "Archaeology", "考古學", "考古学"),
    ("790", "E", "Economics", "經濟學", "经济学"),
    ("810", "E", "Political Science", "政治學", "政治学"),
    ("820", "E", "Law", "法學", "法学"),
    ("830", "E", "Military Science", "軍事學", "军事学"),
    ("840", "E", "Sociology", "社會學", "社会学"),
    ("850", "E", "Ethnology and Cultural Studies", "民族學與文化學", "民族学与文化学"),
    ("860", "E", "Journalism and Communication", "新聞學與傳播學", "新闻学与传播学"),
    (
        "870",
        "E",
        "Library, Information and Documentation Science",
        "圖書館、情報與文獻學",
        "图书馆、情报与文献学",
    ),
    ("880", "E", "Education", "教育學", "教育学"),
    ("890", "E", "Sports Science", "體育科學", "体育科学"),
    ("910", "E", "Statistics", "統計學", "统计学"),
]


SCHEMES = [
    {
        "code": "nsfc",
        "name_en": "NSFC application codes",
        "name_zh_hant": "國家自然科學基金申請代碼",
        "name_zh_hans": "国家自然科学基金申请代码",
        "version": "2021 (partial sample)",
        "codes": [
            *[
                {"code": c, "parent": None, "level": 1, "en": en, "zh_hant": h, "zh_hans": s}
                for c, en, h, s in NSFC_DEPARTMENTS
            ],
            *[
                {"code": c, "parent": c[0], "level": 2, "en": en, "zh_hant": h, "zh_hans": s}
                for c, en, h, s in NSFC_LEVEL2
            ],
        ],
    },
    {
        "code": "rgc-panel",
        "name_en": "RGC subject panels",
        "name_zh_hant": "研究資助局學科小組",
        "name_zh_hans": "研究资助局学科小组",
        "version": "current (Chinese names translated)",
        "codes": [
            {"code": c, "parent": p, "level": 2 if p else 1, "en": en, "zh_hant": h, "zh_hans": s}
            for c, p, en, h, s in RGC_PANELS
        ],
    },
    {
        "code": "gbt13745",
        "name_en": "GB/T 13745-2009 Classification and codes of disciplines (unofficial English names)",
        "name_zh_hant": "GB/T 13745-2009 學科分類與代碼",
        "name_zh_hans": "GB/T 13745-2009 学科分类与代码",
        "version": "2009, level 1 only; EN unofficial",
        "codes": [
            {"code": c, "parent": None, "level": 1, "en": en, "zh_hant": h, "zh_hans": s}
            for c, _group, en, h, s in GBT_LEVEL1
        ],
    },
]
