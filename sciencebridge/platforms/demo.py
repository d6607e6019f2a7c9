"""Demo data for labs, platforms and shared facilities (called by ``manage.py seed_demo``).

The registry itself is the public record (``seed_platforms``); the facilities, quotas, bookings and
usage below are invented demo data, built through the services. Idempotent: nothing is added twice.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.institutions.models import Institution

from .models import Allocation, Facility, Platform
from .services import facilities as svc
from .services.registry import load_platforms

DEMO_PASSWORD = "demo12345"
# (code, platform code, name en, zh-Hant, zh-Hans, kind, region, slot minutes, manager username)
FACILITIES = [
    (
        "demo-csns-beamline",
        "gba-cityu-ihep-neutron",
        "Neutron scattering beamline time (Dongguan)",
        "中子散射線站機時（東莞）",
        "中子散射线站机时（东莞）",
        "instrument",
        "ML",
        120,
        "ml.facility",
    ),
    (
        "demo-siat-cryoem",
        "cas-biomaterials",
        "Cryo-electron microscope (Shenzhen)",
        "冷凍電子顯微鏡（深圳）",
        "冷冻电子显微镜（深圳）",
        "instrument",
        "ML",
        60,
        "ml.facility",
    ),
    (
        "demo-cpii-gpu",
        "innohk-cpii",
        "GPU computing cluster (Hong Kong Science Park)",
        "GPU 運算集群（香港科學園）",
        "GPU 运算集群（香港科学园）",
        "computing",
        "HK",
        60,
        "hk.facility",
    ),
    (
        "demo-hku-nmr",
        "skl25-hku-synchem",
        "800 MHz NMR spectrometer",
        "800 兆赫核磁共振波譜儀",
        "800 兆赫核磁共振波谱仪",
        "instrument",
        "HK",
        60,
        "hk.facility",
    ),
]
MANAGERS = [
    ("ml.facility", "Jun", "Zhou", "周军", "cas-ihep"),
    ("hk.facility", "Wai Man", "Lee", "李偉文", "cuhk"),
]
# The accounts seed_demo lists in its login table: (username, what it does beyond its roles).
LOGINS = [
    (m[0], f"Facility manager ({'Mainland' if m[0].startswith('ml.') else 'Hong Kong'} facilities)")
    for m in MANAGERS
]


def _user(username, first, last, name_zh, inst_code):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            **verified_affiliation(Institution.objects.filter(code=inst_code).first()),
        },
    )
    if created:
        if hasattr(user, "name_zh"):
            user.name_zh = name_zh
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed(command, rng):
    result = load_platforms()
    command.stdout.write(
        f"  platforms from the public record: {result['platforms']} ({result['new']} new)"
    )
    if Facility.objects.filter(code__startswith="demo-").exists():
        command.stdout.write("  demo facilities exist already: nothing added")
        return
    User = get_user_model()
    managers = {m[0]: _user(*m) for m in MANAGERS}
    facilities = {}
    for code, pcode, en, hant, hans, kind, region, slot, manager in FACILITIES:
        platform = Platform.objects.filter(code=pcode).first()
        if platform is None:
            continue
        f = Facility.objects.create(
            platform=platform,
            code=code,
            name_en=en,
            name_zh_hant=hant,
            name_zh_hans=hans,
            kind=kind,
            region=region,
            slot_minutes=slot,
            node_count=128 if kind == "computing" else None,
        )
        f.managers.add(managers[manager])
        facilities[code] = f
    hk = User.objects.filter(username="hk.applicant").first()
    ml = User.objects.filter(username="ml.applicant").first()
    if not (hk and ml and len(facilities) == len(FACILITIES)):
        command.stdout.write("  demo users or institutions missing: facilities only")
        return
    mlm, hkm = managers["ml.facility"], managers["hk.facility"]
    today = timezone.localdate()
    # A Hong Kong team on Mainland instruments (cross-boundary), with bookings and past usage.
    beam = svc.request_allocation(
        hk,
        facilities["demo-csns-beamline"],
        project_reference="MHX/DEMO/001",
        hours_requested=Decimal(48),
        purpose="Neutron diffraction of battery cathodes",
    )
    beam = svc.decide_allocation(
        mlm, beam, approve=True, hours_approved=Decimal(40), reason="Fits beam schedule"
    )
    for days, hours in ((-300, 8), (-120, 6), (-20, 4)):
        svc.record_usage(mlm, beam, hours=Decimal(hours), used_on=today + dt.timedelta(days=days))
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=7
    )
    for i in range(3):
        svc.book(
            hk,
            beam,
            starts_at=start + dt.timedelta(days=i),
            ends_at=start + dt.timedelta(days=i, hours=4),
            note="Beam time",
        )
    cryo = svc.request_allocation(
        hk,
        facilities["demo-siat-cryoem"],
        project_reference="MHX/DEMO/002",
        hours_requested=Decimal(20),
        purpose="Protein complex structures",
    )
    svc.decide_allocation(mlm, cryo, approve=True, hours_approved=Decimal(12))
    # A Mainland team on the Hong Kong GPU cluster (the reverse direction), node-hours recorded.
    gpu = svc.request_allocation(
        ml,
        facilities["demo-cpii-gpu"],
        project_reference="MHX/DEMO/003",
        hours_requested=Decimal(5000),
        purpose="Training multilingual speech models",
    )
    gpu = svc.decide_allocation(hkm, gpu, approve=True, hours_approved=Decimal(4000))
    for _i in range(6):
        svc.record_usage(
            hkm,
            gpu,
            hours=Decimal(rng.randint(150, 450)),
            used_on=today - dt.timedelta(days=rng.randint(5, 500)),
        )
    # A local team (not cross-boundary) and a request waiting for the manager.
    local = svc.request_allocation(
        hk,
        facilities["demo-hku-nmr"],
        project_reference="HKU/DEMO/004",
        hours_requested=Decimal(30),
        purpose="Reaction monitoring",
    )
    local = svc.decide_allocation(hkm, local, approve=True)
    svc.record_usage(hkm, local, hours=Decimal(6), used_on=today - dt.timedelta(days=40))
    svc.request_allocation(
        ml,
        facilities["demo-hku-nmr"],
        project_reference="MHX/DEMO/005",
        hours_requested=Decimal(16),
        purpose="Natural product characterisation",
    )
    command.stdout.write(
        f"  {len(facilities)} facilities, {Allocation.objects.count()} allocations "
        "(logins ml.facility / hk.facility manage them)"
    )
