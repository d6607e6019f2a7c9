import re

import numpy as np
import pytest

from matching.affinity import (
    AffinityScorer,
    CodeIndex,
    Crosswalk,
    CrosswalkLink,
    ExpertProfile,
    Paper,
    Proposal,
    ScorerConfig,
)

WALK = Crosswalk(
    [
        ("NSFC:F02", "RGC-PANEL:E", 1.0),
        ("NSFC:E01", "RGC-PANEL:E-MCM", 1.0),
        ("NSFC:C09", "RGC-PANEL:HSS-PL", 0.5),
    ]
)


def test_a_link_applies_to_deeper_codes_and_both_ways():
    assert WALK.expand(["NSFC:F0201"]) == {"RGC-PANEL:E": 1.0}
    assert WALK.expand(["rgc-panel:E"]) == {"NSFC:F02": 1.0}
    assert WALK.expand(["NSFC:F03"]) == {}  # a sibling of the linked code is not linked
    assert WALK.expand(["NSFC:C0901", "NSFC:F02"]) == {"RGC-PANEL:HSS-PL": 0.5, "RGC-PANEL:E": 1.0}


def test_codes_already_held_are_not_expanded_again():
    assert WALK.expand(["NSFC:F02", "RGC-PANEL:E"]) == {}


@pytest.mark.parametrize(
    "link, message",
    [
        (("F02", "RGC-PANEL:E", 1.0), "need their scheme"),
        (("NSFC:F02", "RGC-PANEL:E", 0), "must be in (0, 1]"),
        (("NSFC:F02", "RGC-PANEL:E", 1.5), "must be in (0, 1]"),
    ],
)
def test_bad_links_are_refused(link, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        CrosswalkLink(*link)


def test_overlap_meets_across_schemes_scaled_by_confidence():
    experts = [["NSFC:F0201"], ["RGC-PANEL:HSS-PL"], ["NSFC:A01"], ["RGC-PANEL:E"]]
    plain = CodeIndex(experts)
    walked = CodeIndex(experts, crosswalk=WALK)
    proposals = [["RGC-PANEL:E"], ["NSFC:C0901"], ["NSFC:F0201"]]
    assert plain.overlap(proposals).tolist() == [
        [0, 0, 0, 1],
        [0, 0, 0, 0],
        [1, 0, 0, 0],
    ]
    got = walked.overlap(proposals)
    # RGC panel E reaches the expert with F0201 (F02 is linked: 2 of the 2 levels of F02 shared)
    assert got[0].tolist() == [1, 0, 0, 1]
    # a 0.5-confidence link gives half the credit a direct match would
    assert got[1].tolist() == [0, 0.5, 0, 0]
    # a direct match is never lowered, and F0201 also reaches the expert on panel E
    assert got[2].tolist() == [1, 0, 0, 1]


def test_scorer_bonus_uses_the_crosswalk():
    experts = [
        ExpertProfile(
            id="nsfc",
            papers=(Paper(id="1", title="graph neural networks"),),
            discipline_codes=("NSFC:F0201",),
        ),
        ExpertProfile(
            id="other",
            papers=(Paper(id="2", title="graph neural networks"),),
            discipline_codes=("NSFC:A01",),
        ),
    ]
    proposal = Proposal(id="p", title="graph neural networks", discipline_codes=("RGC-PANEL:E",))
    without = AffinityScorer(experts, ScorerConfig(model="tfidf", discipline_weight=0.5))
    with_walk = AffinityScorer(
        experts, ScorerConfig(model="tfidf", discipline_weight=0.5, crosswalk=WALK)
    )
    a = without.score_dense([proposal])[0]
    b = with_walk.score_dense([proposal])[0]
    assert np.isclose(a[0], a[1])  # the same papers, codes of different schemes: no bonus
    assert b[0] > b[1] and np.isclose(b[1], a[1])
