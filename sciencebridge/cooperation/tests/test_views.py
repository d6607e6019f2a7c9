import csv
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sciencebridge.cooperation.models import (
    Agreement,
    AgreementStatus,
    Workplan,
    WorkplanItem,
    WorkplanState,
)
from sciencebridge.cooperation.services import charts as ch
from sciencebridge.cooperation.services import workplans as svc
from sciencebridge.cooperation.services.reference import load_public_record
from sciencebridge.core import metrics, stamped_cache

from .helpers import fund_both_sides, make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db):
    load_public_record()


def _csv(client, key):
    resp = client.get(reverse("cooperation:dashboard_csv", args=[key]))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "en",
            [
                "Money committed per side per year",
                "Workplan 2024-25",
                "Policy co-ordination",
                '"name": "HKD"',
            ],
        ),
        (
            "zh-hant",
            ["每年各方承諾資助金額", "2024-25年工作計劃", "政策協調", '"name": "\\u6e2f\\u5143"'],
        ),  # 港元
        (
            "zh-hans",
            [
                "每年各方承诺资助金额",
                "2024-25年工作计划",
                "政策协调",
                '"name": "\\u4eba\\u6c11\\u5e01"',
            ],
        ),  # 人民币
    ],
)
def test_public_dashboard_renders_charts_in_three_languages(
    client, world, make_ready_pair, record, lang, words
):
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    resp = client.get(reverse("cooperation:dashboard"))
    assert resp.status_code == 200
    html = resp.content.decode()
    for w in words:
        assert w in html, (lang, w)
    # every chart with data is drawn (an ECharts option per panel), with its table and CSV link
    assert html.count('class="echart"') >= 5
    assert html.count('type="application/json"') == html.count('class="echart"')
    assert html.count("/cooperation/charts/") == html.count('class="card chart"')


def test_csv_matches_the_chart_data(client, world, make_ready_pair, record):
    fund_both_sides(world, make_eligible(world, make_ready_pair()), hkd=600000, rmb=500000)
    with translation.override("en"):
        charts = ch.all_charts()
    for chart in charts:
        rows = _csv(client, chart["key"])
        assert rows[0][1:] == [str(d["label"]) for d in chart["datasets"]]
        assert [r[0] for r in rows[1:]] == chart["labels"]
        for i, row in enumerate(rows[1:]):  # a year without a figure is an empty cell, not a zero
            assert [float(x) if x else None for x in row[1:]] == [
                None if d["data"][i] is None else float(d["data"][i]) for d in chart["datasets"]
            ]
    funding = _csv(client, "funding")
    year = str(world.call.closes_at.year)
    assert [year, "600000", "500000"] in funding
    gerd = _csv(client, "indicator-gerd")
    assert ["2022", "30138"] in gerd and ["2015", "18270.7"] in gerd
    assert client.get(reverse("cooperation:dashboard_csv", args=["nothing"])).status_code == 404


def test_public_reads_but_cannot_reach_secretariat_pages(client, world, record, secretariat):
    Agreement.objects.create(
        code="draft-mou", kind="memorandum", title="Draft MoU", status=AgreementStatus.DRAFT
    )
    for name, args in (
        ("cooperation:dashboard", []),
        ("cooperation:agreements", []),
        ("cooperation:agreement", ["miit-2024"]),
        ("cooperation:meetings", []),
        ("cooperation:indicators", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert "Draft MoU" not in client.get(reverse("cooperation:agreements")).content.decode()
    assert client.get(reverse("cooperation:agreement", args=["draft-mou"])).status_code == 404
    wp = Workplan.objects.get(code="workplan-2024-25")
    item = wp.items.first()
    secretariat_pages = [
        reverse("cooperation:workplans"),
        reverse("cooperation:workplan_create"),
        reverse("cooperation:workplan", args=[wp.code]),
        reverse("cooperation:progress"),
        reverse("cooperation:item", args=[wp.code, item.pk]),
        reverse("cooperation:item_edit", args=[wp.code, item.pk]),
    ]
    for url in secretariat_pages:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(world.itc_officer)
    for url in secretariat_pages:
        assert client.get(url).status_code == 404, url
    resp = client.post(
        reverse("cooperation:workplan_create"), {"code": "x", "title_en": "X", "period": "2026"}
    )
    assert resp.status_code == 404 and not Workplan.objects.filter(code="x").exists()
    client.force_login(secretariat)
    for url in secretariat_pages:
        assert client.get(url).status_code == 200, url
    resp = client.get(reverse("cooperation:agreement", args=["draft-mou"]))
    assert resp.status_code == 200


def test_secretariat_records_workplan_and_links_item_to_a_call(
    client, world, make_ready_pair, secretariat, areas
):
    client.force_login(secretariat)
    resp = client.post(
        reverse("cooperation:workplan_create"),
        {
            "code": "wp-2026",
            "title_en": "Workplan 2026",
            "title_zh_hant": "2026年工作計劃",
            "title_zh_hans": "2026年工作计划",
            "period": "2026",
        },
    )
    assert resp.status_code == 302
    url = reverse("cooperation:item_create", args=["wp-2026"])
    # a linked item without a target is refused, and what was typed is kept
    resp = client.post(
        url,
        {
            "area": areas["funding"].pk,
            "number": "i",
            "text_en": "Fund two projects",
            "metric_code": "funding.projects_funded",
            "calls": [world.call.pk],
        },
    )
    assert resp.status_code == 200 and "positive target" in resp.content.decode()
    assert "Fund two projects" in resp.content.decode()
    resp = client.post(
        url,
        {
            "area": areas["funding"].pk,
            "number": "i",
            "text_en": "Fund two projects",
            "metric_code": "funding.projects_funded",
            "calls": [world.call.pk],
            "target": "2",
        },
    )
    assert resp.status_code == 302
    item = WorkplanItem.objects.get(workplan__code="wp-2026", number="i")
    assert item.metric_filters == {"call_ids": [world.call.pk]} and item.target == Decimal(2)
    client.post(
        url, {"area": areas["talent"].pk, "number": "ii", "text_en": "Young scientist exchanges"}
    )
    client.post(
        reverse("cooperation:workplan_move", args=["wp-2026"]), {"to": WorkplanState.APPROVED}
    )
    assert Workplan.objects.get(code="wp-2026").state == WorkplanState.APPROVED
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    html = client.get(reverse("cooperation:dashboard")).content.decode()
    assert f'id="item-{item.pk}" data-number="i" data-progress="50.0"' in html
    resp = client.get(reverse("cooperation:item", args=["wp-2026", item.pk]))
    assert "50.0%" in resp.content.decode()


def test_off_track_panel_on_the_signed_in_dashboard(client, world, secretariat, areas):
    import datetime as dt

    wp = svc.create_workplan(
        secretariat,
        code="wp",
        title="WP",
        period="2026",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 12, 31),
    )
    svc.save_item(
        secretariat,
        wp,
        area=areas["funding"],
        number="i",
        text="Fund ten projects",
        metric_code="funding.projects_funded",
        target=10,
    )
    svc.move_workplan(secretariat, wp, WorkplanState.APPROVED)
    client.force_login(secretariat)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Workplan items off track" in html and "Fund ten projects" in html
    client.force_login(world.hk_lead)
    assert "Workplan items off track" not in client.get(reverse("core:dashboard")).content.decode()


def _dashboard_queries(client):
    """Queries of the dashboard computing every figure (none kept from an earlier request,
    ``funding.figures``)."""
    stamped_cache.clear_all()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cooperation:dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_stay_flat_as_data_grows(
    client, world, make_ready_pair, record, secretariat, areas
):
    wp = Workplan.objects.get(code="workplan-2024-25")
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    link = {
        "metric_code": "funding.projects_funded",
        "metric_filters": {"call_ids": [world.call.pk]},
    }
    svc.save_item(
        secretariat, wp, area=areas["funding"], number="first", text="Linked", target=3, **link
    )
    client.get(reverse("cooperation:dashboard"))  # warm caches (content types, sessions)
    before = _dashboard_queries(client)
    for n in range(8):  # more items sharing the link, more funded projects: no more queries
        svc.save_item(
            secretariat,
            wp,
            area=areas["talent"],
            number=f"x{n}",
            text=f"Item {n}",
            metric_code="funding.projects_funded",
            metric_filters={"call_ids": [world.call.pk]},
            target=3,
        )
    fund_both_sides(world, make_eligible(world, make_ready_pair(title="Second project")))
    after = _dashboard_queries(client)
    assert after == before, (before, after)
    # a fixed base, plus one query per year shown for each activity metric other apps register
    registered = {m.code for m in metrics.all_metrics()}
    activity = sum(1 for code in ch.ACTIVITY_METRICS if code in registered)
    assert before <= 30 + ch.YEARS_SHOWN * activity, (before, activity)


def test_workplan_page_queries_stay_flat(client, world, secretariat, areas):
    client.force_login(secretariat)
    wp = svc.create_workplan(secretariat, code="wp", title="WP", period="2026")
    url = reverse("cooperation:workplan", args=["wp"])
    svc.save_item(
        secretariat,
        wp,
        area=areas["funding"],
        number="0",
        text="first",
        metric_code="funding.projects_funded",
        target=1,
    )
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    before = len(ctx.captured_queries)
    for n in range(1, 10):
        svc.save_item(
            secretariat,
            wp,
            area=areas["talent" if n % 2 else "funding"],
            number=str(n),
            text=f"x{n}",
            metric_code="funding.projects_funded",
            target=1,
        )
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) == before


def test_admin_pages_load(client, record):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456")
    client.force_login(admin)
    for model in (
        "agreement",
        "meeting",
        "workplan",
        "workplanitem",
        "indicator",
        "party",
        "cooperationarea",
    ):
        assert client.get(f"/admin/cooperation/{model}/").status_code == 200, model
    a = Agreement.objects.get(code="miit-2024")
    assert client.get(f"/admin/cooperation/agreement/{a.pk}/change/").status_code == 200
    assert client.get(f"/admin/cooperation/agreement/{a.pk}/history/").status_code == 200


def test_numbers_grouped_and_units_translated_in_chinese(client, world, make_ready_pair, record):
    fund_both_sides(world, make_eligible(world, make_ready_pair()), hkd=600000)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    html = client.get(reverse("cooperation:indicators")).content.decode()
    assert "18,270.7" in html and "30,138" in html
    html = client.get(reverse("cooperation:dashboard")).content.decode()
    assert "600,000" in html


def test_secretariat_records_a_meeting_with_decisions_and_an_agreement(
    client, world, record, secretariat
):
    from sciencebridge.cooperation.models import Meeting

    url = reverse("cooperation:meeting_create")
    client.force_login(world.itc_officer)
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    assert "new-meeting" in client.get(reverse("cooperation:meetings")).content.decode()
    resp = client.post(
        url,
        {
            "number": "20",
            "held_on": "2026-11-20",
            "place_en": "Shenzhen",
            "place_zh_hant": "深圳",
            "place_zh_hans": "深圳",
            "agenda": "1. Work report",
            "minutes": "The Committee approved the 2027 workplan.",
            "decisions_text": "Approve the 2027 workplan.\n\nOpen two more programmes.",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:500]
    m = Meeting.objects.get(number=20)
    assert [d.text for d in m.decisions.all()] == [
        "Approve the 2027 workplan.",
        "Open two more programmes.",
    ]
    client.logout()
    html = client.get(reverse("cooperation:meetings")).content.decode()
    assert "Open two more programmes." in html and "new-meeting" not in html
    client.force_login(secretariat)
    from sciencebridge.cooperation.models import Party

    resp = client.post(
        reverse("cooperation:agreement_create"),
        {
            "code": "mou-2026",
            "kind": "memorandum",
            "title_en": "MoU on research data",
            "parties": [Party.objects.get(code="most").pk],
            "status": "in_force",
            "confidence": "D",
            "signed_on": "2026-05-01",
            "valid_until": "2025-01-01",
        },
    )
    assert resp.status_code == 200 and "cannot end before it is signed" in resp.content.decode()
    assert not Agreement.objects.filter(code="mou-2026").exists()
    resp = client.post(
        reverse("cooperation:agreement_create"),
        {
            "code": "mou-2026",
            "kind": "memorandum",
            "title_en": "MoU on research data",
            "parties": [Party.objects.get(code="most").pk, Party.objects.get(code="hk-itib").pk],
            "status": "in_force",
            "confidence": "D",
            "signed_on": "2026-05-01",
        },
    )
    assert resp.status_code == 302
    assert Agreement.objects.get(code="mou-2026").parties.count() == 2


def test_a_kept_chart_is_shown_until_one_of_its_figures_changes(client, world, make_ready_pair):
    """Each chart's section is kept rendered under a key made of what it shows: a second request
    gives the same page without working the panels out again; a new figure, or another language,
    draws the chart again."""
    from unittest import mock

    from sciencebridge.cooperation.services import echarts

    def dashboard():
        with mock.patch.object(echarts, "panels", wraps=echarts.panels) as drawn:
            html = client.get(reverse("cooperation:dashboard")).content.decode()
        # the language form's CSRF token differs from one response to the next
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html), drawn.call_count

    fund_both_sides(world, make_eligible(world, make_ready_pair()), hkd=600000, rmb=500000)
    first, drawn = dashboard()
    assert drawn >= 5
    again, drawn = dashboard()
    assert again == first and drawn == 0  # every chart kept
    fund_both_sides(
        world, make_eligible(world, make_ready_pair(title="Second project")), hkd=700000, rmb=1
    )
    changed, drawn = dashboard()
    assert drawn >= 1 and "1,300,000" in changed and "1,300,000" not in first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    chinese, drawn = dashboard()
    assert drawn >= 5 and "人民幣" in chinese


def test_the_public_figures_are_kept_until_a_table_they_read_changes(
    client, world, make_ready_pair, record, monkeypatch
):
    """The figures are worked out on a visit, kept from the next one on (the first only learns
    which tables they read), per language; any write to one of those tables, a bulk update that
    sends no signal included, is seen by the next visit (``core.table_stamps``)."""
    from sciencebridge.core.testing.spies import record_calls

    computed = record_calls(monkeypatch, ch, "all_charts", lambda: 1)
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    url = reverse("cooperation:dashboard")
    pages = [client.get(url).content.decode() for _ in range(3)]
    assert len(computed) == 2
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(computed) == 2 and len(kept) <= 2  # the stamps, and nothing else for the public
    plan = Workplan.objects.filter(state="approved").first()
    Workplan.objects.filter(pk=plan.pk).update(title_en="A renamed workplan")
    renamed = client.get(url).content.decode()
    assert len(computed) == 3
    assert "A renamed workplan" in renamed and "A renamed workplan" not in pages[-1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.get(url)
    assert len(computed) == 4  # another language: its own figures
