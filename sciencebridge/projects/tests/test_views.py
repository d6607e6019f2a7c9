"""Pages: who sees what (404 for others), officer actions per side, double-submitted payments,
overdue listings and query counts that stay flat as data grows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from conftest import pdf_upload
from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.testing.kept import forget_kept_values
from sciencebridge.projects.models import (
    Outcome,
    Payment,
    Report,
    ReportState,
    Tranche,
    TrancheState,
)
from sciencebridge.projects.services import projects as svc

pytestmark = pytest.mark.django_db


def _other_project(world, funded):
    lead_hk = UserFactory(username="other_hk", institution=world.astri, roles=[Role.APPLICANT])
    lead_ml = UserFactory(username="other_ml", institution=world.fudan, roles=[Role.APPLICANT])
    return funded(title="Another project", hk_lead=lead_hk, ml_lead=lead_ml).project, lead_hk


def test_lead_sees_own_project_not_anothers(world, funded, client):
    mine = funded().project
    other, other_lead = _other_project(world, funded)
    client.force_login(world.hk_lead)
    html = client.get(reverse("projects:mine")).content.decode()
    assert mine.reference in html and other.reference not in html
    assert client.get(reverse("projects:detail", args=[mine.reference])).status_code == 200
    assert client.get(reverse("projects:detail", args=[other.reference])).status_code == 404
    other_report = other.sides.get(side="HK").reports.first()
    assert (
        client.get(reverse("projects:report", args=[other.reference, other_report.pk])).status_code
        == 404
    )
    # an object of another project cannot be reached through my project's URL either
    assert (
        client.get(reverse("projects:report", args=[mine.reference, other_report.pk])).status_code
        == 404
    )
    assert client.get(reverse("projects:outcome_create", args=[other.reference])).status_code == 404
    client.force_login(world.outsider)
    assert client.get(reverse("projects:detail", args=[mine.reference])).status_code == 404


def test_officer_sees_and_manages_only_own_side(world, project, client):
    client.force_login(world.itc_officer)
    html = client.get(reverse("projects:detail", args=[project.reference])).content.decode()
    assert 'id="side-hk"' in html and 'id="side-ml"' not in html
    assert "HK$600,000.00" in html
    ml_t1 = project.sides.get(side="ML").tranches.get(number=1)
    ml_report = project.sides.get(side="ML").reports.first()
    assert (
        client.get(reverse("projects:pay", args=[project.reference, ml_t1.pk])).status_code == 404
    )
    assert (
        client.get(reverse("projects:report", args=[project.reference, ml_report.pk])).status_code
        == 404
    )
    hk_t1 = project.sides.get(side="HK").tranches.get(number=1)
    assert (
        client.get(reverse("projects:pay", args=[project.reference, hk_t1.pk])).status_code == 200
    )
    # a lead sees both sides but cannot pay
    client.force_login(world.ml_lead)
    html = client.get(reverse("projects:detail", args=[project.reference])).content.decode()
    assert 'id="side-hk"' in html and 'id="side-ml"' in html
    assert (
        client.get(reverse("projects:pay", args=[project.reference, hk_t1.pk])).status_code == 403
    )


def test_double_submitted_payment_form_pays_once(world, project, client):
    client.force_login(world.itc_officer)
    t1 = project.sides.get(side="HK").tranches.get(number=1)
    url = reverse("projects:pay", args=[project.reference, t1.pk])
    resp = client.get(url)
    key = resp.context["form"].initial["idempotency_key"]
    data = {
        "idempotency_key": key,
        "amount_0": "240000",
        "amount_1": "HKD",
        "paid_on": timezone.localdate().isoformat(),
        "bank_reference": "HSBC-001",
    }
    r1 = client.post(url, data, follow=True)
    r2 = client.post(url, data, follow=True)
    assert "Payment of HK$240,000.00 recorded" in r1.content.decode()
    assert "already recorded; nothing was paid twice" in r2.content.decode()
    assert Payment.objects.count() == 1
    t1.refresh_from_db()
    assert t1.state == TrancheState.PAID


def test_over_budget_payment_refused_in_page_keeps_input(world, project, client):
    client.force_login(world.itc_officer)
    t1 = project.sides.get(side="HK").tranches.get(number=1)
    url = reverse("projects:pay", args=[project.reference, t1.pk])
    key = client.get(url).context["form"].initial["idempotency_key"]
    resp = client.post(
        url,
        {
            "idempotency_key": key,
            "amount_0": "650000",
            "amount_1": "HKD",
            "paid_on": timezone.localdate().isoformat(),
            "bank_reference": "REF-XYZ",
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "would exceed the approved budget of the Hong Kong side" in html and "REF-XYZ" in html
    assert not Payment.objects.exists()


def test_report_submit_review_and_release_through_pages(world, project, client):
    hk = project.sides.get(side="HK")
    report = hk.reports.get(number=1)
    url = reverse("projects:report", args=[project.reference, report.pk])
    client.force_login(world.hk_lead)
    resp = client.post(url, {"action": "submit", "summary": "", "file": pdf_upload("p1.pdf")})
    assert (
        "Describe the progress" in resp.content.decode()
        or "This field is required" in resp.content.decode()
    )
    resp = client.post(
        url,
        {
            "action": "submit",
            "summary": "All sensors deployed",
            "milestones": "M1, M2",
            "file": pdf_upload("p1.pdf"),
        },
        follow=True,
    )
    assert "submitted to" in resp.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.file
    assert client.get(report.file.url).status_code == 200
    # the other agency's officer cannot review it
    client.force_login(world.most_officer)
    assert client.post(url, {"action": "review", "decision": "accept"}).status_code == 404
    client.force_login(world.itc_officer)
    resp = client.post(
        url, {"action": "review", "decision": "accept", "comment": "Good"}, follow=True
    )
    assert "Tranche 2 is now released for payment" in resp.content.decode()
    assert hk.tranches.get(number=2).state == TrancheState.RELEASED


def test_outcome_patent_recorded_in_page(world, project, client):
    client.force_login(world.hk_lead)
    url = reverse("projects:outcome_create", args=[project.reference])
    resp = client.post(
        url,
        {
            "kind": "patent",
            "title": "Low-power sensor node",
            "date": "2026-03-01",
            "ip_status": "",
            "jurisdiction": "",
        },
    )
    assert resp.status_code == 200 and "Give the status of this IP" in resp.content.decode()
    resp = client.post(
        url,
        {
            "kind": "patent",
            "title": "Low-power sensor node",
            "date": "2026-03-01",
            "ip_status": "filed",
            "jurisdiction": "PCT",
            "application_number": "PCT/CN2026/000123",
            "amount_1": "HKD",
        },
        follow=True,
    )
    assert "PCT international application" in resp.content.decode()
    assert Outcome.objects.get().jurisdiction == "PCT"


def test_change_request_pages(world, project, client):
    client.force_login(world.hk_lead)
    url = reverse("projects:change_create", args=[project.reference])
    resp = client.post(
        url,
        {
            "kind": "extension",
            "description": "Equipment delayed",
            "new_end_date": "2020-01-01",
            "amount_1": "HKD",
        },
    )
    assert "An extension needs a new end date" in resp.content.decode()
    new_end = (project.end_date + dt.timedelta(days=120)).isoformat()
    client.post(
        url,
        {
            "kind": "extension",
            "description": "Equipment delayed",
            "new_end_date": new_end,
            "amount_1": "HKD",
        },
    )
    change = project.sides.get(side="HK").change_requests.get()
    client.force_login(world.most_officer)
    assert (
        client.get(reverse("projects:change", args=[project.reference, change.pk])).status_code
        == 404
    )
    client.force_login(world.itc_officer)
    client.post(
        reverse("projects:change", args=[project.reference, change.pk]), {"decision": "approve"}
    )
    project.refresh_from_db()
    assert project.end_date.isoformat() == new_end


def _make_overdue(project):
    past = timezone.localdate() - dt.timedelta(days=10)
    Report.objects.filter(project_side__project=project, number=1).update(due_date=past)
    Tranche.objects.filter(project_side__project=project, number=1).update(due_date=past)


def test_overdue_reports_and_payments_on_officer_dashboard(world, funded, client):
    project = funded().project
    other, _lead = _other_project(world, funded)
    _make_overdue(project)
    client.force_login(world.itc_officer)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="projects-officer-panel"' in html
    assert html.count(f"{project.reference}</a>") >= 2  # an overdue report and an overdue payment
    assert f"{other.reference}</a>" not in html
    assert "overdue by" in html
    desk = client.get(reverse("projects:officer")).content.decode()
    assert "Overdue reports" in desk and project.reference in desk
    # paying the tranche takes it off the overdue list
    t1 = project.sides.get(side="HK").tranches.get(number=1)
    svc.record_payment(
        t1, actor=world.itc_officer, amount=t1.amount, idempotency_key=svc.new_idempotency_key()
    )
    from sciencebridge.projects import selectors

    assert not selectors.overdue_payments(world.itc_officer).exists()
    assert [r.project_side.side for r in selectors.overdue_reports(world.itc_officer)] == ["HK"]
    assert [r.project_side.side for r in selectors.overdue_reports(world.most_officer)] == ["ML"]


def test_desk_shows_the_oldest_rows_of_each_list_and_each_list_in_full(
    world, funded, client, monkeypatch
):
    from sciencebridge.projects import views

    monkeypatch.setattr(views, "DESK_ROWS", 1)
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    first = funded().project
    second, _lead = _other_project(world, funded)
    _make_overdue(first)
    _make_overdue(second)
    Report.objects.filter(project_side__project=second, number=1).update(
        due_date=timezone.localdate() - dt.timedelta(days=40)
    )
    client.force_login(world.itc_officer)
    # the dashboard's panel: the most overdue, and the way to the desk's whole list
    from sciencebridge.projects import dashboard

    monkeypatch.setattr(dashboard, "OFFICER_ROWS", 1)
    panel = client.get(reverse("core:dashboard")).content.decode()
    panel = panel.split('id="projects-officer-panel"')[1].split("</div>")[0]
    overdue = panel.split("Overdue payments")[0]
    assert second.reference in overdue and first.reference not in overdue
    assert 'href="/projects/officer/?section=overdue-reports"' in panel
    assert 'href="/projects/officer/?section=overdue-payments"' in panel  # two overdue tranches
    desk = client.get(reverse("projects:officer")).content.decode()
    reports = desk.split('id="overdue-reports"')[1].split("</section>")[0]
    # the oldest only, and a link to the whole list
    assert second.reference in reports and first.reference not in reports
    assert 'href="?section=overdue-reports"' in reports
    whole = client.get(reverse("projects:officer"), {"section": "overdue-reports"})
    html = whole.content.decode()
    assert 'id="overdue-payments"' not in html and "(2)" in html
    assert second.reference in html and 'href="?section=overdue-reports&amp;page=2"' in html
    page2 = client.get(reverse("projects:officer"), {"section": "overdue-reports", "page": 2})
    assert first.reference in page2.content.decode()
    # an unknown section is the desk; the other agency's officer sees only the Mainland sides
    assert (
        'id="payable"' in client.get(reverse("projects:officer"), {"section": "x"}).content.decode()
    )
    client.force_login(world.most_officer)
    ml = client.get(reverse("projects:officer"), {"section": "overdue-reports"})
    assert [r.project_side.side for r in ml.context["sections"][0]["rows"]] == ["ML"]


def test_due_reports_on_lead_dashboard(world, project, client):
    Report.objects.filter(project_side__project=project, number=1).update(
        due_date=timezone.localdate() + dt.timedelta(days=5)
    )
    client.force_login(world.hk_lead)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="projects-lead-panel"' in html and "Progress report 1" in html


def test_project_list_reads_what_it_shows_newest_first_and_pages_keep_the_filter(
    world, funded, client, monkeypatch
):
    from sciencebridge.projects import views
    from sciencebridge.projects.models import Project

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    older = funded().project
    newer, _ = _other_project(world, funded)
    Project.objects.filter(pk=older.pk).update(start_date=newer.start_date - dt.timedelta(days=30))
    client.force_login(world.itc_officer)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("projects:mine"), {"state": "active"}).content.decode()
    assert newer.reference in html and older.reference not in html
    assert 'href="?state=active&amp;page=2"' in html
    sql = [q["sql"] for q in ctx.captured_queries]
    # neither the proposals (the list shows none of their columns) nor, for the sides, a join with
    # the projects to sort them by the project's own ordering
    assert not any("funding_jointproposal" in q for q in sql)
    assert not any(
        q.startswith('SELECT "projects_projectside"') and 'JOIN "projects_project"' in q
        for q in sql
    )
    # the sides' leads by their ids, names only (joined, the planner read every user)
    assert not any('JOIN "accounts_user"' in q for q in sql)
    names = 'SELECT "accounts_user"."id", "accounts_user"."username", "accounts_user"."first_name"'
    assert sum(q.startswith(names) and '"password"' not in q for q in sql) == 1
    page2 = client.get(reverse("projects:mine"), {"state": "active", "page": 2}).content.decode()
    assert older.reference in page2 and 'href="?state=active&amp;page=1"' in page2


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _count_computed(client, url):
    """The queries of a page computed afresh (``forget_kept_values``)."""
    forget_kept_values()
    return _count(client, url)


def test_query_counts_stay_flat(world, funded, client):
    project = funded().project
    client.force_login(world.itc_officer)
    detail = reverse("projects:detail", args=[project.reference])
    urls = [reverse("projects:mine"), reverse("projects:officer"), reverse("core:dashboard")]
    # One overdue report and payment from the start: a dashboard panel reads its ids, then its rows
    # only when there are some (``core.first_rows``), so the baseline is a panel with rows.
    _make_overdue(project)
    # the detail page once first: the content type it looks up is then in Django's per-process
    # cache, as after any earlier test in the same worker (run alone, the test counted one more)
    client.get(detail)
    before = [_count_computed(client, u) for u in urls]
    before_detail = _count(client, detail)
    for i in range(3):
        p = (
            _other_project(world, funded)[0]
            if i == 0
            else funded(
                title=f"P{i}",
                hk_lead=UserFactory(institution=world.astri, roles=[Role.APPLICANT]),
                ml_lead=UserFactory(institution=world.fudan, roles=[Role.APPLICANT]),
            ).project
        )
        _make_overdue(p)
    hk = project.sides.get(side="HK")
    t1 = hk.tranches.get(number=1)
    for amount in (1000, 2000, 3000):
        svc.record_payment(
            t1,
            actor=world.itc_officer,
            amount=Money(amount, "HKD"),
            idempotency_key=svc.new_idempotency_key(),
        )
    for o in range(4):
        svc.add_outcome(project, actor=world.hk_lead, kind="publication", title=f"Paper {o}")
    after = [_count_computed(client, u) for u in urls]
    assert after == before, (before, after)
    assert _count(client, detail) == before_detail


@pytest.mark.parametrize(
    "lang, words",
    [
        ("zh-hant", ["撥款時間表", "第 1 期撥款", "核准預算", "已批准發放", "餘額"]),
        ("zh-hans", ["拨款计划", "第 1 期拨款", "核定预算", "已核准拨付", "余额"]),
    ],
)
def test_project_page_in_chinese(world, project, client, lang, words):
    client.force_login(world.hk_lead)
    client.post(reverse("set_language"), {"language": lang, "next": "/"})
    html = client.get(reverse("projects:detail", args=[project.reference])).content.decode()
    for w in words:
        assert w in html


def test_admin_pages(world, project, client, admin_user):
    from sciencebridge.projects.models import ReportingRules

    client.force_login(admin_user)
    assert client.get("/admin/projects/reportingrules/add/").status_code == 200
    resp = client.post(
        "/admin/projects/reportingrules/add/",
        {
            "scheme": world.scheme.pk,
            "report_interval_months": 6,
            "report_due_days": 30,
            "final_due_days": 90,
            "payment_days": 30,
            "first_tranche_percent": 30,
            "retention_percent": 10,
        },
    )
    assert resp.status_code == 302 and ReportingRules.objects.get().report_interval_months == 6
    for url in ("/admin/projects/project/", "/admin/projects/payment/", "/admin/projects/outcome/"):
        assert client.get(url).status_code == 200


def test_worklists_read_only_what_their_rows_show(world, funded, client):
    """The desk's and the dashboard panel's rows show the project, the side and the report or
    tranche: no report texts, no lead, institution or gating report are read for them."""
    _make_overdue(funded().project)
    client.force_login(world.itc_officer)
    for url in (reverse("projects:officer"), reverse("core:dashboard")):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        assert "overdue by" in html
        lists = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith(
                ('SELECT "projects_report"."id", ', 'SELECT "projects_tranche"."id", ')
            )
        ]
        assert lists, url
        for sql in lists:
            assert '"projects_report"."summary"' not in sql and '"review_comment"' not in sql
            assert '"accounts_user"' not in sql and '"institutions_institution"' not in sql
