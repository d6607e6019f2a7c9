"""Marketplace fixtures on top of the root ``world``: a TTO at HKU, registered enterprises on both
sides, an unregistered company employee, and helpers that build offers and needs through the services."""

from types import SimpleNamespace

import pytest

from sciencebridge.core.testing.factories import InstitutionFactory, UserFactory
from sciencebridge.transfer import matching_adapter
from sciencebridge.transfer.models import ENTERPRISE_ROLE, TTO_ROLE
from sciencebridge.transfer.services import needs as need_svc
from sciencebridge.transfer.services import offers as offer_svc

BATTERY = dict(
    title_en="Solid-state electrolyte for safer lithium batteries",
    title_zh_hant="更安全鋰電池的固態電解質",
    summary_en="A ceramic-polymer solid electrolyte that stops lithium dendrites, so battery packs for "
    "electric buses do not catch fire. Works at room temperature.",
    field="energy",
    keywords="solid-state battery, electrolyte, lithium",
    trl=5,
    ip_status="granted",
    ip_jurisdiction="CN",
    ip_reference="ZL202310000001.X",
    offer_types=["licence"],
    visibility="public",
    details="Composition: LLZO nanofibres 30 wt% in PEO; ionic conductivity 1.2 mS/cm at 25 °C.",
)
VISION = dict(
    title_en="Machine vision for defect inspection on production lines",
    summary_en="Deep-learning cameras that find scratches and cracks on metal parts in real time.",
    field="ai",
    keywords="machine vision, defect detection, deep learning",
    trl=7,
    ip_status="filed",
    offer_types=["licence", "codevelopment"],
    visibility="enterprises",
    details="Model architecture and training data set description.",
)
SENSOR = dict(
    title_en="Low-cost water quality sensor for fish farms",
    summary_en="A floating sensor buoy measuring dissolved oxygen and ammonia in aquaculture ponds.",
    field="environment",
    keywords="water quality, aquaculture, sensor",
    trl=6,
    ip_status="filed",
    offer_types=["assignment"],
    visibility="public",
    details="Circuit and membrane design.",
)


@pytest.fixture(autouse=True)
def _fresh_index():
    matching_adapter.invalidate()
    yield
    matching_adapter.invalidate()


@pytest.fixture
def market(world):
    ns = world
    ns.byd = InstitutionFactory(
        code="byd", name="BYD Company Limited", region="ML", type="enterprise", category="company"
    )
    ns.tto = UserFactory(username="hku_tto", institution=world.hku, roles=[TTO_ROLE])
    ns.tto2 = UserFactory(username="tsinghua_tto", institution=world.tsinghua, roles=[TTO_ROLE])
    ns.ent = UserFactory(username="hk_ent", institution=world.company, roles=[ENTERPRISE_ROLE])
    ns.ent_colleague = UserFactory(
        username="hk_ent2", institution=world.company, roles=[ENTERPRISE_ROLE]
    )
    ns.ml_ent = UserFactory(username="byd_ent", institution=ns.byd, roles=[ENTERPRISE_ROLE])
    # Works at a company but is not a registered enterprise representative.
    ns.unregistered = UserFactory(username="hk_emp", institution=world.company)
    ns.admin = UserFactory(username="mk_admin", roles=["administrator"])

    def offer(user=None, publish=True, **over):
        data = {**BATTERY, **over}
        if "title_en" in over:  # another technology: none of the battery's translations
            for k in ("title_zh_hant", "title_zh_hans", "summary_zh_hant", "summary_zh_hans"):
                data[k] = over.get(k, "")
        return offer_svc.create_offer(user or ns.tto, publish=publish, **data)

    def need(user=None, **over):
        data = dict(
            title="Safer batteries for electric buses",
            description="Our bus battery packs overheat; we need a solid electrolyte or another way "
            "to stop lithium dendrites and thermal runaway.",
            field="energy",
            keywords="battery, electrolyte, thermal runaway",
        )
        data.update(over)
        return need_svc.post_need(user or ns.ent, **data)

    ns.make_offer = offer
    ns.make_need = need
    return ns


@pytest.fixture
def sample(market):
    """Three published offers (one enterprise-only) and one draft."""
    m = market
    m.battery = m.make_offer()
    m.vision = m.make_offer(**VISION)
    m.sensor = m.make_offer(user=m.tto2, **SENSOR)
    m.draft = m.make_offer(
        publish=False,
        title_en="Unpublished gene-editing tool",
        summary_en="Secret.",
        field="biotech",
        keywords="CRISPR",
    )
    return SimpleNamespace(**vars(m))
