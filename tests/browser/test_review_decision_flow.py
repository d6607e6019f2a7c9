"""Issue 4 end to end in a real browser: a call's screened proposal goes through the assignment (run and
published by the officer), two reviews (experts accept the invitation, confirm no conflict, score and
submit), the panel (the officer appoints the chair, who ranks and recommends), the joint review meeting
(each agency funds its own side within its budget) and the applicant reading the decision, the anonymised
reviewer comments and the award letter.

The Hong Kong side is driven through the pages; the Mainland side's review runs through the same
services (its pages are the same ones, already exercised) to keep the test short."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import InstitutionFactory, UserFactory
from sciencebridge.funding.models import AssessmentCriterion, HalfState
from sciencebridge.funding.services import proposals as fsvc
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "smart sensing logistics sensors supply chain cold chain internet of things tracking"


@pytest.fixture(autouse=True)
def _review_settings(settings):
    from sciencebridge.experts import matching_adapter

    settings.JOBS_BACKEND = "sync"
    settings.EXPERTS_MATCHING_MODEL = "tfidf"
    matching_adapter.invalidate()
    yield
    matching_adapter.invalidate()


def make_expert(username, region, institution, keywords):
    from sciencebridge.experts.models import ExpertProfile, ExpertStatus, Publication

    user = UserFactory(
        username=username, first_name=username.title(), last_name="Reviewer", roles=[Role.EXPERT]
    )
    e = ExpertProfile.objects.create(
        user=user,
        name_en=f"{username.title()} Reviewer",
        region=region,
        institution=institution,
        email=f"{username}@experts.example.org",
        status=ExpertStatus.ADMITTED,
        keywords=keywords,
        languages="en, zh",
    )
    Publication.objects.create(
        expert=e,
        title=f"Study of {keywords[:40]}",
        abstract=f"{keywords} {keywords}",
        year=2023,
        coauthors=f"{username.title()} Reviewer",
    )
    return e


def screened_proposal(world, make_ready_pair):
    p = make_ready_pair(title="Smart sensing for cross-boundary cold-chain logistics")
    hk, ml = p.half("HK"), p.half("ML")
    fsvc.submit_half(world.hk_lead, hk)
    fsvc.submit_half(world.ml_lead, ml)
    hk.refresh_from_db()
    ml.refresh_from_db()
    fsvc.endorse(world.hk_office, hk)
    fsvc.screen(world.itc_officer, hk, eligible=True, reason="Complete and eligible.")
    fsvc.screen(world.most_officer, ml, eligible=True, reason="Complete and eligible.")
    return p


def review_mainland_side(world, score):
    """The Mainland agency's assignment and reviews, through the review services."""
    from sciencebridge.jobs.runner import execute
    from sciencebridge.review.models import AssignmentRun, AssignmentState, RunState
    from sciencebridge.review.services import assignment as asvc
    from sciencebridge.review.services import invitations as inv
    from sciencebridge.review.services import reviews as rsvc

    run = asvc.start_run(world.most_officer, world.call, "ML")
    run = AssignmentRun.objects.get(pk=run.pk)
    if run.state == RunState.QUEUED:
        execute(run.job_id)
        run.refresh_from_db()
    assert run.state == RunState.PROPOSED, run.error
    asvc.publish(world.most_officer, run)
    for a in run.assignments.filter(state=AssignmentState.INVITED).select_related("expert__user"):
        user = a.expert.user
        inv.accept(user, a)
        inv.confirm_no_conflict(user, a)
        review = rsvc.draft_for(user, a)
        rsvc.save(
            user,
            review,
            scores={s.criterion_id: score for s in review.scores.all()},
            comments_to_applicant="研究目標明確，兩地團隊優勢互補。",
            confidential_comments="",
            recommendation="fund",
            submit=True,
        )


def test_from_screened_proposal_to_award_letter(world, make_ready_pair, browser_page):
    from sciencebridge.review.models import Assignment, AssignmentState, ReviewPolicy

    page = browser_page
    scheme = world.scheme
    AssessmentCriterion.objects.create(
        scheme=scheme, order=1, name="Scientific merit", weight=Decimal(2)
    )
    AssessmentCriterion.objects.create(
        scheme=scheme, order=2, name="Cooperation between the sides", weight=1
    )
    ReviewPolicy.objects.create(scheme=scheme, reviews_needed=2, max_load=4)
    world.call.budget_hk = Money(800_000, "HKD")
    world.call.budget_ml = Money(3_000_000, "CNY")
    world.call.save()
    hk_unis = [
        InstitutionFactory(code=f"hku{i}", name=f"HK University {i}", region="HK") for i in range(3)
    ]
    ml_unis = [
        InstitutionFactory(
            code=f"mlu{i}",
            name=f"Mainland University {i}",
            region="ML",
            category="mainland_university",
        )
        for i in range(2)
    ]
    for i, name in enumerate(("alice", "bruce")):
        make_expert(name, "HK", hk_unis[i], TOPIC)
    make_expert(
        "carol", "HK", hk_unis[2], "protein folding structural biology cryo electron microscopy"
    )
    for i, name in enumerate(("daming", "erxi")):
        make_expert(name, "ML", ml_unis[i], TOPIC)
    chair = UserFactory(
        username="chair",
        first_name="Kwok Leung",
        last_name="Cheung",
        name_zh="張國良",
        roles=[Role.PANEL_CHAIR, Role.EXPERT],
    )
    world.hk_lead.preferred_language = "zh-hant"
    world.hk_lead.name_zh = "陳家明"
    world.hk_lead.save()
    p = screened_proposal(world, make_ready_pair)

    # 1. The Hong Kong officer runs the assignment for the call's Hong Kong side and publishes it.
    login(page, "itc_officer")
    page.goto(page.base + f"/review/calls/{world.call.code}/")
    page.click("#side-hk button.start-run")
    page.wait_for_url(re.compile(r".*/review/runs/\d+/"))
    page.wait_for_selector("button.publish")
    shot(page, "decision-flow-01-assignment")
    page.click("button.publish")
    page.wait_for_selector(".msg.success")
    seats = list(
        Assignment.objects.filter(
            proposal=p, half__side="HK", state=AssignmentState.INVITED
        ).select_related("expert__user")
    )
    assert sorted(a.expert.user.username for a in seats) == [
        "alice",
        "bruce",
    ]  # the two on-topic experts

    # 2. Two reviews: each expert opens the invitation link, accepts, confirms no conflict, scores, submits.
    for a, (merit, coop, text) in zip(
        seats,
        [
            (8, 7, "Convincing pilot data; the HK sensing work is strong."),
            (5, 6, "Feasible, but the data-sharing plan needs detail."),
        ],
        strict=True,
    ):
        login(page, a.expert.user.username)
        page.goto(page.base + f"/review/invitations/{a.token}/")
        page.click("button.accept")
        page.click("button.no-conflict")
        page.wait_for_selector("form.review-form")
        criteria = list(scheme.criteria.order_by("order"))
        page.select_option(f"#id_score_{criteria[0].pk}", str(merit))
        page.select_option(f"#id_score_{criteria[1].pk}", str(coop))
        page.fill("#id_comments_to_applicant", text)
        page.fill("#id_confidential_comments", f"Confidential from {a.expert.user.username}.")
        page.select_option("#id_recommendation", "fund")
        page.click("button.submit-review")
        page.wait_for_selector(".msg.success")
    shot(page, "decision-flow-02-review-submitted")
    review_mainland_side(world, score=7)

    # 3. The panel: the officer appoints the chair; the chair ranks and recommends.
    login(page, "itc_officer")
    page.goto(page.base + f"/decisions/calls/{world.call.code}/panel/hk/")
    page.select_option("#id_chair", label=str(chair))
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".msg.success")
    login(page, "chair")
    page.goto(page.base + f"/decisions/calls/{world.call.code}/panel/hk/")
    row = page.locator(f"#ranking tr[data-ref='{p.reference}']")
    assert row.locator("td").nth(2).inner_text().strip() == "2"  # two reviews
    # Weighted: (2*8 + 7)/3 = 7.67 and (2*5 + 6)/3 = 5.33 -> raw 6.50, spread 2.33.
    assert "6.50" in row.inner_text() and "2.33" in row.inner_text()
    assert "Alice Reviewer" in page.inner_text("#reviewers")
    shot(page, "decision-flow-03-panel")
    row.locator("a.button").click()
    page.check("input[name=recommendation][value=fund]")
    page.fill("#id_notes", "Strong cross-boundary team; the panel recommends funding.")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "Fund" in page.locator(f"#ranking tr[data-ref='{p.reference}']").inner_text()
    from sciencebridge.decisions.services import panel as psvc

    ml_panel = psvc.panel_for(world.call, "ML")
    psvc.appoint_chair(world.most_officer, ml_panel, chair)
    psvc.record_recommendation(
        chair, p.half("ML"), recommendation="fund", notes="Recommended by the MOST panel."
    )

    # The call has closed and both review stages end (their deadlines pass): the decision gates open.
    import datetime as dt

    from django.utils import timezone

    from sciencebridge.funding.models import Call
    from sciencebridge.review.models import ReviewWindow

    past = timezone.now() - dt.timedelta(minutes=1)
    Call.objects.filter(pk=world.call.pk).update(closes_at=past)
    ReviewWindow.objects.filter(call=world.call).update(deadline=past)

    # 4. The joint review meeting: each agency funds its own side, in its own currency.
    login(page, "itc_officer")
    page.goto(page.base + f"/decisions/calls/{world.call.code}/meeting/")
    shot(page, "decision-flow-04-meeting")
    page.click(f"#meeting tr[data-ref='{p.reference}'] td[data-side=HK] a.button")
    page.fill(
        "#id_amount", "900000"
    )  # under the HK$1m ceiling, over the budget: refused, input kept
    page.fill("#id_reason", "Ranked first by the ITC panel.")
    page.click("main form button[type=submit]")
    assert "Not enough budget: HK$800,000.00 remains" in page.inner_text(".has-error")
    assert page.input_value("#id_reason") == "Ranked first by the ITC panel."
    page.fill("#id_amount", "600000")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".msg.success")
    hk_cell = page.locator(f"#meeting tr[data-ref='{p.reference}'] td[data-side=HK]")
    assert (
        "awaiting the partner side" in hk_cell.inner_text()
        and "HK$600,000.00" in hk_cell.inner_text()
    )
    assert "HK$200,000.00" in page.inner_text(".budget-card[data-side=HK] [data-remaining]")

    login(page, "most_officer")
    page.goto(page.base + f"/decisions/calls/{world.call.code}/meeting/")
    page.click(f"#meeting tr[data-ref='{p.reference}'] td[data-side=ML] a.button")
    page.fill("#id_amount", "450000")
    page.fill("#id_reason", "Recommended by the MOST panel.")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "Funded (both sides fund)" in page.inner_text(f"#meeting tr[data-ref='{p.reference}']")
    page.goto(page.base + f"/decisions/calls/{world.call.code}/budget/")
    shot(page, "decision-flow-05-budget")
    p.refresh_from_db()
    assert {h.state for h in p.halves.all()} == {HalfState.FUNDED}

    # 5. The applicant follows the e-mail link, reads the decision, the anonymised comments and the letter.
    message = next(
        m
        for m in mail.outbox
        if m.to == [world.hk_lead.email] and "/decisions/proposals/" in m.body
    )
    assert "獲資助" in message.subject
    path = re.search(r"https?://[^/\s]+(/decisions/proposals/[^\s]+/)", message.body).group(1)
    login(page, "hk_lead")
    page.goto(page.base + path)
    text = page.inner_text("main")
    assert (
        "The joint project is funded by both agencies." in text
        or "此聯合項目獲兩個資助機構資助" in text
    )
    assert "Convincing pilot data" in text and "Feasible, but" in text and "研究目標明確" in text
    for secret in (
        "Alice",
        "Bruce",
        "Daming",
        "Erxi",
        "Confidential from",
        "Ranked first by the ITC panel",
    ):
        assert secret not in text
    shot(page, "decision-flow-06-applicant-outcome")
    href = page.get_attribute(".letter-link >> nth=0", "href")
    resp = page.request.get(page.base + href)
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    assert resp.body().startswith(b"%PDF") and len(resp.body()) > 5000
    # The letter's text (the same HTML WeasyPrint prints) carries the name in Chinese and the amount.
    from sciencebridge.decisions.services.letters import render_letter_html

    half = p.half("HK")
    half.refresh_from_db()
    html = render_letter_html(half)
    assert "陳家明" in html and "HK$600,000.00" in html and "資助通知書" in html
