"""Demo data for the marketplace: two technology-transfer offices, four registered enterprises (two on
each side), a dozen offers (some in three languages, some for registered enterprises only), needs,
saved searches and deals at every stage of the pipeline, all built through the services.

Demo logins (password demo12345): tto.hkust, tto.tsinghua, ent.clp, ent.mtr, ent.byd, ent.dji.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from djmoney.money import Money

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.institutions.models import Institution

from . import matching_adapter
from .models import ENTERPRISE_ROLE, TTO_ROLE, DealState, TechnologyOffer
from .services import alerts, deals, needs, offers

PASSWORD = "demo12345"
USERS = [
    # username, first, last, Chinese name, role, institution code, title
    ("tto.hkust", "Ka Yan", "Wong", "黃嘉欣", TTO_ROLE, "hkust", "Technology Transfer Manager"),
    ("tto.tsinghua", "Jing", "Liu", "刘静", TTO_ROLE, "tsinghua", "Director, Technology Transfer"),
    ("ent.clp", "Siu Fung", "Lam", "林兆豐", ENTERPRISE_ROLE, "clp", "Innovation Manager"),
    (
        "ent.mtr",
        "Wai Man",
        "Tse",
        "謝偉文",
        ENTERPRISE_ROLE,
        "mtr",
        "Head of Engineering Innovation",
    ),
    ("ent.byd", "Hao", "Chen", "陈浩", ENTERPRISE_ROLE, "byd", "R&D Partnerships"),
    ("ent.dji", "Yu", "Zhou", "周宇", ENTERPRISE_ROLE, "dji", "Technology Scouting"),
]

# The accounts seed_demo lists in its login table: (username, what it does beyond its roles).
LOGINS = [(row[0], "") for row in USERS]

OFFERS = [
    (
        "tto.hkust",
        dict(
            title_en="Solid-state electrolyte for safer lithium batteries",
            title_zh_hant="更安全鋰電池的固態電解質",
            title_zh_hans="更安全锂电池的固态电解质",
            summary_en="A ceramic-polymer solid electrolyte that suppresses lithium dendrites, so battery packs "
            "for electric vehicles and buses resist thermal runaway. Works at room temperature.",
            summary_zh_hant="一種陶瓷與聚合物複合的固態電解質，可抑制鋰枝晶，令電動車及巴士電池組不易熱失控。",
            summary_zh_hans="一种陶瓷与聚合物复合的固态电解质，可抑制锂枝晶，使电动车及巴士电池组不易热失控。",
            field="energy",
            keywords="solid-state battery, electrolyte, lithium dendrite, thermal runaway",
            trl=5,
            ip_status="granted",
            ip_jurisdiction="CN",
            ip_reference="ZL202310123456.7",
            offer_types=["licence"],
            visibility="public",
            details="LLZO nanofibres 30 wt% in PEO; 1.2 mS/cm at 25 °C; pouch-cell data.",
        ),
    ),
    (
        "tto.hkust",
        dict(
            title_en="Machine vision for surface defect inspection",
            title_zh_hant="表面缺陷檢測機器視覺",
            summary_en="Deep-learning cameras that find scratches, dents and cracks on metal and glass parts on "
            "the production line in real time, trained from a few dozen examples.",
            field="ai",
            keywords="machine vision, defect detection, deep learning, quality control",
            trl=7,
            ip_status="filed",
            ip_jurisdiction="PCT",
            ip_reference="PCT/CN2024/081234",
            offer_types=["licence", "codevelopment"],
            visibility="enterprises",
            details="Few-shot anomaly model; 99.1% recall on the partner's line; edge GPU bill of materials.",
        ),
    ),
    (
        "tto.hkust",
        dict(
            title_en="Predictive maintenance for railway track from train-borne vibration",
            title_zh_hant="以列車振動數據預測鐵路路軌維修",
            summary_en="Accelerometers on passenger trains detect rail corrugation and loose fasteners weeks "
            "before inspection crews would, ranking track sections for maintenance.",
            field="ai",
            keywords="railway, predictive maintenance, vibration, sensors",
            trl=6,
            ip_status="filed",
            ip_jurisdiction="HK",
            offer_types=["codevelopment", "licence"],
            visibility="public",
            details="Signal pipeline and validation against 18 months of track-recording-car data.",
        ),
    ),
    (
        "tto.hkust",
        dict(
            title_en="Perovskite tandem solar cell coating",
            summary_en="A printable perovskite layer that raises the efficiency of silicon solar panels by a "
            "quarter with a low-temperature process suited to existing lines.",
            field="energy",
            keywords="perovskite, solar cell, photovoltaics, coating",
            trl=4,
            ip_status="filed",
            ip_jurisdiction="CN",
            offer_types=["licence", "assignment"],
            visibility="public",
            details="Ink formulation and encapsulation stack; 1,000-hour damp-heat results.",
        ),
    ),
    (
        "tto.hkust",
        dict(
            title_en="Low-power indoor positioning with ultra-wideband tags",
            summary_en="Centimetre-level indoor positioning for warehouses and stations with coin-cell tags "
            "that last three years.",
            field="microelectronics",
            keywords="UWB, indoor positioning, low power, IoT",
            trl=8,
            ip_status="granted",
            ip_jurisdiction="US",
            offer_types=["licence"],
            visibility="public",
            details="Tag firmware and anchor layout method.",
        ),
    ),
    (
        "tto.tsinghua",
        dict(
            title_en="Drone obstacle avoidance with event cameras",
            title_zh_hans="基于事件相机的无人机避障",
            summary_en="Event cameras and a spiking neural network let small drones dodge fast obstacles with "
            "millisecond latency and little power.",
            summary_zh_hans="事件相机与脉冲神经网络使小型无人机以毫秒级延迟、低功耗躲避高速障碍物。",
            field="ai",
            keywords="drone, obstacle avoidance, event camera, neuromorphic",
            trl=5,
            ip_status="granted",
            ip_jurisdiction="CN",
            offer_types=["licence", "codevelopment"],
            visibility="enterprises",
            details="Network weights, flight-test logs and latency budget.",
        ),
    ),
    (
        "tto.tsinghua",
        dict(
            title_en="Sodium-ion battery cathode material",
            title_zh_hans="钠离子电池正极材料",
            summary_en="A layered oxide cathode for sodium-ion batteries with long cycle life, for low-cost "
            "energy storage and two-wheelers.",
            field="energy",
            keywords="sodium-ion battery, cathode, energy storage",
            trl=6,
            ip_status="granted",
            ip_jurisdiction="CN",
            offer_types=["licence", "assignment"],
            visibility="public",
            details="Synthesis route and 3,000-cycle data.",
        ),
    ),
    (
        "tto.tsinghua",
        dict(
            title_en="Rapid nucleic-acid test for respiratory viruses",
            summary_en="A 20-minute isothermal test that detects influenza and coronavirus from a nasal swab "
            "on a palm-sized reader.",
            field="biotech",
            keywords="diagnostics, nucleic acid, isothermal amplification, point of care",
            trl=6,
            ip_status="filed",
            ip_jurisdiction="PCT",
            offer_types=["licence"],
            visibility="public",
            details="Primer sets and clinical sensitivity data.",
        ),
    ),
    (
        "tto.tsinghua",
        dict(
            title_en="Self-healing anticorrosion coating for steel structures",
            summary_en="A coating that seals its own scratches and protects bridges and offshore steel from "
            "corrosion for longer.",
            field="materials",
            keywords="coating, corrosion, self-healing, steel",
            trl=5,
            ip_status="filed",
            ip_jurisdiction="CN",
            offer_types=["licence"],
            visibility="public",
            details="Microcapsule chemistry and salt-spray results.",
        ),
    ),
    (
        "tto.tsinghua",
        dict(
            title_en="Gallium nitride power chips for fast chargers",
            summary_en="GaN transistors and a driver design that shrink fast chargers and on-board chargers.",
            field="microelectronics",
            keywords="GaN, power electronics, charger, semiconductor",
            trl=7,
            ip_status="granted",
            ip_jurisdiction="CN",
            offer_types=["licence", "codevelopment"],
            visibility="enterprises",
            details="Epitaxy recipe and driver reference design.",
        ),
    ),
]

NEEDS = [
    (
        "ent.byd",
        dict(
            title="Safer, denser batteries for electric buses",
            description="Our bus battery packs need higher energy density without thermal runaway: we "
            "look for solid electrolytes or cathode materials we can license.",
            field="energy",
            keywords="battery, electrolyte, cathode, thermal runaway",
        ),
    ),
    (
        "ent.mtr",
        dict(
            title="Early warning of railway track defects",
            description="Find track defects between inspections using data from trains in service.",
            field="ai",
            keywords="railway, track, maintenance, sensors",
        ),
    ),
    (
        "ent.dji",
        dict(
            title="Lighter obstacle sensing for consumer drones",
            description="Replace part of our stereo vision with low-power sensors that react to fast "
            "obstacles.",
            field="ai",
            keywords="drone, obstacle avoidance, low power",
        ),
    ),
    (
        "ent.clp",
        dict(
            title="Rooftop solar efficiency for dense cities",
            description="Higher-efficiency solar panels for small rooftops in Hong Kong.",
            field="energy",
            keywords="solar, photovoltaics, efficiency",
        ),
    ),
    (
        "ent.clp",
        dict(
            title="Inspection of power-station components",
            description="Automatic detection of cracks and corrosion on turbine blades and pipes.",
            field="ai",
            keywords="inspection, defect detection, corrosion",
        ),
    ),
]

# (enterprise, offer title prefix, final stage, value, need index)
DEALS = [
    ("ent.byd", "Solid-state electrolyte", DealState.LICENSED, Money(Decimal("3500000"), "CNY"), 0),
    ("ent.byd", "Sodium-ion", DealState.NEGOTIATING, None, 0),
    ("ent.mtr", "Predictive maintenance", DealState.UNDER_NDA, None, 1),
    ("ent.dji", "Drone obstacle", DealState.SPIN_OFF, Money(Decimal("2000000"), "CNY"), 2),
    ("ent.clp", "Perovskite", DealState.CONTACTED, None, 3),
    ("ent.clp", "Machine vision", DealState.CLOSED, None, 4),
    ("ent.mtr", "Low-power indoor", DealState.LICENSED, Money(Decimal("800000"), "HKD"), None),
]


def _users(command):
    User = get_user_model()
    inst = {i.code: i for i in Institution.objects.filter(code__in={u[5] for u in USERS})}
    out = {}
    for username, first, last, zh, role, code, title in USERS:
        if code not in inst:
            command.stdout.write(f"  transfer demo: institution {code} missing, {username} skipped")
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(
                first_name=first,
                last_name=last,
                name_zh=zh,
                title=title,
                **verified_affiliation(inst[code]),
                email=f"{username}@demo.sciencebridge.local",
                password=make_password(PASSWORD),
            ),
        )
        user.grant_role(role)
        out[username] = user
    return out


def seed(command, rng):
    users = _users(command)
    if len(users) < len(USERS):
        return
    if TechnologyOffer.objects.filter(owner__username__in=["tto.hkust", "tto.tsinghua"]).exists():
        command.stdout.write("  transfer demo data already present: nothing created.")
        return
    # Saved searches first, so publishing the offers below exercises the alerts.
    alerts.save_search(users["ent.clp"], query="energy storage battery", field="energy")
    alerts.save_search(users["tto.hkust"], target="needs", query="machine vision inspection")
    created = {}
    for username, data in OFFERS:
        offer = offers.create_offer(users[username], publish=True, notify_matches=False, **data)
        created[offer.title_en] = offer
    offers.create_offer(
        users["tto.hkust"],
        publish=False,
        title_en="Biodegradable food packaging film (draft)",
        summary_en="A starch-based film that replaces plastic wrap.",
        field="materials",
        keywords="packaging, biodegradable",
        trl=3,
        ip_status="none",
        offer_types=["licence"],
        visibility="public",
    )
    # Patents of the demo projects (if the projects demo recorded any) become offers too.
    from .services.outcomes import initial_from_outcome, ip_outcomes_for_tto

    for username in ("tto.hkust", "tto.tsinghua"):
        for outcome in list(ip_outcomes_for_tto(users[username])[:2]):
            data = {
                **initial_from_outcome(outcome),
                "field": "other",
                "trl": 4,
                "visibility": "public",
            }
            data["summary_en"] = data["summary_en"] or outcome.title
            offer = offers.create_offer(
                users[username], outcome=outcome, publish=True, notify_matches=False, **data
            )
            created[offer.title_en] = offer
    posted = [needs.post_need(users[u], notify_matches=False, **data) for u, data in NEEDS]
    matching_adapter.invalidate()
    # The alerts the new offers and needs trigger, run here rather than as background jobs (SQLite
    # would see the job threads write while the demo is still being built).
    n_alerts = alerts.run_all_saved_searches()["alerts"]
    n_deals = 0
    for ent, prefix, final, value, need_idx in DEALS:
        offer = next(o for t, o in created.items() if t.startswith(prefix))
        owner = offer.owner
        user = users[ent]
        deal = deals.express_interest(
            user,
            offer,
            need=posted[need_idx] if need_idx is not None else None,
            message=rng.choice(
                [
                    "We would like to evaluate this technology for our products.",
                    "Could we discuss licensing terms for the Greater Bay Area?",
                    "Our engineering team is interested; please share more details.",
                ]
            ),
        )
        n_deals += 1
        if final == DealState.CONTACTED:
            continue
        if final == DealState.CLOSED:
            deals.move_deal(
                user, deal, DealState.CLOSED, reason="Not a fit for our current roadmap."
            )
            continue
        deals.accept_nda(
            user, offer, signer_name=user.get_full_name(), signer_title=user.title, accept=True
        )
        deal.refresh_from_db()
        if final == DealState.UNDER_NDA:
            continue
        deals.move_deal(owner, deal, DealState.NEGOTIATING, reason="Term sheet sent.")
        if final == DealState.NEGOTIATING:
            continue
        deals.move_deal(
            owner,
            deal,
            final,
            value=value,
            terms="Exclusive in the field of use; royalties on sales.",
            reason="Agreement signed.",
        )
    command.stdout.write(
        f"  transfer: {len(created) + 1} offers, {len(posted)} needs, {n_deals} deals, "
        f"{n_alerts} saved-search matches e-mailed "
        f"(logins: {', '.join(users)}; password {PASSWORD})"
    )
