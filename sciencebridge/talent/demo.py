"""Demo data for the talent exchange (called by ``manage.py seed_demo``), built through the services.

Programmes and calls are invented demo data (the public record names no programme details); a
Mainland research office user ``ml.office`` is added to post on the Mainland side. Idempotent.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.accounts.roles import Role
from sciencebridge.institutions.models import Institution

from .models import Exchange, ExchangeState, Posting, Programme, ProgrammeCall
from .services import exchanges as svc

PROGRAMMES = [
    (
        "demo-ysx",
        "young_scientist",
        "Young Scientist Exchange (demo)",
        "青年科學家交流計劃（示範）",
        "青年科学家交流计划（示范）",
        "itc",
    ),
    (
        "demo-visiting",
        "visiting",
        "Visiting Positions (demo)",
        "訪問學者崗位（示範）",
        "访问学者岗位（示范）",
        "most",
    ),
    (
        "demo-secondment",
        "secondment",
        "Secondments (demo)",
        "借調計劃（示範）",
        "借调计划（示范）",
        "itc",
    ),
]
POSTINGS = [
    (
        "hk.office",
        "demo-ysx",
        "Visiting researcher: quantum sensing for biomedical imaging",
        "Join a group working on diamond NV-centre magnetometry and its use in biomedical imaging.",
        "quantum sensing, NV centre, biomedical imaging",
        6,
    ),
    (
        "hk.office",
        "demo-visiting",
        "Visiting scholar: battery materials and neutron scattering",
        "Characterise cathode materials for sodium-ion batteries with diffraction and spectroscopy.",
        "battery materials, neutron scattering, energy storage",
        3,
    ),
    (
        "ml.office",
        "demo-ysx",
        "Young scientist position: large language models for Chinese medicine texts",
        "Build and evaluate language models on classical and modern Chinese medicine literature.",
        "language models, NLP, traditional Chinese medicine",
        6,
    ),
    (
        "ml.office",
        "demo-secondment",
        "Secondment: autonomous driving safety validation",
        "Work with our autonomous driving team on scenario-based safety validation.",
        "autonomous driving, safety, simulation",
        12,
    ),
]
PEOPLE = [
    "Chan Siu Ming",
    "Li Na",
    "Wong Ka Yan",
    "Zhang Wei",
    "Ho Wing Sze",
    "Liu Yang",
    "Cheung Tsz Kin",
    "Chen Jing",
    "Lam Hoi Ying",
    "Zhao Min",
    "Ng Chi Fung",
    "Sun Li",
]
HK_INST = ["hku", "cuhk", "hkust", "polyu", "cityu", "hkbu"]
ML_INST = ["tsinghua", "pku", "zju", "fudan", "sjtu", "sysu", "cas-siat", "ustc"]

# The accounts seed_demo lists in its login table: (username, what it does beyond its roles).
LOGINS = [("ml.office", "Posts talent-exchange positions")]


def _pdf(name):
    from sciencebridge.core.demo_support import make_pdf

    return SimpleUploadedFile(
        name, make_pdf(["Curriculum vitae", "ScienceBridge demo"]), content_type="application/pdf"
    )


def seed(command, rng):
    if Programme.objects.filter(code__startswith="demo-").exists():
        command.stdout.write("  demo talent programmes exist already: nothing added")
        return
    User = get_user_model()
    inst = {
        i.code: i for i in Institution.objects.filter(code__in=[*HK_INST, *ML_INST, "itc", "most"])
    }
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["hk.office", "hk.applicant", "ml.applicant", "secretariat"]
        )
    }
    ml_office, created = User.objects.get_or_create(
        username="ml.office",
        defaults={
            "first_name": "Hui",
            "last_name": "Sun",
            "email": "ml.office@example.org",
            **verified_affiliation(inst.get("tsinghua")),
        },
    )
    if created:
        ml_office.set_password("demo12345")
        ml_office.save()
    ml_office.grant_role(Role.RESEARCH_OFFICE)
    users["ml.office"] = ml_office
    now = timezone.now()
    calls = {}
    for code, kind, en, hant, hans, org in PROGRAMMES:
        p = Programme.objects.create(
            code=code,
            kind=kind,
            name_en=en,
            name_zh_hant=hant,
            name_zh_hans=hans,
            organiser=inst.get(org),
        )
        calls[code] = ProgrammeCall.objects.create(
            programme=p,
            code=f"{code}-2026",
            title_en="2026 round",
            title_zh_hant="2026 年度",
            title_zh_hans="2026 年度",
            opens_at=now - dt.timedelta(days=20),
            closes_at=now + dt.timedelta(days=60),
        )
    if not all(k in users for k in ("hk.office", "hk.applicant", "ml.applicant", "secretariat")):
        command.stdout.write("  demo users missing: programmes only")
        return
    postings = []
    for office, prog, title, desc, kw, months in POSTINGS:
        postings.append(
            svc.create_posting(
                users[office],
                calls[prog],
                title=title,
                description=desc,
                keywords=kw,
                duration_months=months,
                positions=1 if months > 3 else 2,
            )
        )
    svc.apply(
        users["ml.applicant"],
        postings[0],
        documents=[("cv", _pdf("cv.pdf"))],
        statement="I build NV-centre quantum sensors and want to apply them to imaging of neural tissue.",
    )
    app = svc.apply(
        users["ml.applicant"],
        postings[1],
        documents=[("cv", _pdf("cv.pdf"))],
        statement="My group studies sodium-ion cathodes; neutron data would complement our X-ray work.",
    )
    svc.apply(
        users["hk.applicant"],
        postings[2],
        documents=[("cv", _pdf("cv.pdf"))],
        statement="I work on Chinese NLP and evaluation of large language models.",
    )
    today = timezone.localdate()
    svc.decide(
        users["hk.office"],
        app,
        "selected",
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=120),
        reason="Strong fit with the group's beamline work",
    )
    # Completed exchanges from earlier rounds, in both directions (recorded by the secretariat).
    programmes = list(Programme.objects.filter(code__startswith="demo-"))
    for i, name in enumerate(PEOPLE):
        hk_home = i % 2 == 0
        home = inst.get(rng.choice(HK_INST if hk_home else ML_INST))
        host = inst.get(rng.choice(ML_INST if hk_home else HK_INST))
        if not (home and host):
            continue
        year = rng.choice([2023, 2024, 2025])
        start = dt.date(year, rng.randint(1, 6), 1)
        svc.record_completed(
            users["secretariat"],
            programme=rng.choice(programmes),
            person_name=name,
            home=home,
            host=host,
            starts_on=start,
            ends_on=start + dt.timedelta(days=rng.choice([90, 180])),
            report="Joint seminar series and a co-authored paper in preparation.",
        )
    command.stdout.write(
        f"  {len(postings)} postings, {Exchange.objects.filter(state=ExchangeState.COMPLETED).count()}"
        f" completed exchanges; login ml.office posts for Tsinghua; {Posting.objects.count()} postings"
    )
