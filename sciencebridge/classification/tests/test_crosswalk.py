from django.test import override_settings

from sciencebridge.classification.crosswalk import engine_crosswalk
from sciencebridge.core.reference.classifications import NSFC_LEVEL2, RGC_PANELS
from sciencebridge.core.reference.crosswalk import NSFC_TO_RGC
from sciencebridge.experts.matching_adapter import scorer_config


def test_every_link_names_codes_the_platform_ships():
    nsfc = {c for c, *_ in NSFC_LEVEL2}
    panels = {c for c, *_ in RGC_PANELS}
    for n, r, conf, note in NSFC_TO_RGC:
        assert n in nsfc and r in panels and conf in (0.5, 1.0) and note, (n, r)
    # every NSFC code shipped is linked to at least one panel
    assert nsfc <= {n for n, *_ in NSFC_TO_RGC}


def test_engine_links_use_the_classifications_scheme_codes():
    assert engine_crosswalk().expand(["rgc-panel:E-MCM"])["NSFC:E01"] == 1.0
    assert engine_crosswalk().expand(["nsfc:C0901"])["RGC-PANEL:HSS-PL"] == 0.5


def test_expert_index_configuration_carries_the_crosswalk_and_the_configured_bonus():
    with override_settings(MATCHING_DISCIPLINE_WEIGHT=0.0):
        assert scorer_config("tfidf").discipline_weight == 0.0
    with override_settings(MATCHING_DISCIPLINE_WEIGHT=0.5):
        config = scorer_config("tfidf")
    assert config.discipline_weight == 0.5 and config.crosswalk is engine_crosswalk()
