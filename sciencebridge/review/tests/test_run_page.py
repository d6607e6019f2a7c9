"""An assignment run's page at national scale (issue 16): its units come a page at a time, found by
reference or title or narrowed to the proposals short of reviewers, and a reviewer is added by name,
e-mail or expert number instead of from a list of every expert; a proposal the officer has a
conflict with is in no page, no search and no form."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sciencebridge.experts.models import ExpertStatus
from sciencebridge.review import selectors
from sciencebridge.review.models import Assignment, AssignmentSource

from .test_conflict_exclusion import conflicted_officer  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _units(html: str) -> list[str]:
    return re.findall(r'<section class="card unit" id="unit-(\w+)">', html)


def _page(client, run, **query):
    response = client.get(reverse("review:run", args=[run.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def proposed(rw, run_sync):
    return run_sync(rw.itc_officer, rw.call, "HK")


def _key(proposal):
    return f"h{proposal.half('HK').pk}"


def test_units_come_a_page_at_a_time_and_are_found_by_reference_or_title(
    rw, proposed, client, monkeypatch
):
    monkeypatch.setattr(selectors, "RUN_UNITS_PER_PAGE", 3)
    client.force_login(rw.itc_officer)
    ordered = sorted(rw.proposals, key=lambda p: p.reference)
    first, second = _page(client, proposed), _page(client, proposed, page=2)
    assert _units(first) == [_key(p) for p in ordered[:3]]
    assert _units(second) == [_key(p) for p in ordered[3:]]
    assert "1 / 2" in first and "page=2#units" in first and "showing 1–3" in first
    # each page shows the seats of its own units only
    last = ordered[-1]
    seat = Assignment.objects.filter(run=proposed, proposal=last).select_related("expert").first()
    assert f"unit-{_key(last)}" in second and _units(second).count(_key(last)) == 1
    assert seat.expert.name_en in second.split(f'id="unit-{_key(last)}"')[1]
    # a title word and a reference find their proposal; a page past the end is the last page
    assert _units(_page(client, proposed, q="desalination")) == [
        _key(p) for p in rw.proposals if "desalination" in p.title
    ]
    assert _units(_page(client, proposed, q=last.reference.lower())) == [_key(last)]
    assert _units(_page(client, proposed, page=99)) == _units(second)
    nothing = _page(client, proposed, q="no such proposal")
    assert _units(nothing) == [] and "No proposal matches." in nothing
    # the search stays on the page, with the way back to every proposal
    assert 'name="q" value="no such proposal"' in nothing and "Show all" in nothing


def test_only_the_proposals_short_of_reviewers(rw, proposed, client):
    client.force_login(rw.itc_officer)
    assert "Only proposals short of reviewers" not in _page(client, proposed)
    assert len(_units(_page(client, proposed, short=1))) == len(rw.proposals)  # nothing is short
    short = rw.proposals[2]
    proposed.unassignable = {_key(short): "Only 2 of 3 reviewers found."}
    proposed.save(update_fields=["unassignable"])
    html = _page(client, proposed)
    assert "Only proposals short of reviewers" in html and "Show them" in html
    only = _page(client, proposed, short=1)
    assert _units(only) == [_key(short)] and "Only 2 of 3 reviewers found." in only


def test_a_conflicted_proposal_is_in_no_page_no_search_and_no_form(
    published,
    client,
    conflicted_officer,  # noqa: F811
):
    officer, target = conflicted_officer
    run = published.run
    client.force_login(officer)
    html = _page(client, run)
    assert (
        _key(target) not in _units(html) and len(_units(html)) == len(published.world.proposals) - 1
    )
    found = _page(client, run, q=target.reference)
    assert _units(found) == [] and "1 proposal is withheld from you" in found
    seated = Assignment.objects.filter(proposal=target).values_list("expert_id", flat=True)
    expert = next(e for e in published.world.experts["HK"] if e.pk not in set(seated))
    _back, said = _add(client, run, _key(target), str(expert.pk))
    assert said == ["This proposal is not one of the assignment's."]
    assert not Assignment.objects.filter(proposal=target, expert=expert).exists()


def _add(client, run, unit, text, back=""):
    """Post the form; where it sent the officer back to, and the messages shown there."""
    response = client.post(
        reverse("review:add_reviewer", args=[run.pk]),
        {"unit": unit, "expert": text, "back": back},
        follow=True,
    )
    assert response.status_code == 200
    return response.redirect_chain[-1][0], [str(m) for m in get_messages(response.wsgi_request)]


def _manual(run, proposal):
    return set(
        Assignment.objects.filter(
            run=run, proposal=proposal, source=AssignmentSource.MANUAL
        ).values_list("expert_id", flat=True)
    )


def test_a_reviewer_is_added_by_name_e_mail_or_number(rw, proposed, client):
    client.force_login(rw.itc_officer)
    target = rw.proposals[3]  # desalination: the battery and solar experts are free for it
    unit = _key(target)
    seated = set(
        Assignment.objects.filter(run=proposed, proposal=target).values_list("expert_id", flat=True)
    )
    free = [e for e in rw.experts["HK"] if e.pk not in seated]
    assert len(free) >= 3
    by_name, by_mail, by_number = free[:3]
    # the exact English name, case and spaces aside
    _response, said = _add(client, proposed, unit, f"  {by_name.name_en.upper()} ")
    assert said == [f"{by_name.name_en} added to {target.reference}."]
    _response, said = _add(client, proposed, unit, by_mail.email.upper())
    assert said == [f"{by_mail.name_en} added to {target.reference}."]
    # a suggestion's label ends with the number the form reads
    label = f"{by_number.name_en} · {by_number.institution} · #{by_number.pk}"
    back, said = _add(client, proposed, unit, label, back="q=desal&page=1&next=//evil.example")
    assert said == [f"{by_number.name_en} added to {target.reference}."]
    assert back == reverse("review:run", args=[proposed.pk]) + f"?q=desal&page=1#unit-{unit}"
    assert _manual(proposed, target) == {by_name.pk, by_mail.pk, by_number.pk}


def test_a_name_that_matches_several_or_none_adds_nobody(rw, proposed, client):
    client.force_login(rw.itc_officer)
    target = rw.proposals[3]
    unit = _key(target)
    ml_expert = rw.experts["ML"][0]
    cases = {
        "Expert Hk": "Several experts match “Expert Hk”: ",  # every HK expert's name has it
        "Nobody Atall": "No admitted expert of this review matches “Nobody Atall”.",
        # a Mainland expert is not of the Hong Kong side's review, even by number
        str(ml_expert.pk): f"No admitted expert of this review matches “{ml_expert.pk}”.",
    }
    for text, message in cases.items():
        _response, said = _add(client, proposed, unit, text)
        assert len(said) == 1 and said[0].startswith(message), said
    several = _add(client, proposed, unit, "Expert Hk")[1][0]
    assert several.count("(#") == 5 and several.endswith(
        "…. Type more of the name, the e-mail address or the expert number."
    )
    vetting = rw.experts["HK"][1]
    vetting.status = ExpertStatus.SUSPENDED
    vetting.save(update_fields=["status"])
    _response, said = _add(client, proposed, unit, str(vetting.pk))
    assert said[0].startswith("No admitted expert")
    for key in (f"h{target.half('ML').pk}", f"p{target.pk}", "h", ""):
        _response, said = _add(client, proposed, key, rw.experts["HK"][2].email)
        assert said and said[0] in (
            "This proposal is not one of the assignment's.",
            "This field is required.",
        ), key
    assert _manual(proposed, target) == set()


def test_the_lookup_suggests_admitted_experts_of_the_run(rw, proposed, client):
    url = reverse("review:run_experts", args=[proposed.pk])
    client.force_login(rw.itc_officer)
    hk = rw.experts["HK"][0]
    results = client.get(url, {"q": hk.name_en}).json()["results"]
    assert results == [{"id": hk.pk, "label": f"{hk.name_en} · {hk.institution} · #{hk.pk}"}]
    assert client.get(url, {"q": "e"}).json() == {"results": []}  # two letters at least
    labels = [r["label"] for r in client.get(url, {"q": "expert"}).json()["results"]]
    assert len(labels) == 10 and all("experts.example" not in x for x in labels)
    ml = rw.experts["ML"][0]
    assert client.get(url, {"q": ml.name_en}).json() == {"results": []}  # not this side's region
    client.force_login(rw.most_officer)
    assert client.get(url, {"q": hk.name_en}).status_code == 404


def test_a_decided_unit_keeps_its_seats_on_the_page_but_takes_no_new_reviewer(rw, proposed, client):
    from sciencebridge.funding.models import HalfState, ProposalHalf

    client.force_login(rw.itc_officer)
    decided, open_ = rw.proposals[0], rw.proposals[1]
    ProposalHalf.objects.filter(pk=decided.half("HK").pk).update(state=HalfState.FUNDED)
    ProposalHalf.objects.filter(pk=rw.proposals[2].half("HK").pk).update(state=HalfState.WITHDRAWN)
    html = _page(client, proposed)
    assert _units(html) == [
        _key(p) for p in sorted(rw.proposals, key=lambda p: p.reference) if p != rw.proposals[2]
    ]
    section = html.split(f'id="unit-{_key(decided)}"')[1].split("</section>")[0]
    seat = Assignment.objects.filter(run=proposed, proposal=decided).select_related("expert")[0]
    assert seat.expert.name_en in section and 'name="expert"' not in section
    other = html.split(f'id="unit-{_key(open_)}"')[1].split("</section>")[0]
    assert 'name="expert"' in other
    _back, said = _add(client, proposed, _key(decided), rw.experts["HK"][-1].email)
    assert said == ["This proposal is not one of the assignment's."]


def test_a_page_shows_the_notes_of_its_own_units_read_one_by_one(rw, proposed, client, monkeypatch):
    """A national run's notes hold every unit of the call: the page reads those of the units it
    shows, in the database, and each unit shows its own."""
    monkeypatch.setattr(selectors, "RUN_UNITS_PER_PAGE", 2)
    ordered = sorted(rw.proposals, key=lambda p: p.reference)
    proposed.notes = {
        _key(p): {"candidates": 10 + i, "excluded": [{"expert": f"Expert {i}", "reasons": ["R"]}]}
        for i, p in enumerate(ordered)
    }
    proposed.save(update_fields=["notes"])
    shown = [_key(p) for p in ordered[:2]]
    assert selectors.unit_notes(proposed, [*shown, "h0"]) == {k: proposed.notes[k] for k in shown}
    assert selectors.unit_notes(proposed, []) == {}
    client.force_login(rw.itc_officer)
    html = _page(client, proposed)
    for i, key in enumerate(shown):
        card = html.split(f'id="unit-{key}"')[1].split("</section>")[0]
        assert f"{10 + i} candidates considered." in card and f"Expert {i}: R" in card
    assert "Expert 2" not in html  # the third unit's note is on page 2


def test_the_run_page_words_exclusion_reasons_in_the_page_language(rw, proposed, client):
    """A run keeps why it excluded an expert as a kind and its values; the page words it in its
    own language with the institution's name in that language. A note written as text before
    (older runs) is shown as it was written."""
    from sciencebridge.institutions.models import Institution

    Institution.objects.filter(pk=rw.tsinghua.pk).update(
        name_zh_hant="清華大學", name_zh_hans="清华大学"
    )
    first = sorted(rw.proposals, key=lambda p: p.reference)[0]
    proposed.notes = {
        _key(first): {
            "candidates": 5,
            "excluded": [
                {
                    "expert": "Expert A",
                    "reasons": [
                        {"kind": "same_institution", "institution": rw.tsinghua.code},
                        "An older run's own words.",
                    ],
                }
            ],
        }
    }
    proposed.save(update_fields=["notes"])
    client.force_login(rw.itc_officer)
    card = {}
    for language in ("en", "zh-hant", "zh-hans"):
        client.cookies["django_language"] = language
        html = _page(client, proposed)
        card[language] = html.split(f'id="unit-{_key(first)}"')[1].split("</section>")[0]
    assert (
        f"Expert A: Expert works at {rw.tsinghua}, the applicant&#x27;s institution.; "
        "An older run&#x27;s own words." in card["en"]
    )
    assert "專家任職於申請人的機構清華大學。" in card["zh-hant"]
    assert "专家任职于申请人的机构清华大学。" in card["zh-hans"]
    assert "Expert works at" not in card["zh-hant"] + card["zh-hans"]


def test_the_run_page_words_a_shortfall_in_the_page_language(rw, proposed, client):
    """Why a proposal is short of reviewers is kept as the engine's clauses (kind and values) and
    worded by the page; a run that kept only the English text shows that text."""
    first, second = sorted(rw.proposals, key=lambda p: p.reference)[:2]
    proposed.notes = {
        _key(first): {
            "candidates": 5,
            "excluded": [],
            "short": [
                {
                    "kind": "few_region_candidates",
                    "region": "HK",
                    "n": 1,
                    "required": 2,
                    "declined": 1,
                },
                {"kind": "loads_exhausted", "n": 4},
            ],
        }
    }
    proposed.unassignable = {_key(first): "English text", _key(second): "an older run's words"}
    proposed.save(update_fields=["notes", "unassignable"])
    client.force_login(rw.itc_officer)
    shown = {}
    for language in ("en", "zh-hant", "zh-hans"):
        client.cookies["django_language"] = language
        html = _page(client, proposed)
        shown[language] = [
            html.split(f'id="unit-{_key(p)}"')[1].split("</section>")[0] for p in (first, second)
        ]
    assert (
        "only 1 conflict-free Hong Kong candidates for 2 required Hong Kong reviewers (1 declined "
        "or removed reviewer not counted); every conflict-free candidate (4) already has the "
        "maximum number of reviews" in shown["en"][0]
    )
    assert (
        "須有2位香港評審人，但只有1位無利益衝突的香港候選人（不計1位已拒絕或已移除的評審人）"
        in (shown["zh-hant"][0])
    )
    assert "所有无利益冲突的候选人（4位）的评审数目均已达上限" in shown["zh-hans"][0]
    assert all("an older run&#x27;s words" in shown[lang][1] for lang in shown)


def test_a_run_keeps_each_shortfall_as_clauses(rw, run_sync):
    """A real run: a unit short of reviewers has its clauses in the notes, and they word the
    same English text the run keeps."""
    from django.utils import translation

    from sciencebridge.review.models import ReviewPolicy
    from sciencebridge.review.shortfalls import worded_shortfall

    ReviewPolicy.objects.update_or_create(scheme=rw.scheme, defaults={"reviews_needed": 30})
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.unassignable, run.error
    for key, english in run.unassignable.items():
        parts = run.notes[key]["short"]
        assert parts and all("region_name" not in part for part in parts)
        with translation.override("zh-hant"):
            worded = worded_shortfall(parts, english)
        assert worded != english and "無利益衝突" in worded  # worded from the clauses


def test_lists_of_seats_leave_out_the_runs_details(rw, proposed):
    """Each seat of a list joins its run: without the run's notes, groups and unassignable units
    (hundreds of KB on a national run, decoded once per seat)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        seats = list(selectors.run_assignments(rw.itc_officer, proposed))
    assert seats and all(a.run.state == proposed.state for a in seats)
    sql = ctx.captured_queries[-1]["sql"]
    assert '"review_assignmentrun"."state"' in sql
    for field in ("notes", "groups", "unassignable"):
        assert f'"review_assignmentrun"."{field}"' not in sql
    # read on a seat's run, a detail is still there
    assert seats[0].run.notes == proposed.notes


def _selects_run_details(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        for field in ("notes", "groups", "unassignable")
        if f'"review_assignmentrun"."{field}"' in q["sql"]
    ]


def test_lists_of_runs_leave_out_their_notes(rw, proposed, client):
    """The call's review page, the officer's dashboard and the API list runs without reading every
    unit's notes (hundreds of KB a national run), and the panel's link to the run reads its id."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sciencebridge.decisions.views import _invite_more_url
    from sciencebridge.review.models import AssignmentRun, RunState

    proposed.notes = {"h1": {"candidates": 3, "excluded": []}}
    proposed.save(update_fields=["notes"])
    with CaptureQueriesContext(connection) as ctx:
        runs = selectors.runs_for(rw.call)
        status = selectors.assignment_status_of([rw.call])
    assert [r.pk for r in runs] == [proposed.pk] and status[rw.call.pk]
    assert not _selects_run_details(ctx.captured_queries)
    client.force_login(rw.itc_officer)
    with CaptureQueriesContext(connection) as ctx:
        listed = client.get("/api/v1/review/runs/").json()
    assert [r["id"] for r in listed["results"]] == [proposed.pk]
    assert not [sql for sql in _selects_run_details(ctx.captured_queries) if "notes" in sql]
    AssignmentRun.objects.filter(pk=proposed.pk).update(state=RunState.PUBLISHED)
    panel = type("Panel", (), {"call": rw.call, "side": "HK"})()
    with CaptureQueriesContext(connection) as ctx:
        assert _invite_more_url(rw.itc_officer, panel) == reverse("review:run", args=[proposed.pk])
    assert not _selects_run_details(ctx.captured_queries)
