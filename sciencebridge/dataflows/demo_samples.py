"""Demo data for sample exports and datasets (called through ``demo.py`` by ``manage.py seed_demo``),
built through the services. Idempotent.

The pilot units are illustrative: the public record says four Hong Kong universities' Mainland branches
were pilot units by 2021 but not which ([U] in domain.md §3), so these names are demo data. The Hetao
white-list rule is switched on as data (a proposal, [P]), to show both kinds of transfer.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.accounts.roles import Role
from sciencebridge.institutions.models import Institution

from .models_datasets import ResearchDataset
from .models_samples import HgrExportApplication, PilotUnit, SampleFlowRule
from .services import datasets as dsvc
from .services import samples as ssvc

SOURCE = "http://www.news.gov.hk/eng/2019/12/20191203/20191203_182335_391.html"
PILOT_UNITS = [
    # code, en, zh-Hant, zh-Hans, kind, Hong Kong parent
    (
        "hku-szh",
        "The University of Hong Kong-Shenzhen Hospital",
        "香港大學深圳醫院",
        "香港大学深圳医院",
        "hospital",
        "hku",
    ),
    (
        "cuhk-szri",
        "CUHK Shenzhen Research Institute",
        "香港中文大學深圳研究院",
        "香港中文大学深圳研究院",
        "university_branch",
        "cuhk",
    ),
    (
        "hkust-szri",
        "HKUST Shenzhen-Hong Kong Collaborative Innovation Research Institute",
        "香港科技大學深港協同創新研究院",
        "香港科技大学深港协同创新研究院",
        "university_branch",
        "hkust",
    ),
]
LOGINS = [
    ("szh.researcher", "Applies to export samples from a pilot unit (HKU-Shenzhen Hospital)"),
    ("szh.office", "Research office of a pilot unit"),
]


def _user(username, first, last, inst, role):
    User = get_user_model()
    u, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            **verified_affiliation(inst),
        },
    )
    if created:
        u.set_password("demo12345")
        u.save()
    u.grant_role(role)
    return u


def _link_workplan(command):
    """The committee's GBA-flows area gets an item whose progress is the white-list notifications."""
    from decimal import Decimal

    from sciencebridge.cooperation.demo import CODE
    from sciencebridge.cooperation.models import CooperationArea, Workplan
    from sciencebridge.cooperation.services import workplans as wsvc

    wp = Workplan.objects.filter(code=CODE).first()
    sec = get_user_model().objects.filter(username="secretariat").first()
    gba = CooperationArea.objects.filter(code="gba").first()
    if wp is None or sec is None or gba is None or wp.items.filter(number="x").exists():
        return
    wsvc.save_item(
        sec,
        wp,
        area=gba,
        number="x",
        text_en="Pilot the Hetao white list: ten sample transfers by simplified notification",
        text_zh_hant="試行河套白名單：十宗以簡化通知方式進行的樣本轉移",
        text_zh_hans="试行河套白名单：十宗以简化通知方式进行的样本转移",
        metric_code="dataflows.hgr_whitelist_notifications",
        target=Decimal(10),
    )
    command.stdout.write("  workplan item x linked to the white-list notifications")


def seed(command, rng):
    _link_workplan(command)
    if PilotUnit.objects.exists():
        command.stdout.write("  demo pilot units exist already: nothing added")
        return
    parents = {i.code: i for i in Institution.objects.filter(code__in=["hku", "cuhk", "hkust"])}
    units = {}
    for code, en, hant, hans, kind, parent in PILOT_UNITS:
        inst, _c = Institution.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_zh_hant": hant,
                "name_zh_hans": hans,
                "region": "ML",
                "type": "research_institute",
                "category": "mainland_institute",
            },
        )
        units[code] = PilotUnit.objects.create(
            institution=inst, kind=kind, parent=parents.get(parent), source_url=SOURCE
        )
    SampleFlowRule.objects.get_or_create(
        effective_from=dt.date(2024, 1, 1),
        defaults={
            "whitelist_enabled": True,
            "note": "Hetao white list: a proposal ([P]); switched on in the demo",
            "source_url": "https://www.navigator-insurance.com/en/blog/hetao-hk-park-to-introduce-secure-data-white-list",
        },
    )
    User = get_user_model()
    secretariat = User.objects.filter(username="secretariat").first()
    hku = parents.get("hku")
    if secretariat is None or hku is None:
        command.stdout.write("  demo users missing: pilot units only")
        return
    unit = units["hku-szh"]
    researcher = _user("szh.researcher", "Jun", "Zhou", unit.institution, Role.APPLICANT)
    _user("szh.office", "Li", "Huang", unit.institution, Role.RESEARCH_OFFICE)
    today = timezone.localdate()
    app = ssvc.create_application(
        researcher,
        pilot_unit=unit,
        recipient=hku,
        sample_kind="blood",
        quantity=200,
        unit="tubes",
        purpose="Whole-genome sequencing of a hepatocellular-carcinoma cohort at the State Key "
        "Laboratory of Liver Research.",
        conditions="De-identified at source; destroyed after analysis; no onward transfer.",
    )
    ssvc.submit(researcher, app)
    ssvc.record_approval(
        secretariat,
        app,
        approval_reference="DEMO-HGR-2026-001",
        approval_date=today - dt.timedelta(days=40),
        valid_until=today + dt.timedelta(days=320),
    )
    first = ssvc.record_transfer(
        researcher, app, quantity=80, shipped_on=today - dt.timedelta(days=30)
    )
    ssvc.review_transfer(secretariat, first, "cleared", reason="Courier and cold chain checked.")
    ssvc.record_transfer(researcher, app, quantity=60, shipped_on=today - dt.timedelta(days=10))
    dna = ssvc.create_application(
        researcher,
        pilot_unit=unit,
        recipient=hku,
        sample_kind="dna",
        quantity=50,
        unit="samples",
        purpose="Validation cohort for a liver-cancer risk score.",
    )
    ssvc.submit(researcher, dna)
    n_ds = 0
    from sciencebridge.projects.models import ProjectSide

    side = (
        ProjectSide.objects.select_related("project", "institution", "lead")
        .filter(side="HK", lead__isnull=False)
        .order_by("project_id")
        .first()
    )
    if side is not None and not ResearchDataset.objects.exists():
        for title, classification, licence in (
            ("Sensor readings from the pilot site", "internal", "project-agreement"),
            ("Open benchmark dataset", "open", "cc-by-4.0"),
        ):
            dsvc.register_dataset(
                side.lead,
                side.project,
                title=title,
                description="Non-personal measurements collected by the joint project.",
                holder=side.institution,
                held_in="HK",
                location="The project's research data store",
                licence=licence,
                access="team" if classification == "internal" else "public",
                classification=classification,
            )
            n_ds += 1
    command.stdout.write(
        f"  {len(units)} pilot units, {HgrExportApplication.objects.count()} sample export "
        f"applications, {n_ds} research datasets"
    )
