"""Research topics of the demo experts, each with the papers such an expert would have written.

The demo expert database (``experts.demo``) gives every expert one main topic and often a second
one from the same field, their papers from this table and the discipline codes of those topics, so a
search for "sodium-ion battery cathodes" finds battery chemists, not perovskite photovoltaics people.

The papers are invented for the demo (believable titles, abstracts of two to four sentences, years and
the journals such work appears in); they are not citations of real work. The topics include every
topic of the demo calls (``funding.demo_data.TOPICS``, same English wording) and a
few more that the demo's technology-transfer listings need (batteries, hydrogen).

AI topics may also take matching real paper titles and abstracts from the expertise gold standard
(``gold_terms`` against the gold titles; see ``experts.demo``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str
    year: int
    venue: str


@dataclass(frozen=True)
class Topic:
    key: str
    family: str  # the demo's theme family: ai, biotech, materials, marine, management
    name: str  # English; equal to the demo call topic when there is one
    keywords: tuple[str, ...]
    keywords_zh: tuple[str, ...]
    codes: tuple[tuple[str, str], ...]  # (classification scheme code, discipline code)
    papers: tuple[Paper, ...]
    gold_terms: tuple[str, ...] = ()  # lower-case words of matching gold-standard paper titles


def _codes(gbt: str, rgc: str, nsfc: str) -> tuple[tuple[str, str], ...]:
    return (
        *(("gbt13745", c) for c in gbt.split()),
        *(("rgc-panel", c) for c in rgc.split()),
        *(("nsfc", c) for c in nsfc.split()),
    )


P = Paper

TOPICS: tuple[Topic, ...] = (
    # ---------------------------------------------------------------- artificial intelligence
    Topic(
        key="federated-learning",
        family="ai",
        name="privacy-preserving federated learning over cross-boundary clinical data",
        keywords=("federated learning", "differential privacy", "medical data"),
        keywords_zh=("聯邦學習", "隱私保護"),
        codes=_codes("520", "E", "F02 F06"),
        gold_terms=("federated", "privacy"),
        papers=(
            P(
                "Federated learning across hospital networks with heterogeneous electronic health records",
                "Hospitals in different jurisdictions cannot pool patient records, yet each holds too few "
                "cases of rare conditions to train a reliable model alone. We propose a federated "
                "learning protocol that aligns heterogeneous record schemas locally and shares only "
                "clipped model updates. On sepsis prediction across seven hospitals it comes within 1.8 "
                "AUROC points of centralised training.",
                2022,
                "npj Digital Medicine",
            ),
            P(
                "Differentially private aggregation for cross-silo federated learning",
                "Secure aggregation hides individual updates from the server but not from what the "
                "final model memorises. We combine secure aggregation with client-level differential "
                "privacy and a noise schedule adapted to the number of participating silos. The method "
                "keeps a privacy budget of epsilon 3 while losing under two points of accuracy on "
                "three clinical benchmarks.",
                2023,
                "IEEE Transactions on Information Forensics and Security",
            ),
            P(
                "Communication-efficient federated optimisation under non-IID client data",
                "Client data in federated learning are rarely identically distributed, which slows "
                "convergence and biases the global model. We analyse a drift-corrected local update "
                "with compressed gradients and prove its convergence rate. Experiments show a fourfold "
                "reduction in communication at equal accuracy.",
                2021,
                "Advances in Neural Information Processing Systems",
            ),
            P(
                "Auditing membership leakage in federated medical imaging models",
                "We measure how much a federated model trained on chest radiographs reveals about "
                "whether a patient's image was used in training. Membership-inference attacks succeed "
                "well above chance on small hospitals. Per-client clipping and differential privacy "
                "bring the attack to chance level at a modest cost in accuracy.",
                2024,
                "Medical Image Analysis",
            ),
        ),
    ),
    Topic(
        key="bilingual-llm",
        family="ai",
        name="trustworthy large language models for bilingual public services",
        keywords=("large language model", "trustworthy AI", "Cantonese"),
        keywords_zh=("大語言模型", "可信人工智能"),
        codes=_codes("520", "E", "F06 F02"),
        gold_terms=("language model",),
        papers=(
            P(
                "Evaluating large language models on Cantonese and Traditional Chinese public-service queries",
                "Public services in Hong Kong receive questions in Cantonese, Standard Chinese and "
                "English, often mixed in one sentence. We release a benchmark of 12,000 real service "
                "queries with reference answers and evaluate open and commercial large language "
                "models on it. All models degrade markedly on colloquial Cantonese.",
                2024,
                "Proceedings of ACL",
            ),
            P(
                "Retrieval-grounded answering reduces hallucination in government chatbots",
                "Large language models answering questions about regulations invent plausible but "
                "wrong procedures. We ground generation in retrieved passages of official guidance "
                "and train the model to abstain when no passage supports an answer. Unsupported "
                "statements fall from 21% to 4% in a blind evaluation by civil servants.",
                2024,
                "Findings of EMNLP",
            ),
            P(
                "Calibrated uncertainty for bilingual large language models",
                "A trustworthy assistant should know when it does not know. We study the calibration "
                "of large language models across English and Chinese and find systematic "
                "overconfidence in the lower-resource language. Temperature scaling fitted per "
                "language halves the expected calibration error.",
                2023,
                "Transactions of the Association for Computational Linguistics",
            ),
            P(
                "Cantonese speech and text corpora for instruction tuning",
                "Instruction-tuned language models rarely see written Cantonese. We collect and "
                "license a corpus of transcribed speech, forum text and subtitles, and show that "
                "instruction tuning on it improves Cantonese answer quality without hurting Mandarin.",
                2025,
                "Proceedings of LREC-COLING",
            ),
        ),
    ),
    Topic(
        key="neuromorphic",
        family="ai",
        name="neuromorphic computing chips for low-power edge intelligence",
        keywords=("neuromorphic computing", "spiking neural network", "edge AI"),
        keywords_zh=("類腦計算", "脈衝神經網絡"),
        codes=_codes("510 520", "E", "F06 F04"),
        gold_terms=("spiking", "on the edge"),
        papers=(
            P(
                "A 28 nm spiking neural network processor with on-chip learning",
                "We present a neuromorphic processor in 28 nm CMOS that runs spiking neural networks "
                "with event-driven computation and local plasticity rules. It classifies keyword "
                "audio at 19 microwatts. On-chip learning adapts to a new speaker from ten samples.",
                2022,
                "IEEE Journal of Solid-State Circuits",
            ),
            P(
                "Surrogate-gradient training of deep spiking neural networks for edge vision",
                "Spiking neural networks are energy-efficient but hard to train. We propose a "
                "surrogate gradient with learnable slope and a spike-count regulariser that together "
                "reach near-ANN accuracy on event-camera gesture recognition with one tenth of the "
                "synaptic operations.",
                2023,
                "IEEE Transactions on Neural Networks and Learning Systems",
            ),
            P(
                "Memristor crossbars for in-memory neuromorphic computing",
                "Analogue memristor crossbars perform matrix-vector products where the weights are "
                "stored, avoiding the memory wall. We characterise device variability in a "
                "1-kilobit crossbar and propose a variation-aware mapping of spiking networks onto it.",
                2021,
                "Nature Electronics",
            ),
        ),
    ),
    Topic(
        key="retinopathy-ai",
        family="ai",
        name="multimodal AI for early diagnosis of diabetic retinopathy",
        keywords=("medical imaging", "deep learning", "diabetic retinopathy"),
        keywords_zh=("醫學影像", "深度學習"),
        codes=_codes("520 413", "E", "F06 F01"),
        gold_terms=("medical", "lesion", "retina"),
        papers=(
            P(
                "Deep learning detection of referable diabetic retinopathy from smartphone fundus photographs",
                "Screening for diabetic retinopathy in primary care is limited by access to fundus "
                "cameras. We train a convolutional network on 86,000 smartphone fundus photographs "
                "graded by ophthalmologists. It detects referable retinopathy with 92% sensitivity "
                "and 89% specificity in a prospective community study.",
                2021,
                "The Lancet Digital Health",
            ),
            P(
                "Fusing optical coherence tomography and fundus images for early retinopathy grading",
                "Early diabetic retinopathy changes retinal thickness before visible lesions appear. "
                "We fuse optical coherence tomography volumes with colour fundus photographs in a "
                "multimodal transformer. The fused model detects early disease a median of one year "
                "before fundus grading alone.",
                2023,
                "IEEE Transactions on Medical Imaging",
            ),
            P(
                "Domain shift in retinal image classifiers across camera vendors",
                "Retinal image classifiers trained on one camera lose accuracy on another. We "
                "quantify this domain shift across five vendors and show that test-time adaptation "
                "of normalisation layers recovers most of the loss without new labels.",
                2022,
                "Medical Image Analysis",
            ),
        ),
    ),
    Topic(
        key="traffic-twin",
        family="ai",
        name="digital-twin traffic management for Greater Bay Area cities",
        keywords=("digital twin", "smart mobility", "traffic"),
        keywords_zh=("數字孿生", "智慧交通"),
        codes=_codes("413 520", "E", "F03 F02"),
        gold_terms=("traffic",),
        papers=(
            P(
                "A city-scale digital twin for real-time traffic signal control",
                "We build a digital twin of 1,200 signalised junctions fed by loop detectors and "
                "video counts every 30 seconds. Reinforcement-learning signal plans are tested in the "
                "twin before deployment. A six-month field trial cut average peak-hour delay by 14%.",
                2023,
                "Transportation Research Part C",
            ),
            P(
                "Cross-boundary traffic forecasting with spatio-temporal graph networks",
                "Traffic on the bridges and checkpoints between Hong Kong and Shenzhen depends on "
                "holidays and border policies as much as on recent flows. We forecast it with a "
                "spatio-temporal graph network that takes calendar and policy features. Errors fall "
                "by a quarter compared with seasonal baselines.",
                2022,
                "IEEE Transactions on Intelligent Transportation Systems",
            ),
            P(
                "Calibrating microscopic traffic simulators from sparse probe-vehicle data",
                "Digital twins of road networks rely on simulators whose driver-behaviour parameters "
                "are rarely calibrated. We calibrate them from taxi GPS traces with Bayesian "
                "optimisation and show the calibrated twin reproduces observed congestion waves.",
                2021,
                "Transportation Research Part B",
            ),
        ),
    ),
    Topic(
        key="robust-vision",
        family="ai",
        name="adversarially robust computer vision for autonomous inspection",
        keywords=("adversarial robustness", "computer vision", "defect inspection"),
        keywords_zh=("對抗魯棒性", "計算機視覺"),
        codes=_codes("520", "E", "F06 F03"),
        gold_terms=("adversarial", "robust"),
        papers=(
            P(
                "Certified robustness of defect detectors for drone-based bridge inspection",
                "Drone inspection of bridges relies on vision models that small perturbations can "
                "fool. We certify robustness of a crack detector with randomised smoothing and "
                "report certified accuracy under realistic lighting and blur. Adversarial training "
                "with physical augmentations raises it by 17 points.",
                2023,
                "IEEE Transactions on Pattern Analysis and Machine Intelligence",
            ),
            P(
                "Physical adversarial patches against industrial visual inspection",
                "We show that printed patches placed on a production line make state-of-the-art "
                "surface-defect detectors miss defects. A patch-detection module trained with "
                "synthetic patches restores detection without slowing the line.",
                2022,
                "Proceedings of CVPR",
            ),
            P(
                "Robust semantic segmentation for tunnel lining inspection under domain shift",
                "Tunnel inspection images vary with lighting, dust and camera. We propose a "
                "consistency-regularised segmentation network that stays accurate under these shifts "
                "and under adversarial perturbations, validated on three metro lines.",
                2024,
                "Automation in Construction",
            ),
        ),
    ),
    Topic(
        key="gnn-buildings",
        family="ai",
        name="graph neural networks for building energy optimisation",
        keywords=("graph neural network", "building energy", "HVAC control"),
        keywords_zh=("圖神經網絡", "建築節能"),
        codes=_codes("520 413", "E", "F06 F03"),
        papers=(
            P(
                "Graph neural networks for zone-level building energy prediction",
                "Buildings are graphs of thermal zones connected by walls, ducts and shared plant. We "
                "predict zone-level cooling load with a graph neural network built from the building "
                "information model. Prediction error falls by 30% against zone-independent models in "
                "twelve commercial buildings.",
                2023,
                "Applied Energy",
            ),
            P(
                "Model predictive HVAC control with learned graph dynamics",
                "We use a learned graph model of a building's thermal dynamics inside model predictive "
                "control of the chillers and air handlers. In a year-long deployment in a Hong Kong "
                "office tower the controller saved 11% of HVAC electricity without comfort complaints.",
                2024,
                "Energy and Buildings",
            ),
            P(
                "Transfer learning of building energy models across a university campus",
                "New buildings lack the metering history to train energy models. We transfer graph "
                "neural network models between campus buildings with similar layouts and show that "
                "two weeks of data suffice for accurate energy prediction.",
                2022,
                "Building and Environment",
            ),
        ),
    ),
    # ---------------------------------------------------------------- biomedicine
    Topic(
        key="glp1",
        family="biotech",
        name="small-molecule GLP-1 receptor agonists for type 2 diabetes",
        keywords=("GLP-1 receptor", "type 2 diabetes", "drug discovery"),
        keywords_zh=("糖尿病", "藥物發現"),
        codes=_codes("350", "BM", "H30 H31"),
        papers=(
            P(
                "Discovery of orally bioavailable small-molecule GLP-1 receptor agonists",
                "Peptide GLP-1 receptor agonists treat type 2 diabetes but need injection or special "
                "formulation. We report a series of small-molecule agonists found by structure-based "
                "virtual screening and optimised for oral bioavailability. The lead lowers glucose "
                "excursions in diabetic mice at 3 mg/kg.",
                2022,
                "Journal of Medicinal Chemistry",
            ),
            P(
                "Biased agonism at the GLP-1 receptor and its effect on weight loss",
                "GLP-1 receptor agonists differ in how strongly they recruit beta-arrestin relative "
                "to G-protein signalling. We compare biased and balanced agonists in obese diabetic "
                "mice and find that G-protein-biased compounds give more weight loss with less nausea.",
                2023,
                "Cell Metabolism",
            ),
            P(
                "Cryo-EM structures of the GLP-1 receptor bound to non-peptide agonists",
                "We determine cryo-electron microscopy structures of the GLP-1 receptor with three "
                "non-peptide agonists. They occupy a pocket distinct from the peptide site, which "
                "explains species differences and guides the design of new type 2 diabetes drugs.",
                2021,
                "Nature",
            ),
        ),
    ),
    Topic(
        key="tcm-kidney",
        family="biotech",
        name="traditional Chinese medicine compounds against chronic kidney disease",
        keywords=("Chinese medicine", "chronic kidney disease", "natural products"),
        keywords_zh=("中藥", "慢性腎病"),
        codes=_codes("360 350", "BM", "H30 H31"),
        papers=(
            P(
                "Astragaloside IV attenuates renal fibrosis in models of chronic kidney disease",
                "Renal fibrosis is the common end point of chronic kidney disease. We show that "
                "astragaloside IV, a saponin from Astragalus membranaceus, reduces fibrosis in "
                "unilateral ureteral obstruction and adenine-diet models by inhibiting TGF-beta/Smad3 "
                "signalling.",
                2021,
                "Phytomedicine",
            ),
            P(
                "Network pharmacology of a classical Chinese medicine formula for diabetic kidney disease",
                "Chinese medicine formulas act on many targets at once. We combine network "
                "pharmacology, metabolomics and a randomised pilot trial to identify the active "
                "compounds of a classical formula and their targets in diabetic kidney disease. "
                "Proteinuria fell by 28% against placebo over 24 weeks.",
                2023,
                "Journal of Ethnopharmacology",
            ),
            P(
                "Quality control of herbal extracts by fingerprinting and quantitative markers",
                "Batch variability limits clinical research on herbal medicines. We develop an "
                "HPLC-MS fingerprinting method with quantified marker compounds for a kidney-protective "
                "herbal extract and validate it across 40 production batches.",
                2020,
                "Journal of Pharmaceutical and Biomedical Analysis",
            ),
        ),
    ),
    Topic(
        key="mrna-lnp",
        family="biotech",
        name="mRNA-lipid nanoparticle delivery for hypercholesterolaemia",
        keywords=("mRNA", "lipid nanoparticle", "cardiovascular"),
        keywords_zh=("mRNA", "脂質納米顆粒"),
        codes=_codes("350 180", "BM", "H30 C05"),
        papers=(
            P(
                "Ionisable lipid libraries for liver-targeted mRNA delivery",
                "The ionisable lipid determines the potency and tolerability of lipid nanoparticles. "
                "We synthesise a library of 300 biodegradable ionisable lipids and screen them for "
                "hepatocyte mRNA delivery in mice. The best lipid is five times more potent than the "
                "clinical benchmark.",
                2022,
                "Nature Biomedical Engineering",
            ),
            P(
                "Base editing of PCSK9 delivered by lipid nanoparticles lowers LDL cholesterol",
                "A single infusion of lipid nanoparticles carrying base-editor mRNA and guide RNA "
                "inactivates PCSK9 in the liver. LDL cholesterol falls by 60% in non-human primates "
                "and stays low for a year, suggesting a one-time treatment for familial "
                "hypercholesterolaemia.",
                2024,
                "Circulation",
            ),
            P(
                "Lyophilised mRNA-lipid nanoparticles stable at refrigerator temperature",
                "Cold-chain needs limit the reach of mRNA medicines. We identify cryoprotectant and "
                "buffer conditions under which freeze-dried mRNA-lipid nanoparticles keep their "
                "potency for six months at 4 degrees Celsius.",
                2023,
                "Journal of Controlled Release",
            ),
        ),
    ),
    Topic(
        key="liver-organoids",
        family="biotech",
        name="organoid models for drug screening in chronic liver disease",
        keywords=("organoid", "liver disease", "drug screening"),
        keywords_zh=("類器官", "藥物篩選"),
        codes=_codes("180 310", "BM", "C07 H03"),
        papers=(
            P(
                "Patient-derived liver organoids model non-alcoholic steatohepatitis",
                "We derive liver organoids from biopsies of patients with non-alcoholic "
                "steatohepatitis and show they keep lipid accumulation, inflammation and early "
                "fibrosis in culture. Drug responses in the organoids correlated with the donors' "
                "clinical responses.",
                2022,
                "Hepatology",
            ),
            P(
                "High-throughput drug screening in multicellular liver organoids",
                "Hepatocyte-only organoids miss the stellate and immune cells that drive fibrosis. We "
                "build multicellular liver organoids in 384-well format and screen 2,000 approved "
                "drugs, finding eleven anti-fibrotic candidates.",
                2023,
                "Cell Stem Cell",
            ),
            P(
                "Organoid-based prediction of drug-induced liver injury",
                "Drug-induced liver injury is a leading cause of late drug failure. Liver organoids "
                "from 25 donors predicted the hepatotoxicity of 150 reference drugs with 88% accuracy, "
                "better than primary hepatocyte assays.",
                2021,
                "Journal of Hepatology",
            ),
        ),
    ),
    Topic(
        key="antibody-design",
        family="biotech",
        name="AI-guided antibody engineering for rheumatoid arthritis",
        keywords=("antibody engineering", "rheumatoid arthritis", "protein design"),
        keywords_zh=("抗體工程", "蛋白質設計"),
        codes=_codes("180 350", "BM", "C05 H31"),
        papers=(
            P(
                "Machine-learning-guided affinity maturation of therapeutic antibodies",
                "Affinity maturation by directed evolution is slow. We train a protein language model "
                "on antibody repertoires and use it to propose mutations, reaching a hundredfold "
                "affinity gain against interleukin-6 receptor in two design rounds.",
                2023,
                "Nature Communications",
            ),
            P(
                "A bispecific antibody against TNF and IL-17 for rheumatoid arthritis",
                "Patients with rheumatoid arthritis who fail anti-TNF therapy often have IL-17-driven "
                "disease. We engineer a bispecific antibody neutralising both cytokines and show "
                "better joint protection than either antibody alone in collagen-induced arthritis.",
                2022,
                "Annals of the Rheumatic Diseases",
            ),
            P(
                "Computational design of antibody developability",
                "Aggregation and viscosity stop many antibodies in development. We predict these "
                "developability properties from sequence and structure and redesign surface patches, "
                "cutting aggregation of three clinical candidates without loss of binding.",
                2024,
                "mAbs",
            ),
        ),
    ),
    # ---------------------------------------------------------------- materials and energy
    Topic(
        key="sodium-ion",
        family="materials",
        name="layered oxide cathodes for sodium-ion batteries",
        keywords=("sodium-ion battery", "cathode", "energy storage"),
        keywords_zh=("鈉離子電池", "正極材料"),
        codes=_codes("430 480", "E-MCM", "B05 E02"),
        papers=(
            P(
                "Suppressing the P2–O2 phase transition in layered oxide cathodes for sodium-ion batteries",
                "P2-type layered oxide cathodes for sodium-ion batteries lose capacity when they "
                "transform to the O2 phase at high voltage. Co-doping with magnesium and titanium pins "
                "the transition-metal layers and suppresses the transition. The doped cathodes keep "
                "91% of their capacity after 1,000 cycles at 1C.",
                2022,
                "Advanced Energy Materials",
            ),
            P(
                "Air-stable O3-type cathodes for practical sodium-ion batteries",
                "O3-type sodium layered oxides degrade in humid air, which complicates electrode "
                "manufacturing. A thin surface layer of sodium phosphate formed during calcination "
                "makes the cathodes stable in air for a month. Pouch cells with hard-carbon anodes "
                "reach 145 Wh/kg.",
                2023,
                "ACS Energy Letters",
            ),
            P(
                "Anionic redox in sodium-rich manganese oxide cathodes",
                "Oxygen redox could raise the capacity of sodium-ion battery cathodes beyond what "
                "transition metals alone provide. Using resonant inelastic X-ray scattering we follow "
                "oxygen redox in sodium-rich manganese oxides and identify the local structures that "
                "keep it reversible.",
                2021,
                "Nature Energy",
            ),
            P(
                "Prussian blue analogue cathodes for low-cost grid storage with sodium-ion batteries",
                "Prussian blue analogues are cheap, iron-based sodium-ion battery cathodes whose "
                "lattice water limits their cycle life. A low-temperature synthesis that removes "
                "lattice water gives 160 mAh/g and 2,000 stable cycles in full cells for grid energy "
                "storage.",
                2024,
                "Energy Storage Materials",
            ),
        ),
    ),
    Topic(
        key="solid-state-lithium",
        family="materials",
        name="solid-state electrolytes for safer lithium batteries",
        keywords=("solid-state battery", "solid electrolyte", "lithium metal anode"),
        keywords_zh=("固態電池", "固態電解質"),
        codes=_codes("430 480", "E-MCM", "B05 E13"),
        papers=(
            P(
                "Suppressing lithium dendrites in garnet solid electrolytes by interface engineering",
                "Lithium dendrites grow through garnet solid electrolytes along grain boundaries and "
                "short-circuit the battery. A thin lithiophilic interlayer lowers the interfacial "
                "resistance tenfold and raises the critical current density to 1.5 mA/cm2.",
                2022,
                "Joule",
            ),
            P(
                "Sulfide solid electrolytes with high ionic conductivity and moisture stability",
                "Sulfide solid electrolytes conduct lithium ions as well as liquids but release "
                "hydrogen sulfide in air. Oxygen substitution keeps their ionic conductivity above 5 "
                "mS/cm while cutting hydrogen sulfide release by 90%, simplifying the manufacture of "
                "all-solid-state batteries.",
                2023,
                "Journal of the American Chemical Society",
            ),
            P(
                "Ceramic-polymer composite electrolytes for safe lithium metal batteries",
                "Composite electrolytes combine the flexibility of polymers with the conductivity of "
                "ceramic fillers. We align ceramic nanowires in a polymer matrix to create continuous "
                "ion pathways. Lithium metal pouch cells pass nail-penetration tests without thermal "
                "runaway.",
                2021,
                "Advanced Materials",
            ),
            P(
                "Chemo-mechanical failure of cathode interfaces in all-solid-state lithium batteries",
                "Cathode particles in all-solid-state batteries lose contact with the solid "
                "electrolyte as they swell and shrink. X-ray tomography during cycling shows where "
                "cracks form, and a compliant coating halves the capacity fade.",
                2024,
                "Nature Materials",
            ),
        ),
    ),
    Topic(
        key="perovskite-tandem",
        family="materials",
        name="perovskite-silicon tandem solar cells with long-term stability",
        keywords=("perovskite", "tandem solar cell", "photovoltaic stability"),
        keywords_zh=("鈣鈦礦", "疊層電池"),
        codes=_codes("430 480", "PS", "E02 F05"),
        papers=(
            P(
                "Perovskite-silicon tandem solar cells with 31% efficiency and improved operational stability",
                "We combine a wide-bandgap perovskite top cell with a textured silicon heterojunction "
                "bottom cell. A self-assembled monolayer hole contact and a passivated perovskite "
                "surface give a certified 31.2% power conversion efficiency, and the tandem solar "
                "cells keep 95% of it after 1,000 hours of operation.",
                2024,
                "Nature Energy",
            ),
            P(
                "Suppressing halide segregation in wide-bandgap perovskites",
                "Mixed iodide-bromide perovskites segregate into iodide-rich domains under light, "
                "lowering the voltage of tandem top cells. Strain relaxation with a cation additive "
                "suppresses halide segregation and stabilises a 1.68 eV bandgap perovskite under "
                "one-sun illumination.",
                2022,
                "Joule",
            ),
            P(
                "Outdoor degradation of perovskite photovoltaic modules in a subtropical climate",
                "Laboratory ageing tests do not reproduce the heat, humidity and ultraviolet light of "
                "subtropical roofs. We monitored encapsulated perovskite modules outdoors in Hong Kong "
                "for two years and relate their degradation to damp-heat and light-soaking tests.",
                2023,
                "Energy & Environmental Science",
            ),
            P(
                "Scalable blade coating of perovskite films for large-area solar modules",
                "Spin coating does not scale to modules. We develop a blade-coating process with a "
                "volatile solvent mixture that forms uniform perovskite films over 800 square "
                "centimetres, giving minimodules of 20% efficiency.",
                2021,
                "Advanced Materials",
            ),
        ),
    ),
    Topic(
        key="gan-power",
        family="materials",
        name="gallium nitride power devices for electric-vehicle chargers",
        keywords=("GaN", "power electronics", "electric vehicle charger"),
        keywords_zh=("氮化鎵", "功率器件"),
        codes=_codes("510 470", "E", "F04 E07"),
        papers=(
            P(
                "Normally-off GaN HEMTs with p-GaN gates for high-frequency power conversion",
                "Power converters need normally-off transistors for safe operation. We fabricate "
                "p-GaN gate high-electron-mobility transistors with a threshold voltage of 2.1 V and "
                "low dynamic on-resistance, and demonstrate a 1 MHz converter at 98.6% efficiency.",
                2021,
                "IEEE Electron Device Letters",
            ),
            P(
                "A 22 kW GaN-based on-board charger for electric vehicles",
                "Gallium nitride transistors switch faster than silicon ones and allow smaller "
                "magnetics. We design a bidirectional 22 kW on-board charger with GaN devices and "
                "reach a power density of 6 kW/L at 97% peak efficiency.",
                2023,
                "IEEE Transactions on Power Electronics",
            ),
            P(
                "Dynamic on-resistance and current collapse in GaN power transistors",
                "Trapped charge raises the on-resistance of GaN transistors after high-voltage "
                "switching. We measure current collapse under hard and soft switching and identify "
                "buffer traps as the cause, guiding epitaxial design.",
                2022,
                "IEEE Transactions on Electron Devices",
            ),
        ),
    ),
    Topic(
        key="sic-mosfet",
        family="materials",
        name="silicon carbide MOSFET reliability under high temperature",
        keywords=("SiC", "MOSFET", "reliability"),
        keywords_zh=("碳化硅", "可靠性"),
        codes=_codes("510 430", "E", "F04 E13"),
        papers=(
            P(
                "Threshold-voltage instability of SiC MOSFETs under high-temperature gate bias",
                "Silicon carbide MOSFETs suffer threshold-voltage drift from traps at the gate-oxide "
                "interface. High-temperature gate-bias tests at 175 degrees Celsius separate "
                "recoverable and permanent drift and give a model for lifetime prediction.",
                2022,
                "IEEE Transactions on Electron Devices",
            ),
            P(
                "Short-circuit ruggedness of 1.2 kV silicon carbide MOSFETs",
                "Silicon carbide devices have small dies and can fail within microseconds of a short "
                "circuit. We study failure mechanisms of 1.2 kV SiC MOSFETs from four vendors and "
                "propose a gate-driver protection scheme that acts within 1.5 microseconds.",
                2021,
                "IEEE Transactions on Power Electronics",
            ),
            P(
                "Nitridation of the SiC/SiO2 interface for reliable MOSFET gate oxides",
                "Interface traps limit the channel mobility and reliability of SiC MOSFETs. Post-"
                "oxidation annealing in nitric oxide with a controlled ramp reduces interface trap "
                "density and extends time-dependent dielectric breakdown lifetime.",
                2023,
                "Applied Physics Letters",
            ),
        ),
    ),
    Topic(
        key="micro-led",
        family="materials",
        name="micro-LED displays with quantum-dot colour conversion",
        keywords=("micro-LED", "quantum dot", "display"),
        keywords_zh=("Micro-LED", "量子點"),
        codes=_codes("510 430", "PS", "F05 F04"),
        papers=(
            P(
                "Quantum-dot colour conversion layers for full-colour micro-LED displays",
                "Full-colour micro-LED displays are hard to make by transferring red, green and blue "
                "chips. We print quantum-dot colour conversion layers on blue micro-LED arrays with "
                "photolithography and reach 5 micrometre pixels with 95% colour-conversion "
                "efficiency.",
                2022,
                "Light: Science & Applications",
            ),
            P(
                "Sidewall passivation to recover the efficiency of small micro-LEDs",
                "Micro-LED efficiency drops as pixels shrink because of sidewall recombination. "
                "Atomic-layer-deposited passivation after chemical treatment doubles the external "
                "quantum efficiency of 5 micrometre InGaN micro-LEDs.",
                2021,
                "ACS Photonics",
            ),
            P(
                "Photostable indium phosphide quantum dots for micro-LED colour conversion",
                "Quantum dots in colour conversion layers bleach under the intense blue light of "
                "micro-LEDs. Thick-shell indium phosphide quantum dots keep 90% of their emission "
                "after 1,000 hours at high flux.",
                2024,
                "Advanced Optical Materials",
            ),
        ),
    ),
    Topic(
        key="additive-manufacturing",
        family="materials",
        name="low-carbon additive manufacturing of lightweight alloys",
        keywords=("additive manufacturing", "lightweight alloy", "low carbon"),
        keywords_zh=("增材製造", "輕量化合金"),
        codes=_codes("430 460", "E-MCM", "E01 E13"),
        papers=(
            P(
                "Laser powder-bed fusion of high-strength aluminium alloys without hot cracking",
                "High-strength aluminium alloys crack during laser powder-bed fusion. Adding "
                "zirconium-based nucleants refines the grains and eliminates hot cracking, giving "
                "printed parts with 500 MPa tensile strength.",
                2021,
                "Additive Manufacturing",
            ),
            P(
                "Life-cycle carbon footprint of additively manufactured titanium components",
                "Additive manufacturing saves material but uses energy-intensive powder. We compare "
                "the life-cycle carbon emissions of aircraft brackets made by powder-bed fusion, "
                "directed energy deposition and machining, and show when printing is the low-carbon "
                "option.",
                2023,
                "Journal of Cleaner Production",
            ),
            P(
                "Recycled powder reuse in additive manufacturing of magnesium alloys",
                "Reusing unmelted powder cuts the cost and carbon of additive manufacturing, but "
                "oxygen pick-up degrades the alloy. We track powder chemistry over ten reuse cycles "
                "of a lightweight magnesium alloy and set limits for safe reuse.",
                2024,
                "Materials & Design",
            ),
        ),
    ),
    Topic(
        key="bio-textiles",
        family="materials",
        name="recyclable textile fibres from bio-based polymers",
        keywords=("bio-based polymer", "recycling", "textile fibre"),
        keywords_zh=("生物基高分子", "紡織纖維"),
        codes=_codes("430", "E-MCM", "E03 B05"),
        papers=(
            P(
                "Melt-spun polylactide fibres with improved heat resistance for apparel",
                "Polylactide fibres soften at ironing temperatures. Stereocomplex crystallisation "
                "during melt spinning raises their heat resistance to 200 degrees Celsius, making "
                "bio-based polylactide textiles practical for apparel.",
                2022,
                "Textile Research Journal",
            ),
            P(
                "Chemical recycling of blended polyester-cotton textiles",
                "Blended textiles are rarely recycled because their fibres are hard to separate. A "
                "mild glycolysis process depolymerises the polyester and recovers the cotton cellulose "
                "for regenerated fibres.",
                2023,
                "Green Chemistry",
            ),
            P(
                "Bio-based polyamide fibres from castor oil with closed-loop recyclability",
                "Polyamide 11 made from castor oil is fully bio-based but rarely recycled. We spin "
                "polyamide 11 textile fibres and show they can be depolymerised and respun three "
                "times without loss of tensile strength.",
                2024,
                "ACS Sustainable Chemistry & Engineering",
            ),
        ),
    ),
    Topic(
        key="power-ic",
        family="materials",
        name="wide-bandgap power integrated circuits for data centres",
        keywords=("power IC", "wide bandgap", "data centre power supply"),
        keywords_zh=("功率集成電路", "寬禁帶"),
        codes=_codes("510 470", "E", "F04 F01"),
        papers=(
            P(
                "Monolithic GaN power integrated circuits with integrated gate drivers",
                "Parasitic inductance between driver and transistor limits switching speed. We "
                "integrate gate drivers, level shifters and protection with GaN power transistors "
                "on one chip and switch at 5 MHz with clean waveforms.",
                2022,
                "IEEE Journal of Solid-State Circuits",
            ),
            P(
                "48 V to 1 V power delivery for data-centre processors with wide-bandgap devices",
                "Data-centre servers are moving to 48 V distribution, which needs efficient "
                "conversion to processor voltages. A two-stage converter with wide-bandgap switches "
                "reaches 91% efficiency at 500 A.",
                2023,
                "IEEE Transactions on Power Electronics",
            ),
            P(
                "Thermal co-design of packaged power integrated circuits",
                "Hot spots limit the current a power IC can deliver. Coupled electro-thermal "
                "simulation guides a layout and package co-design that lowers peak junction "
                "temperature by 18 degrees Celsius.",
                2021,
                "IEEE Transactions on Components, Packaging and Manufacturing Technology",
            ),
        ),
    ),
    Topic(
        key="green-hydrogen",
        family="materials",
        name="electrocatalysts for green hydrogen production",
        keywords=("water electrolysis", "electrocatalyst", "green hydrogen"),
        keywords_zh=("電解水", "綠色氫能"),
        codes=_codes("430 480", "PS", "B02 B05"),
        papers=(
            P(
                "Iridium-lean anodes for proton-exchange-membrane water electrolysis",
                "Proton-exchange-membrane electrolysers depend on scarce iridium at the anode. We "
                "disperse iridium oxide on a conductive ceramic support, cutting iridium loading "
                "tenfold while keeping 1.8 V at 2 A/cm2 for 2,000 hours.",
                2023,
                "Nature Catalysis",
            ),
            P(
                "Nickel-iron layered double hydroxides for alkaline oxygen evolution in seawater",
                "Direct seawater electrolysis would avoid desalination but chloride corrodes the "
                "anode. A sulfate-rich protective layer on nickel-iron hydroxide electrocatalysts "
                "blocks chloride and gives stable hydrogen production for 1,000 hours.",
                2022,
                "Energy & Environmental Science",
            ),
            P(
                "Operando spectroscopy of active sites in cobalt-based water-splitting catalysts",
                "The active sites of cobalt-based electrocatalysts form only under working "
                "conditions. We follow cobalt oxidation states during oxygen evolution with operando "
                "X-ray absorption spectroscopy and relate the active phase to electrocatalytic "
                "activity for water splitting.",
                2021,
                "Journal of the American Chemical Society",
            ),
        ),
    ),
    # ---------------------------------------------------------------- marine and environment
    Topic(
        key="microplastics",
        family="marine",
        name="microplastic transport in the Pearl River Estuary",
        keywords=("microplastics", "estuary", "pollution"),
        keywords_zh=("微塑料", "河口"),
        codes=_codes("610 170", "PS", "D06 D07"),
        papers=(
            P(
                "Seasonal microplastic fluxes from the Pearl River to the South China Sea",
                "We sampled surface water and sediment at eight outlets of the Pearl River through wet "
                "and dry seasons. Microplastic fluxes to the sea peak in the monsoon, when fibres and "
                "fragments from urban runoff dominate.",
                2021,
                "Water Research",
            ),
            P(
                "Modelling microplastic transport and deposition in a stratified estuary",
                "A three-dimensional hydrodynamic model with particle tracking shows that estuarine "
                "stratification traps sinking microplastics near the salt wedge. The predicted "
                "accumulation zones match sediment cores.",
                2023,
                "Environmental Science & Technology",
            ),
            P(
                "Microplastic ingestion by commercially important fish in the Pearl River Estuary",
                "Microplastics were found in the digestive tracts of 62% of fish sampled from markets "
                "around the estuary. Ingestion relates to feeding habit more than to pollution level "
                "at the catch site.",
                2022,
                "Marine Pollution Bulletin",
            ),
        ),
    ),
    Topic(
        key="coral-reefs",
        family="marine",
        name="coral reef resilience under marine heatwaves in the South China Sea",
        keywords=("coral reef", "marine heatwave", "climate change"),
        keywords_zh=("珊瑚礁", "海洋熱浪"),
        codes=_codes("170 610", "PS", "D06 E11"),
        papers=(
            P(
                "Coral bleaching thresholds during marine heatwaves in the South China Sea",
                "Satellite sea-surface temperatures and reef surveys from 2014 to 2022 show that "
                "bleaching in the northern South China Sea begins at lower heat stress than the "
                "global threshold predicts. Turbid inshore reefs bleached less.",
                2023,
                "Global Change Biology",
            ),
            P(
                "Heat-tolerant symbionts and the recovery of subtropical coral communities",
                "Corals hosting heat-tolerant Durusdinium symbionts survived a marine heatwave in Hong "
                "Kong waters and recovered within a year, while others died. Symbiont shuffling may "
                "buy subtropical reefs time under warming.",
                2022,
                "Coral Reefs",
            ),
            P(
                "Forecasting marine heatwaves for coral reef management",
                "Reef managers can shade or relocate corals only if they know a heatwave is coming. "
                "We forecast marine heatwaves a month ahead with an ensemble of ocean models and show "
                "that the forecasts would have given managers three weeks' warning of recent coral "
                "bleaching events.",
                2024,
                "Nature Climate Change",
            ),
        ),
    ),
    # ---------------------------------------------------------------- management
    Topic(
        key="supply-chain",
        family="management",
        name="cross-boundary supply-chain resilience after disruptions",
        keywords=("supply chain", "resilience", "operations management"),
        keywords_zh=("供應鏈", "韌性"),
        codes=_codes("630", "BS", "G01 G02"),
        papers=(
            P(
                "Supply-chain resilience of Greater Bay Area manufacturers after border closures",
                "Border closures between 2020 and 2022 disrupted supply chains crossing Hong Kong and "
                "the Mainland. A survey of 420 manufacturers shows that supplier diversification and "
                "digital visibility, not inventory buffers, explained faster recovery.",
                2023,
                "Journal of Operations Management",
            ),
            P(
                "Optimal inventory pre-positioning under correlated logistics disruptions",
                "Ports, airports and border crossings in one region often close together, for "
                "example in a typhoon. We model a supply chain whose logistics routes fail together "
                "and derive inventory pre-positioning policies that are robust to such correlated "
                "disruptions.",
                2022,
                "Manufacturing & Service Operations Management",
            ),
            P(
                "Dual sourcing and recovery time in electronics supply chains",
                "Dual sourcing protects against supplier failure but costs money in normal times. "
                "Using shipment data from 300 electronics firms, we estimate how much dual sourcing "
                "shortens supply-chain recovery after disruptions and when its cost is justified.",
                2021,
                "Production and Operations Management",
            ),
        ),
    ),
    Topic(
        key="innovation-policy",
        family="management",
        name="innovation policy and technology transfer in the Greater Bay Area",
        keywords=("innovation policy", "technology transfer", "university-industry collaboration"),
        keywords_zh=("創新政策", "技術轉移"),
        codes=_codes("630 790", "HSS-SS", "G04 G01"),
        papers=(
            P(
                "University technology transfer offices and start-up formation in Hong Kong",
                "We link patent, licensing and company-registry data for Hong Kong universities "
                "from 2010 to 2022. Technology transfer offices with proof-of-concept funds spun out "
                "twice as many start-ups per research dollar.",
                2023,
                "Research Policy",
            ),
            P(
                "Cross-boundary research funding and co-authorship in the Greater Bay Area",
                "Joint funding schemes aim to connect scientists across the boundary. A "
                "difference-in-differences analysis shows that funded teams co-author and co-patent "
                "more in the five years after an award than comparable unfunded applicants.",
                2024,
                "Science and Public Policy",
            ),
            P(
                "Regional innovation policy mixes and firm R&D investment",
                "Cities in the Greater Bay Area combine tax credits, grants and innovation vouchers "
                "in different ways. Using firm panel data, we find that vouchers draw small firms "
                "into first-time R&D while tax credits mostly raise spending by firms already doing "
                "it.",
                2022,
                "Technological Forecasting and Social Change",
            ),
        ),
    ),
)

BY_KEY: dict[str, Topic] = {t.key: t for t in TOPICS}
TOPIC_OF_TITLE: dict[str, Topic] = {p.title: t for t in TOPICS for p in t.papers}


def topics_of(family: str) -> list[Topic]:
    return [t for t in TOPICS if t.family == family]


def all_codes() -> set[tuple[str, str]]:
    return {c for t in TOPICS for c in t.codes}


# A demo expert's second topic is a neighbour of the first (same family), so profiles stay coherent:
# a battery chemist may also work on hydrogen, not on diabetic retinopathy.
RELATED: dict[str, tuple[str, ...]] = {
    "federated-learning": ("bilingual-llm", "retinopathy-ai", "robust-vision"),
    "bilingual-llm": ("federated-learning", "robust-vision"),
    "neuromorphic": ("robust-vision", "gnn-buildings"),
    "retinopathy-ai": ("federated-learning", "robust-vision"),
    "traffic-twin": ("gnn-buildings", "robust-vision"),
    "robust-vision": ("retinopathy-ai", "traffic-twin", "bilingual-llm"),
    "gnn-buildings": ("traffic-twin", "neuromorphic"),
    "glp1": ("mrna-lnp", "antibody-design", "tcm-kidney"),
    "tcm-kidney": ("glp1", "liver-organoids"),
    "mrna-lnp": ("glp1", "antibody-design"),
    "liver-organoids": ("tcm-kidney", "mrna-lnp"),
    "antibody-design": ("mrna-lnp", "glp1"),
    "sodium-ion": ("solid-state-lithium", "green-hydrogen"),
    "solid-state-lithium": ("sodium-ion",),
    "perovskite-tandem": ("micro-led", "green-hydrogen"),
    "gan-power": ("sic-mosfet", "power-ic"),
    "sic-mosfet": ("gan-power", "power-ic"),
    "micro-led": ("perovskite-tandem", "gan-power"),
    "additive-manufacturing": ("bio-textiles",),
    "bio-textiles": ("additive-manufacturing",),
    "power-ic": ("gan-power", "sic-mosfet"),
    "green-hydrogen": ("sodium-ion", "perovskite-tandem"),
    "microplastics": ("coral-reefs",),
    "coral-reefs": ("microplastics",),
    "supply-chain": ("innovation-policy",),
    "innovation-policy": ("supply-chain",),
}
