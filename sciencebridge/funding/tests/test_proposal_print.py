"""The printable proposal (issue 15): the whole joint proposal on one page, with exactly what the proposal
page shows each viewer (same refusal, same levels per half), no actions, no reviewers."""

import re
from decimal import Decimal

import pytest
from django.urls import resolve, reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.money import format_money
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding import views
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


def _print_url(p):
    return reverse("funding:proposal_print", args=[p.reference])


def _detail_url(p):
    return reverse("funding:proposal", args=[p.reference])


def _article(body):
    """The printed content (the page's own header, nav and footer are outside it)."""
    m = re.search(r'<article class="proposal-print" id="proposal-print">(.*)</article>', body, re.S)
    assert m, "no printed article"
    return m.group(1)


HK_TOTAL = format_money(Decimal(600000), "HKD")
ML_TOTAL = format_money(Decimal(500000), "CNY")


@pytest.fixture
def submitted(world, make_ready_pair):
    """A pair whose two halves were submitted; the HK half endorsed by ASTRI (so it reached ITC)."""
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    svc.endorse(world.hk_office, p.half("HK"))
    p.refresh_from_db()
    assert p.half("HK").has_reached_agency and p.half("ML").has_reached_agency
    return p


def test_route_is_not_captured_as_a_side(world, make_ready_pair):
    p = make_ready_pair()
    assert _print_url(p).endswith(f"/proposals/{p.reference}/print/")
    assert resolve(_print_url(p)).func is views.proposal_print


@pytest.mark.parametrize("lead", ["hk_lead", "ml_lead"])
def test_applicant_sees_both_halves_in_full(world, make_ready_pair, client, lead):
    p = make_ready_pair()
    client.force_login(getattr(world, lead))
    resp = client.get(_print_url(p))
    assert resp.status_code == 200
    body = _article(resp.content.decode())
    assert p.title in body and "An abstract." in body and "A plan." in body
    # Both halves: their budgets (lines and totals, each in its own currency), teams, institutions.
    assert 'id="half-hk"' in body and 'id="half-ml"' in body
    assert HK_TOTAL in body and ML_TOTAL in body
    assert body.count('class="num budget-total"') == 2
    assert world.hk_lead.get_full_name() in body and world.ml_lead.get_full_name() in body
    assert "ASTRI" in body and "Tsinghua University" in body
    assert "sensing, logistics" in body
    # Printable: no actions in the printed part; the page hides its chrome when printed.
    assert "button" not in body and "/edit/" not in body and "<form" not in body
    page = resp.content.decode()
    assert "@media print" in page
    assert re.search(r"@media print \{[^}]*header\.topbar[^}]*nav[^}]*display: none", page)


def test_detail_page_links_to_the_print_view(world, make_ready_pair, client):
    p = make_ready_pair()
    client.force_login(world.hk_lead)
    body = client.get(_detail_url(p)).content.decode()
    assert f'href="{_print_url(p)}"' in body and "Print / save as PDF" in body


def test_same_refusal_as_the_detail_page(world, make_ready_pair, client):
    p = make_ready_pair()  # drafts: only the two leads (and a superuser) may open it
    rgc_like = UserFactory(username="itc2", roles=[Role.PROGRAMME_OFFICER], agency=world.itc)
    for user in (world.outsider, world.hk_office, world.itc_officer, world.most_officer, rgc_like):
        client.force_login(user)
        detail = client.get(_detail_url(p))
        printed = client.get(_print_url(p))
        assert detail.status_code == printed.status_code == 404, user.username
        assert p.title not in printed.content.decode()
    client.logout()
    detail, printed = client.get(_detail_url(p)), client.get(_print_url(p))
    assert detail.status_code == printed.status_code == 302
    assert printed["Location"].split("?")[0] == detail["Location"].split("?")[0]
    # An unknown reference: the same 404 too.
    client.force_login(world.hk_lead)
    assert client.get(reverse("funding:proposal_print", args=["NOPE-000"])).status_code == 404


def test_each_half_at_the_level_the_detail_page_gives(world, submitted, client):
    """MOST's officer reads the Mainland half in full and ITC's half only at the scheme's partner
    visibility (a summary: no budget), on both pages alike."""
    client.force_login(world.most_officer)
    detail = client.get(_detail_url(submitted)).content.decode()
    resp = client.get(_print_url(submitted))
    assert resp.status_code == 200
    body = _article(resp.content.decode())
    hk = body.split('id="half-hk"')[1].split("</section>")[0]
    ml = body.split('id="half-ml"')[1].split("</section>")[0]
    assert ML_TOTAL in ml and "sensing, logistics" in ml
    assert HK_TOTAL not in body and "Keywords" not in hk
    assert "ASTRI" in hk  # a summary shares the institution and the lead
    # The detail page shares the same: the HK half's keywords are not on it either.
    detail_hk = detail.split('id="half-hk"')[1].split("</section>")[0]
    assert "Keywords" not in detail_hk and "Keywords" in detail.split('id="half-ml"')[1]
    # ITC's officer: its own half in full.
    client.force_login(world.itc_officer)
    body = _article(client.get(_print_url(submitted)).content.decode())
    assert HK_TOTAL in body.split('id="half-hk"')[1].split("</section>")[0]


def test_a_partner_draft_is_pending_for_the_officer(world, make_ready_pair, client):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.endorse(world.hk_office, p.half("HK"))
    client.force_login(world.itc_officer)
    body = _article(client.get(_print_url(p)).content.decode())
    ml = body.split('id="half-ml"')[1].split("</section>")[0]
    assert "The partner has not yet submitted this half." in ml
    assert ML_TOTAL not in body and world.ml_lead.get_full_name() not in body
    assert world.ml_lead.email not in body


def _expert(username, name):
    from sciencebridge.experts.models import ExpertProfile, ExpertStatus

    user = UserFactory(
        username=username, roles=[Role.EXPERT], first_name=name, last_name="Reviewer"
    )
    profile = ExpertProfile.objects.create(
        user=user,
        name_en=f"{name} Reviewer",
        region="HK",
        email=f"{username}@experts.example.org",
        status=ExpertStatus.ADMITTED,
    )
    return user, profile


def _seat(world, proposal, profile, state):
    from sciencebridge.review.models import Assignment, AssignmentRun, RunState

    run, _ = AssignmentRun.objects.get_or_create(
        call=world.call, side="HK", defaults={"state": RunState.PUBLISHED}
    )
    return Assignment.objects.create(
        run=run, proposal=proposal, half=proposal.half("HK"), expert=profile, state=state
    )


def test_conflicted_expert_cannot_open_it(world, submitted, client):
    from sciencebridge.review.models import AssignmentState

    user, profile = _expert("coi_expert", "Conflicted")
    _seat(world, submitted, profile, AssignmentState.CONFLICT)
    client.force_login(user)
    printed = client.get(_print_url(submitted))
    assert printed.status_code == client.get(_detail_url(submitted)).status_code == 404
    assert submitted.title not in printed.content.decode()


def test_reviewer_identities_never_appear(world, submitted, client):
    from sciencebridge.review.models import AssignmentState

    reviewer, profile = _expert("zed_reviewer", "Zebedee")
    _seat(world, submitted, profile, AssignmentState.ACCEPTED)
    _, other = _expert("yan_reviewer", "Yannick")
    _seat(world, submitted, other, AssignmentState.SUBMITTED)
    secrets = [
        "Zebedee",
        "Yannick",
        "zed_reviewer",
        "yan_reviewer",
        "experts.example.org",
        reviewer.email,
    ]
    for user in (
        world.hk_lead,
        world.ml_lead,
        world.hk_office,
        world.itc_officer,
        world.most_officer,
    ):
        client.force_login(user)
        resp = client.get(_print_url(submitted))
        assert resp.status_code == 200, user.username
        page = resp.content.decode()
        assert submitted.title in page
        for s in secrets:
            assert s not in page, (user.username, s)


@pytest.mark.parametrize(
    ("lang", "link", "back", "printed", "budget"),
    [
        ("zh-hant", "列印／另存為 PDF", "返回申請", "列印於", "申請預算"),
        ("zh-hans", "打印／另存为 PDF", "返回申请", "打印于", "申请预算"),
    ],
)
def test_new_strings_in_chinese(
    world, submitted, client, settings, lang, link, back, printed, budget
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    client.force_login(world.itc_officer)
    assert link in client.get(_detail_url(submitted)).content.decode()
    page = client.get(_print_url(submitted)).content.decode()
    assert back in page and printed in page and "Printed on" not in page
    listing = client.get(reverse("funding:officer_proposals", args=[world.call.code]))
    assert budget in listing.content.decode()
    # The call page's link for the call's officers.
    call_page = client.get(reverse("funding:call", args=[world.call.code])).content.decode()
    assert "提交至" in call_page and "Proposals submitted to your agency" not in call_page
