"""Issue 15: the research office's endorsement page shows what the office endorses — the half's
budget, team and attachments — at the level the office has, and only for its own institution."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.money import format_money
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.testing.files import linked_file_names
from sciencebridge.funding.models import RequiredAttachment
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


def _url(p, side="hk"):
    return reverse("funding:endorse", args=[p.reference, side])


def _submitted(make_ready_pair, world, title="Smart sensing", *, lines=None, members=()):
    p = make_ready_pair(title=title)
    half = p.half("HK")
    if lines is not None:
        svc.replace_budget(world.hk_lead, half, lines)
    for name, role in members:
        svc.add_team_member(world.hk_lead, half, name=name, institution=world.company, role=role)
    svc.submit_half(world.hk_lead, half)
    p.refresh_from_db()
    return p


def test_office_sees_budget_team_and_attachments_of_its_half(world, make_ready_pair, client):
    p = _submitted(
        make_ready_pair,
        world,
        lines=[
            {
                "category": "staff",
                "description": "Research assistant",
                "amount": Money(400000, "HKD"),
            },
            {"category": "travel", "description": "Shenzhen visits", "amount": Money(25000, "HKD")},
        ],
        members=[("Dr Chan Tai Man", "co_i")],
    )
    client.force_login(world.hk_office)
    r = client.get(_url(p))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="endorsed-half"' in html
    # Budget: each row and the total, money formatted the platform's one way.
    assert "Research assistant" in html and "Shenzhen visits" in html
    assert format_money(Money(400000, "HKD")) in html
    assert format_money(Money(25000, "HKD")) in html
    total = html.split('id="endorsed-budget-total">')[1].split("<")[0]
    assert total == format_money(425000, "HKD")
    # Team: people, roles, institutions.
    assert "Dr Chan Tai Man" in html
    assert "Co-investigator" in html
    assert "HK Robotics Ltd" in html
    # Attachments: the signed file route the proposal page links, which the office may download.
    att = p.half("HK").attachments.get()
    assert "/files/" in att.file.url
    # signed links carry a timestamp: compare the stored names behind them, not the addresses
    assert att.file.name in linked_file_names(html)
    assert client.get(att.file.url).status_code == 200
    # The partner half (another institution) is not what this page shows.
    assert "500,000" not in html and "CNY" not in html


def test_other_offices_see_nothing(world, make_ready_pair, client):
    p = _submitted(
        make_ready_pair,
        world,
        lines=[
            {"category": "staff", "description": "Secret RA line", "amount": Money(300000, "HKD")}
        ],
    )
    # The research office of another Hong Kong institution cannot open the proposal at all.
    client.force_login(world.hku_office)
    r = client.get(_url(p))
    assert r.status_code == 404
    # The partner side's research office sees the proposal (summary of the HK half) but may not
    # endorse it, and the page does not leak the half's budget.
    ml_office = UserFactory(
        username="tsinghua_office", institution=world.tsinghua, roles=[Role.RESEARCH_OFFICE]
    )
    svc.submit_half(world.ml_lead, p.half("ML"))
    client.force_login(ml_office)
    r = client.get(_url(p))
    assert r.status_code == 403
    assert b"Secret RA line" not in r.content
    # And the applicant is not the research office either.
    client.force_login(world.hk_lead)
    r = client.get(_url(p))
    assert r.status_code == 403
    assert b"endorsed-half" not in r.content


def test_institutions_shown_by_localised_name(world, make_ready_pair, client):
    world.company.name_zh_hant = "港機械人有限公司"
    world.company.save()
    world.astri.name_zh_hant = "香港應用科技研究院"
    world.astri.save()
    p = _submitted(make_ready_pair, world, members=[("陳大文", "member")])
    client.force_login(world.hk_office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    html = client.get(_url(p)).content.decode()
    section = html.split('id="endorsed-half"')[1]
    assert "港機械人有限公司" in section
    assert "香港應用科技研究院" in section
    assert "HK Robotics Ltd" not in section
    assert "ASTRI" not in section


def test_query_count_does_not_grow_with_rows(
    world, make_ready_pair, client, django_assert_max_num_queries
):
    from conftest import pdf_upload

    small = _submitted(make_ready_pair, world, "Small")
    big = make_ready_pair(title="Big")
    half = big.half("HK")
    svc.replace_budget(
        world.hk_lead,
        half,
        [
            {"category": "staff", "description": f"RA {i}", "amount": Money(10000 + i, "HKD")}
            for i in range(8)
        ],
    )
    for i in range(6):
        svc.add_team_member(world.hk_lead, half, name=f"Member {i}", institution=world.company)
    for i in range(4):
        kind = RequiredAttachment.objects.create(
            scheme=world.scheme, code=f"annex-{i}", name=f"Annex {i}", required=False
        )
        svc.add_attachment(world.hk_lead, half, kind, pdf_upload(f"annex-{i}.pdf"))
    svc.submit_half(world.hk_lead, half)

    client.force_login(world.hk_office)
    client.get(_url(small))  # warm per-process caches (content types, site settings)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url(small)).status_code == 200
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        html = client.get(_url(big)).content.decode()
    assert html.count("Member ") == 6
    assert all(f"RA {i}<" in html for i in range(8))
    assert all(f"Annex {i}<" in html for i in range(4))
