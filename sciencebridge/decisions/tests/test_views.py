"""Pages: who sees what (object by object), the chair's recommendations, decisions through the form,
the applicant's anonymised view, and query counts that stay flat as the call grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.kept import page_and_reads
from sciencebridge.decisions import selectors as dselectors
from sciencebridge.decisions.models import Panel, PanelRecommendation
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.decisions.services import ranking_cache

pytestmark = pytest.mark.django_db


def _reviewed(dworld, eligible_pair, add_review, n=1, **leads):
    props = []
    for i in range(n):
        p = eligible_pair(**leads)
        add_review(
            p.half("HK"),
            "Harsh Reviewer",
            {"quality": 4 + i % 3, "feasibility": 5},
            comments=f"Clear plan {i}; strengthen the data section.",
            confidential="Weak PI, between us.",
        )
        add_review(
            p.half("HK"),
            "Lenient Reviewer",
            {"quality": 8, "feasibility": 7 + i % 2},
            comments=f"Excellent consortium {i}.",
        )
        add_review(
            p.half("ML"), "Mainland Reviewer", {"quality": 7, "feasibility": 6}, comments="Solid."
        )
        props.append(p)
    return props


def test_panel_visibility(dworld, eligible_pair, add_review, client):
    _reviewed(dworld, eligible_pair, add_review)
    url = reverse("decisions:panel", args=[dworld.call.code, "hk"])
    for user, status in (
        (dworld.itc_officer, 200),
        (dworld.most_officer, 404),
        (dworld.hk_lead, 404),
        (dworld.chair, 404),
        (dworld.outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(dworld.most_officer)
    assert client.get(reverse("decisions:panel", args=[dworld.call.code, "ml"])).status_code == 200
    assert client.get(reverse("decisions:panel", args=[dworld.call.code, "xx"])).status_code == 404


def test_officer_appoints_chair_who_records_recommendation(
    dworld, eligible_pair, add_review, client
):
    (p,) = _reviewed(dworld, eligible_pair, add_review)
    panel_url = reverse("decisions:panel", args=[dworld.call.code, "hk"])
    client.force_login(dworld.itc_officer)
    html = client.post(panel_url, {"chair": dworld.hk_lead.pk}).content.decode()
    assert "Select a valid choice" in html  # only holders of the panel chair role
    assert client.post(panel_url, {"chair": dworld.chair.pk}).status_code == 302
    assert Panel.objects.get(call=dworld.call, side="HK").chair == dworld.chair

    client.force_login(dworld.chair)
    html = client.get(panel_url).content.decode()
    assert (
        "Harsh Reviewer" in html and "How the scores are computed" in html and "Quality ×2" in html
    )
    rec_url = reverse("decisions:recommend", args=[dworld.call.code, "hk", p.reference])
    html = client.post(
        rec_url,
        {"recommendation": "fund_conditions", "notes": "Strong but costly.", "conditions": ""},
    ).content.decode()
    assert "State the conditions." in html and "Strong but costly." in html  # input kept
    assert (
        client.post(
            rec_url,
            {
                "recommendation": "fund_conditions",
                "notes": "Strong but costly.",
                "conditions": "Cut equipment by 10%.",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            rec_url,
            {"recommendation": "fund", "notes": "Revised after discussion.", "conditions": ""},
        ).status_code
        == 302
    )
    rec = PanelRecommendation.objects.get(half=p.half("HK"))
    assert rec.recommendation == "fund" and rec.rank == 1 and rec.calibrated_score is not None
    html = client.get(rec_url).content.decode()
    assert "Fund with conditions" in html and "Revised after discussion." in html  # history kept
    assert rec.history.count() >= 3

    client.force_login(dworld.itc_officer)  # officers read but do not record
    assert client.post(rec_url, {"recommendation": "reject", "notes": "x"}).status_code == 403


def test_panel_scores_use_criterion_weights_and_calibration(dworld, eligible_pair, add_review):
    props = _reviewed(dworld, eligible_pair, add_review, n=3)
    view = psvc.panel_view(psvc.panel_for(dworld.call, "HK"), viewer=dworld.itc_officer)
    by_ref = {r.half.proposal.reference: r for r in view.rows}
    first = by_ref[props[0].reference]
    # Harsh: quality 4 (w2), feasibility 5 (w1) -> 13/3; Lenient: 8, 7 -> 23/3.
    assert first.result.raw == pytest.approx((13 / 3 + 23 / 3) / 2)
    assert first.result.spread == pytest.approx(10 / 3)
    offsets = {r["expert"].name_en: r["offset"] for r in view.reviewers}
    assert offsets["Harsh Reviewer"] < 0 < offsets["Lenient Reviewer"]
    assert [r.result.rank for r in view.rows] == [1, 2, 3]


def test_meeting_and_decision_form(dworld, eligible_pair, add_review, ready_to_decide, client):
    dworld.call.budget_hk = Money(500000, "HKD")
    dworld.call.save()
    (p,) = _reviewed(dworld, eligible_pair, add_review)
    ready_to_decide(p)
    url = reverse("decisions:meeting", args=[dworld.call.code])
    for user, status in (
        (dworld.itc_officer, 200),
        (dworld.most_officer, 200),
        (dworld.chair, 404),
        (dworld.hk_lead, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(dworld.itc_officer)
    html = client.get(url).content.decode()
    assert p.reference in html and "HK$500,000.00" in html
    decide = reverse("decisions:decide", args=[p.reference, "hk"])
    html = client.post(
        decide, {"decision": "fund", "amount": "600000", "reason": "Top ranked"}
    ).content.decode()
    assert "Not enough budget: HK$500,000.00 remains" in html and "Top ranked" in html
    assert client.post(reverse("decisions:decide", args=[p.reference, "ml"]), {}).status_code == 403
    assert (
        client.post(
            decide, {"decision": "fund", "amount": "450000", "reason": "Top ranked"}
        ).status_code
        == 302
    )
    html = client.get(reverse("decisions:budget", args=[dworld.call.code])).content.decode()
    assert "HK$450,000.00" in html and "HK$50,000.00" in html


def test_applicant_sees_anonymised_comments_only_when_final(
    dworld, eligible_pair, add_review, ready_to_decide, client
):
    (p,) = _reviewed(dworld, eligible_pair, add_review)
    ready_to_decide(p)
    url = reverse("decisions:outcome", args=[p.reference])
    client.force_login(dworld.hk_lead)
    html = client.get(url).content.decode()
    assert "has not been announced" in html and "Clear plan" not in html
    dsvc.decide(
        dworld.itc_officer, p.half("HK"), fund=True, amount=600000, reason="Internal: ranked 1."
    )
    html = client.get(url).content.decode()
    assert "has not been announced" in html and "Internal: ranked 1." not in html
    dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount=400000, reason="ok")
    for user in (dworld.hk_lead, dworld.ml_lead):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "The joint project is funded by both agencies." in html
        assert (
            "Reviewer 1" in html
            and "Reviewer 2" in html
            and "Clear plan 0" in html
            and "Solid." in html
        )
        for secret in (
            "Harsh Reviewer",
            "Lenient Reviewer",
            "Mainland Reviewer",
            "Weak PI",
            "Internal: ranked",
        ):
            assert secret not in html
        resp = client.get(reverse("decisions:letter", args=[p.reference, "hk"]))
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    client.force_login(dworld.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("decisions:letter", args=[p.reference, "hk"])).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_stay_flat(dworld, eligible_pair, add_review, ready_to_decide, client):
    _reviewed(dworld, eligible_pair, add_review, n=2)
    urls = [
        reverse("decisions:panel", args=[dworld.call.code, "hk"]),
        reverse("decisions:meeting", args=[dworld.call.code]),
        reverse("decisions:budget", args=[dworld.call.code]),
    ]
    client.force_login(dworld.itc_officer)
    [_queries(client, u) for u in urls]  # warm up: the first visit creates the panel rows

    def counts():
        # each page with the side rankings computed (the first visit), then kept (ranking_cache)
        ranking_cache.side_rankings.clear()
        return [_queries(client, u) for u in urls], [_queries(client, u) for u in urls]

    before = counts()
    props = _reviewed(dworld, eligible_pair, add_review, n=3)
    ready_to_decide(*props)
    dsvc.decide(dworld.itc_officer, props[0].half("HK"), fund=True, amount=1000, reason="x")
    dsvc.decide(dworld.most_officer, props[1].half("ML"), fund=False, reason="x")
    after = counts()
    assert after == before, (before, after)
    computed, kept = after
    assert kept[0] == computed[0] - 2  # the panel: no references, no review scores read
    # the meeting reads the call's halves (the ranking's stamp) once for both sides
    with CaptureQueriesContext(connection) as ctx:
        client.get(urls[1])
    stamp_reads = [  # as rows (SQLite) or as their digest (PostgreSQL)
        q
        for q in ctx.captured_queries
        if '"institution_id" AS "institution_id"' in q["sql"] or "string_agg(" in q["sql"]
    ]
    assert len(stamp_reads) == 1
    assert kept[1] == computed[1] - 2  # the meeting: the ML side (the panel page computed HK)


def test_dashboard_sections(dworld, eligible_pair, add_review, ready_to_decide, client):
    (p,) = _reviewed(dworld, eligible_pair, add_review)
    panel = psvc.panel_for(dworld.call, "HK")
    psvc.appoint_chair(dworld.itc_officer, panel, dworld.chair)
    client.force_login(dworld.itc_officer)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert (
        "Funding decisions" in html and "No decisions pending." in html
    )  # under review: not pending yet
    psvc.record_recommendation(dworld.chair, p.half("HK"), recommendation="fund", notes="Good.")
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("decisions:decide", args=[p.reference, "hk"]) in html
    client.force_login(dworld.chair)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert (
        "Panels to rank" in html
        and reverse("decisions:panel", args=[dworld.call.code, "hk"]) in html
    )
    assert "Panels and decisions" in html  # nav
    client.force_login(dworld.hk_lead)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Panels to rank" not in html and "Funding decisions" not in html
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=False, reason="x")
    html = client.get(reverse("core:dashboard")).content.decode()
    assert (
        "Funding decisions on your proposals" in html
        and reverse("decisions:outcome", args=[p.reference]) in html
    )


def test_dashboard_budgets_are_those_of_the_agencys_calls_with_decisions(
    dworld, eligible_pair, add_review, ready_to_decide, client
):
    (p,) = _reviewed(dworld, eligible_pair, add_review)
    budget = reverse("decisions:budget", args=[dworld.call.code])
    client.force_login(dworld.itc_officer)
    assert budget not in client.get(reverse("core:dashboard")).content.decode()
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=500000, reason="Strong.")
    for officer in (dworld.itc_officer, dworld.most_officer):  # the call funds both agencies' sides
        client.force_login(officer)
        html = client.get(reverse("core:dashboard")).content.decode()
        assert html.count(budget) == 1


def test_dashboard_budgets_are_kept_per_agency_until_a_table_changes(
    dworld, eligible_pair, add_review, ready_to_decide, client
):
    """The budgets are kept (``decisions.dashboard``): the first computation learns their tables,
    the second keeps them, then no decision is read again until one, or the call, changes."""
    from sciencebridge.core.testing.factories import UserFactory
    from sciencebridge.funding.models import Call

    (p,) = _reviewed(dworld, eligible_pair, add_review)
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=500000, reason="Strong.")
    client.force_login(dworld.itc_officer)
    for _ in range(2):
        page_and_reads(client, "/dashboard/", "decisions_sidedecision")
    kept, reads = page_and_reads(client, "/dashboard/", "decisions_sidedecision")
    assert reads == 0 and "500,000" in kept
    client.force_login(
        UserFactory(agency=dworld.itc, roles=[Role.PROGRAMME_OFFICER], username="itc_colleague")
    )
    html, reads = page_and_reads(client, "/dashboard/", "decisions_sidedecision")
    assert reads == 0 and "500,000" in html
    Call.objects.filter(pk=dworld.call.pk).update(budget_hk=Money(7654321, "HKD"))
    html, reads = page_and_reads(client, "/dashboard/", "decisions_sidedecision")
    assert reads > 0 and "7,654,321" in html and "7,654,321" not in kept


def test_the_applicants_outcomes_cost_the_same_queries_for_one_or_three(
    dworld, eligible_pair, add_review, ready_to_decide, client
):
    props = _reviewed(
        dworld, eligible_pair, add_review, n=3, hk_lead=dworld.hk_lead, ml_lead=dworld.ml_lead
    )
    ready_to_decide(*props)
    client.force_login(dworld.hk_lead)

    def outcomes_and_queries():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("core:dashboard")).content.decode()
        shown = [p for p in props if reverse("decisions:outcome", args=[p.reference]) in html]
        return len(shown), len(ctx)

    dsvc.decide(dworld.itc_officer, props[0].half("HK"), fund=False, reason="x")
    one = outcomes_and_queries()
    for p in props[1:]:
        dsvc.decide(dworld.itc_officer, p.half("HK"), fund=False, reason="x")
    three = outcomes_and_queries()
    assert (one[0], three[0]) == (1, 3)
    assert three[1] == one[1]
    rows = dselectors.my_outcomes(dworld.hk_lead)
    expected = sorted(props, key=lambda p: p.reference)  # one call: by reference
    assert [p.pk for p in rows] == [p.pk for p in expected]
    with CaptureQueriesContext(connection) as ctx:
        funded = [(p.is_jointly_funded, [h.state for h in p.halves.all()]) for p in rows]
    assert len(ctx) == 0
    assert funded == [(False, [h.state for h in p.halves.all()]) for p in expected]
    assert dselectors.my_outcomes(dworld.itc_officer) == []


def test_shared_review_counts_on_both_panels_and_reads_as_joint_review(
    dworld, eligible_pair, ready_to_decide, client
):
    """A scheme with one shared review: the reviews of the whole proposal rank it on both sides' panels."""
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.review.models import Assignment, AssignmentRun, Review, ReviewScore

    p = eligible_pair()
    run = AssignmentRun.objects.create(call=dworld.call, side="", state="published")
    for i, (name, q) in enumerate((("Shared One", 8), ("Shared Two", 6))):
        e = ExpertProfile.objects.create(name_en=name, region="HK", email=f"shared{i}@x.org")
        a = Assignment.objects.create(run=run, proposal=p, half=None, expert=e, state="submitted")
        r = Review.objects.create(
            assignment=a, state="submitted", comments_to_applicant=f"Shared comment {i}."
        )
        ReviewScore.objects.create(review=r, criterion=dworld.quality, score=q)
    for side in ("HK", "ML"):
        row = psvc.panel_view(psvc.panel_for(dworld.call, side), viewer=dworld.itc_officer).rows[0]
        assert row.result.n == 2 and row.result.raw == pytest.approx(7)
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=False, reason="x")
    client.force_login(dworld.ml_lead)
    html = client.get(reverse("decisions:outcome", args=[p.reference])).content.decode()
    assert "Joint review" in html and "Shared comment 0." in html and "Shared One" not in html
    assert "The joint project is not funded." in html


def test_pages_refuse_people_outside_their_role(dworld, eligible_pair, client):
    p = eligible_pair()
    code = dworld.call.code
    decide_hk = reverse("decisions:decide", args=[p.reference, "hk"])
    for user in (dworld.hk_lead, dworld.chair, dworld.outsider, dworld.hk_office):
        client.force_login(user)
        for url in (
            reverse("decisions:meeting", args=[code]),
            reverse("decisions:budget", args=[code]),
            decide_hk,
        ):
            assert client.get(url).status_code == 404, (user.username, url)
        assert (
            client.post(decide_hk, {"decision": "fund", "amount": "1", "reason": "x"}).status_code
            == 404
        )
    client.force_login(
        dworld.most_officer
    )  # the other agency sees the meeting but decides only its side
    assert client.get(reverse("decisions:meeting", args=[code])).status_code == 200
    assert (
        client.post(decide_hk, {"decision": "fund", "amount": "1", "reason": "x"}).status_code
        == 403
    )
    assert not p.half("HK").__class__.objects.filter(pk=p.half("HK").pk, state="funded").exists()
    client.logout()
    assert (
        client.get(reverse("decisions:meeting", args=[code])).status_code == 302
    )  # to the login page


def test_panel_ranks_the_whole_side_and_shows_it_a_page_at_a_time(
    dworld, eligible_pair, client, monkeypatch
):
    from sciencebridge.decisions import views as dviews

    monkeypatch.setattr(dviews, "PANEL_PAGE_SIZE", 2)
    refs = [eligible_pair().reference for _ in range(3)]
    url = reverse("decisions:panel", args=[dworld.call.code, "hk"])
    client.force_login(dworld.itc_officer)
    first, second = client.get(url), client.get(url + "?page=2")
    shown = [r for r in refs if f'data-ref="{r}"' in first.content.decode()]
    rest = [r for r in refs if f'data-ref="{r}"' in second.content.decode()]
    assert len(shown) == 2 and len(rest) == 1 and set(shown) | set(rest) == set(refs)
    assert "1 / 2" in first.content.decode()


def test_meeting_shows_a_page_at_a_time(dworld, eligible_pair, client, monkeypatch):
    from sciencebridge.decisions import views as dviews

    monkeypatch.setattr(dviews, "PANEL_PAGE_SIZE", 2)
    refs = [eligible_pair().reference for _ in range(3)]
    url = reverse("decisions:meeting", args=[dworld.call.code])
    client.force_login(dworld.itc_officer)
    pages = [client.get(url).content.decode(), client.get(url + "?page=2").content.decode()]
    shown = [[r for r in refs if f'data-ref="{r}"' in html] for html in pages]
    assert [len(s) for s in shown] == [2, 1] and set(shown[0]) | set(shown[1]) == set(refs)
