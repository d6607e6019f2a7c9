"""Crosswalk between NSFC application codes and RGC subject panels: where a Mainland expert's codes and
a Hong Kong proposal's panel meet.

Provenance [P]: built by us for ScienceBridge from the names and remits of the two classifications in
``classifications.py`` (NSFC 2021 "level-1" codes; RGC subject panels as described on
https://www.ugc.edu.hk/eng/ugc/faq/q301.html). Neither agency publishes a crosswalk that we found [U].
Confidence: 1.0 = the NSFC code's field lies within the panel's remit; 0.5 = it belongs partly to
that panel (e.g. psychology under life sciences at NSFC, under Psychology & Linguistics at the RGC).
Review and extend it as data; every link is (NSFC code, RGC panel code, confidence, note).
A link at an NSFC code applies to every code below it (``F02`` covers ``F0201``).
"""

PROVENANCE = (
    "ScienceBridge's own mapping from the names and remits of NSFC application codes (2021) and RGC "
    "subject panels; not an official crosswalk."
)

# (NSFC code, RGC panel, confidence, note)
NSFC_TO_RGC = [
    # Mathematical and physical sciences → Physical Sciences panel
    ("A01", "PS", 1.0, "mathematics"),
    ("A02", "PS", 0.5, "mechanics: physics side"),
    ("A02", "E-MCM", 0.5, "mechanics: engineering side"),
    ("A03", "PS", 1.0, "astronomy"),
    ("A04", "PS", 1.0, "physics"),
    ("A05", "PS", 1.0, "physics"),
    # Chemistry → Physical Sciences; chemical and materials engineering → Engineering
    *[(c, "PS", 1.0, "chemistry") for c in ("B01", "B02", "B03", "B04", "B05", "B06", "B07")],
    ("B05", "E-MCM", 0.5, "materials chemistry"),
    ("B08", "E", 1.0, "chemical engineering"),
    ("B08", "PS", 0.5, "industrial chemistry"),
    # Life sciences → Biology & Medicine
    *[
        (c, "BM", 1.0, "life sciences")
        for c in ("C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C11", "C12")
    ],
    ("C09", "HSS-PL", 0.5, "psychology"),
    ("C13", "BM", 0.5, "agronomy"),
    ("C20", "BM", 0.5, "food science"),
    ("C20", "E", 0.5, "food engineering"),
    # Earth sciences → Physical Sciences
    ("D01", "PS", 0.5, "physical geography"),
    ("D01", "HSS-SS", 0.5, "human geography"),
    *[(c, "PS", 1.0, "earth sciences") for c in ("D02", "D03", "D04", "D05", "D06", "D07")],
    # Engineering and materials → Engineering (and its Mechanical, Civil & Materials sub-panel)
    *[
        (c, p, 1.0, "materials, mechanical and civil engineering")
        for c in ("E01", "E02", "E03", "E05", "E08", "E13")
        for p in ("E", "E-MCM")
    ],
    ("E04", "E-MCM", 0.5, "mining and metallurgy"),
    ("E06", "E", 1.0, "energy"),
    ("E07", "E", 1.0, "electrical engineering"),
    ("E09", "E-MCM", 0.5, "hydraulic engineering"),
    ("E10", "E", 1.0, "environmental engineering"),
    ("E11", "E", 0.5, "ocean engineering"),
    ("E12", "E", 0.5, "transportation"),
    ("E12", "E-MCM", 0.5, "vehicle engineering"),
    # Information sciences → Engineering (computing, electronic and information engineering)
    *[
        (c, "E", 1.0, "information sciences")
        for c in ("F01", "F02", "F03", "F04", "F05", "F06", "F07")
    ],
    ("F05", "PS", 0.5, "optics"),
    # Management sciences → Business Studies; policy → Social Sciences
    ("G01", "BS", 1.0, "management science"),
    ("G01", "E", 0.5, "industrial engineering"),
    ("G02", "BS", 1.0, "business administration"),
    ("G03", "BS", 1.0, "economics"),
    ("G03", "HSS-SS", 0.5, "economics"),
    ("G04", "HSS-SS", 1.0, "public policy"),
    ("G04", "BS", 0.5, "public management"),
    # Health sciences → Biology & Medicine
    *[
        (c, "BM", 1.0, "medicine")
        for c in ("H01", "H02", "H03", "H09", "H10", "H16", "H18", "H30", "H31")
    ],
    ("H18", "E", 0.5, "biomedical engineering"),
]
