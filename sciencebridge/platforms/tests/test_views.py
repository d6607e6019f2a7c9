"""Public registry pages in three languages, permissions object by object, flat query counts, seeding."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciencebridge.core import metrics
from sciencebridge.core.testing.factories import InstitutionFactory
from sciencebridge.platforms import reference
from sciencebridge.platforms.models import Allocation, Facility, Platform
from sciencebridge.platforms.services import facilities as svc
from sciencebridge.platforms.services.registry import load_platforms

from .conftest import next_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    for code, region in [
        ("hku", "HK"),
        ("cuhk", "HK"),
        ("hkust", "HK"),
        ("polyu", "HK"),
        ("cityu", "HK"),
        ("hkbu", "HK"),
        ("seu", "ML"),
        ("tsinghua", "ML"),
        ("cas-sioc", "ML"),
        ("cas-siat", "ML"),
        ("cas-gibh", "ML"),
        ("cas-simm", "ML"),
        ("cas-kiz", "ML"),
        ("cas-ihep", "ML"),
    ]:
        InstitutionFactory(code=code, name=code.upper(), region=region)
    return load_platforms()


def test_seed_is_idempotent_and_keeps_unconfirmed_marked(registry):
    assert registry["new"] == len(reference.PLATFORMS) and registry["institutions not found"] == []
    again = load_platforms()
    assert again["new"] == 0 and Platform.objects.count() == len(reference.PLATFORMS)
    old = Platform.objects.get(code="skl-hku-eid")
    assert old.status == "restructured" and old.successor.code == "skl25-hku-eid"
    assert old.successor.name_zh_hant == "新發傳染性疾病全國重點實驗室"
    assert Platform.objects.get(code="skl-cityu-mmw").source_note_zh_hant.startswith(
        "2008 年 3 月獲批"
    )
    guessed = Platform.objects.get(code="skl-hkust-neuro")
    assert guessed.confidence == "U"
    assert set(Platform.objects.get(code="skl25-coastal").hosts.values_list("code", flat=True)) == {
        "hkust",
        "polyu",
    }
    assert (
        Platform.objects.filter(kind="skl", status="active").count() == 10
    )  # of the 15 the record reports


def test_seed_platforms_command(registry, capsys):
    call_command("seed_platforms")
    assert "0 new" in capsys.readouterr().out


@pytest.mark.parametrize(
    "lang,text", [("en", "Laboratories and platforms"), ("zh-hant", "實驗室及平台")]
)
def test_public_list_in_three_languages(registry, client, lang, text):
    client.cookies["django_language"] = lang
    html = client.get(reverse("platforms:list"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert text in html
    if lang == "zh-hant":
        assert "合成化學全國重點實驗室" in html and "公開資料共 15 個" in html
    if lang == "zh-hans":
        assert "合成化学全国重点实验室" in html and "公开资料共 15 个" in html


@pytest.mark.parametrize("app", ["platforms", "talent"])
@pytest.mark.parametrize("lang", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(app, lang):
    """No fuzzy entry and no empty msgstr in either Chinese catalogue of the two apps."""
    import re

    from django.conf import settings

    path = settings.BASE_DIR / "sciencebridge" / app / "locale" / lang / "LC_MESSAGES" / "django.po"
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    untranslated = []
    for block in blocks[1:]:  # the first block is the header
        if block.lstrip().startswith("#~"):
            continue
        assert "#, fuzzy" not in block, block
        msgid = "".join(re.findall(r'^(?:msgid|)\s*"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r'"(.*)"', block[block.index("msgstr") :]))
        if msgid and not msgstr:
            untranslated.append(msgid)
    assert len(blocks) > 100 and untranslated == []


def test_list_filters(registry, client):
    html = client.get(
        reverse("platforms:list"), {"kind": "innohk", "cluster": "air"}
    ).content.decode()
    assert "Centre for Perceptual and Interactive Intelligence" in html
    assert "Centre for Oncology and Immunology" not in html
    html = client.get(
        reverse("platforms:list"), {"status": "reorganising", "host": "cityu"}
    ).content.decode()
    assert "Millimeter Waves" in html and "Marine Pollution" in html and "Liver" not in html
    assert (
        client.get(reverse("platforms:list"), {"host": "nope"}).status_code == 200
    )  # bad filter: no 500


def test_detail_shows_hosts_partners_status_and_successor(registry, client):
    html = client.get(reverse("platforms:detail", args=["skl-cityu-mmw"])).content.decode()
    assert (
        "SEU" in html
        and "CITYU" in html
        and "Under reorganisation" in html
        and "2008-03-01" in html
    )
    html = client.get(reverse("platforms:detail", args=["skl-hku-eid"])).content.decode()
    assert reverse("platforms:detail", args=["skl25-hku-eid"]) in html
    assert client.get(reverse("platforms:detail", args=["missing"])).status_code == 404


def test_list_query_count_is_flat(registry, client):
    url = reverse("platforms:list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    rows = reference.PLATFORMS[:5]
    load_platforms([{**r, "code": r["code"] + "-x", "successor": ""} for r in rows])
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)


def test_allocation_page_hidden_from_others_and_booking_in_page(world, fac, client):
    url = reverse("platforms:allocation", args=[fac.alloc.pk])
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.hk_lead)
    html = client.get(url).content.decode()
    assert "cross-boundary" in html
    start = timezone.localtime(next_slot())
    data = {
        "action": "book",
        "book-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "book-ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "book-note": "first",
    }
    assert client.post(url, data).status_code == 302
    data["book-note"] = "second try"
    resp = client.post(url, data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "already booked" in html and "second try" in html


def test_my_allocations_query_count_flat(world, fac, client):
    client.force_login(world.hk_lead)
    url = reverse("platforms:my_allocations")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(4):
        a = svc.request_allocation(
            world.hk_lead, fac.cluster, project_reference=f"P{i}", hours_requested=5, purpose="p"
        )
        svc.decide_allocation(fac.hk_manager, a, approve=True)
        svc.record_usage(fac.hk_manager, a, hours=2, used_on=dt.date.today())
    with CaptureQueriesContext(connection) as big:
        html = client.get(url).content.decode()
    assert len(big) == len(small)
    assert html.count(">P3<") == 1  # the cell, not a random CSRF token that happens to contain "P3"


def test_cross_boundary_page_metrics_and_filter(world, fac, client):
    svc.record_usage(fac.ml_manager, fac.alloc, hours=3, used_on=dt.date.today())
    a = svc.request_allocation(
        world.hk_lead, fac.cluster, project_reference="HK-LOCAL", hours_requested=5, purpose="p"
    )
    svc.decide_allocation(fac.hk_manager, a, approve=True)
    svc.record_usage(fac.hk_manager, a, hours=4, used_on=dt.date.today())
    assert metrics.compute("platforms.facility_hours_used") == 7
    assert metrics.compute("platforms.cross_boundary_hours") == 3
    assert metrics.compute("platforms.cross_boundary_hours", direction="ML-HK") == 0
    assert metrics.compute("platforms.cross_boundary_hours", direction="HK-ML") == 3
    this_year = dt.date.today().year
    years = [this_year - 1, this_year, this_year + 1]
    assert metrics.compute_per_year("platforms.facility_hours_used", years) == [0, 7, 0]
    assert metrics.compute_per_year("platforms.cross_boundary_hours", years) == [0, 3, 0]
    assert metrics.compute_per_year("platforms.cross_boundary_hours", years, direction="ML-HK") == [
        0,
        0,
        0,
    ]
    html = client.get(reverse("platforms:cross_boundary")).content.decode()
    assert "MHX/001/26" in html and "HK-LOCAL" not in html and 'id="hours-hk-ml">3' in html
    html = client.get(reverse("platforms:cross_boundary"), {"direction": "ML-HK"}).content.decode()
    assert "MHX/001/26" not in html


def test_manager_sees_pending_requests_on_facility(world, fac, client):
    client.force_login(world.ml_lead)
    resp = client.post(
        reverse("platforms:facility", args=[fac.cluster.code]),
        {"project_reference": "ML-77", "hours_requested": "12", "purpose": "Simulations"},
    )
    alloc = Allocation.objects.get(project_reference="ML-77")
    assert resp.status_code == 302 and alloc.cross_boundary
    client.force_login(fac.hk_manager)
    html = client.get(reverse("platforms:facility", args=[fac.cluster.code])).content.decode()
    assert "ML-77" in html
    assert Facility.objects.count() == 2


def test_admin_changelists_render(fac, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456")
    client.force_login(admin)
    for path in (
        "platforms/platform",
        "platforms/facility",
        "platforms/allocation",
        "platforms/booking",
        "platforms/usagerecord",
        "talent/programme",
        "talent/programmecall",
        "talent/posting",
        "talent/application",
        "talent/exchange",
    ):
        assert client.get(f"/admin/{path}/").status_code == 200, path
    assert client.get(f"/admin/platforms/platform/{fac.lab.pk}/change/").status_code == 200


def test_dashboard_panels(world, fac, client):
    svc.request_allocation(
        world.ml_lead,
        fac.spectrometer,
        project_reference="WAITING-1",
        hours_requested=2,
        purpose="p",
    )
    client.force_login(fac.ml_manager)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Facility requests waiting for your decision" in html and "WAITING-1" in html
    client.force_login(world.hk_lead)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Your facility time" in html and "MHX/001/26" in html
    client.force_login(world.outsider)
    assert "Facility requests waiting" not in client.get(reverse("core:dashboard")).content.decode()
