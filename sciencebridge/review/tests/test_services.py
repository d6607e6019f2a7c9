import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sciencebridge.core.models import StateTransition
from sciencebridge.review.models import (
    Assignment,
    AssignmentSource,
    AssignmentState,
    ReviewState,
    ReviewWindow,
    RunState,
)
from sciencebridge.review.services import assignment as svc
from sciencebridge.review.services import invitations as inv
from sciencebridge.review.services import reviews as rsvc

pytestmark = pytest.mark.django_db


def test_run_assigns_three_conflict_free_reviewers_of_the_side(rw, run_sync):
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.state == RunState.PROPOSED, run.error
    assert run.error == ""
    assert run.job.state == "done" and run.job.percent == 100
    seats = list(run.assignments.select_related("expert", "half"))
    assert len(seats) == 3 * len(rw.proposals)
    assert all(a.half.side == "HK" and a.expert.region == "HK" for a in seats)
    assert rw.conflicted.pk not in {a.expert_id for a in seats}
    # The optimiser's result is proved optimal (gap ~0) and explained by the expert's papers.
    assert run.bound is not None and run.gap is not None and abs(run.gap) < 1e-6
    assert all(a.explanation["papers"] for a in seats)
    # Topic experts are chosen: each battery proposal gets the battery experts.
    battery = [a for a in seats if a.proposal.title.startswith("Solid-state")]
    assert {a.expert.email.split("@")[0][:9] for a in battery} == {"hkbattery"}
    # The conflicted ASTRI expert was a candidate and is listed as excluded with the reason.
    notes = run.notes[f"h{battery[0].half_id}"]
    assert any(
        "astriexpert" in x["expert"].lower() or "Astriexpert" in x["expert"]
        for x in notes["excluded"]
    )
    assert StateTransition.objects.filter(to_state=RunState.PROPOSED, object_id=run.pk).exists()


def test_each_side_only_by_its_own_officers(rw, run_sync):
    with pytest.raises(PermissionDenied):
        svc.start_run(rw.most_officer, rw.call, "HK")
    with pytest.raises(PermissionDenied):
        svc.start_run(rw.hk_lead, rw.call, "HK")
    run = run_sync(rw.most_officer, rw.call, "ML")
    assert {a.expert.region for a in run.assignments.select_related("expert")} == {"ML"}


def test_shared_review_mixes_regions(rw, run_sync):
    rw.scheme.shared_review = True
    rw.scheme.save()
    with pytest.raises(ValidationError):
        svc.start_run(rw.itc_officer, rw.call, "HK")
    run = run_sync(rw.most_officer, rw.call, "")
    assert run.state == RunState.PROPOSED, run.error
    for p in rw.proposals:
        regions = [
            a.expert.region for a in run.assignments.filter(proposal=p).select_related("expert")
        ]
        assert len(regions) == 3 and "HK" in regions and "ML" in regions
        assert run.assignments.filter(proposal=p, half__isnull=False).count() == 0


def test_fair_mode_runs(rw, run_sync):
    run = run_sync(rw.itc_officer, rw.call, "HK", mode="fair")
    assert run.state == RunState.PROPOSED and run.assignments.count() == 12


def test_manual_edit_refuses_conflicted_expert_with_reason(rw, run_sync):
    run = run_sync(rw.itc_officer, rw.call, "HK")
    unit = svc.unit_of(run.assignments.first())
    with pytest.raises(ValidationError) as exc:
        svc.add_reviewer(rw.itc_officer, run, unit, rw.conflicted)
    assert any(
        "Conflict of interest" in m and "institution" in m.lower() for m in exc.value.messages
    )
    with pytest.raises(ValidationError) as exc:
        svc.add_reviewer(rw.itc_officer, run, unit, rw.experts["ML"][0])
    assert "region" in " ".join(exc.value.messages)
    # A free expert on another topic is accepted by hand.
    used = set(run.assignments.filter(proposal=unit.proposal).values_list("expert_id", flat=True))
    other = next(e for e in rw.experts["HK"] if e.pk not in used)
    a = svc.add_reviewer(rw.itc_officer, run, unit, other)
    assert a.source == AssignmentSource.MANUAL and a.state == AssignmentState.PROPOSED
    removed = svc.remove_reviewer(rw.itc_officer, a)
    assert removed.state == AssignmentState.REMOVED


def test_publish_invites_by_email_with_links_and_sets_deadline(
    rw, run_sync, django_capture_on_commit_callbacks
):
    run = run_sync(rw.itc_officer, rw.call, "HK")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # notifications are e-mailed after commit
        n = svc.publish(rw.itc_officer, run)
    assert n == 12 and len(mail.outbox) == 12
    a = run.assignments.first()
    assert a.token in " ".join(m.body for m in mail.outbox)
    assert ReviewWindow.objects.get(call=rw.call, side="HK").deadline > timezone.now()
    run.refresh_from_db()
    assert run.state == RunState.PUBLISHED
    with pytest.raises(ValidationError):
        svc.start_run(rw.itc_officer, rw.call, "HK")
    with pytest.raises(ValidationError):
        svc.publish(rw.itc_officer, run)


def test_decline_invites_the_next_best_conflict_free_reviewer(
    published, django_capture_on_commit_callbacks
):
    rw = published.world
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert")
        .first()
    )
    before = set(
        Assignment.objects.filter(proposal=a.proposal, half=a.half).values_list(
            "expert_id", flat=True
        )
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = inv.decline(a.expert.user, a, "Travelling")
    a.refresh_from_db()
    assert a.state == AssignmentState.DECLINED and a.response_note == "Travelling"
    assert (
        new is not None
        and new.state == AssignmentState.INVITED
        and new.source == AssignmentSource.REPLACEMENT
    )
    assert new.replacement_for_id == a.pk
    assert new.expert_id not in before and new.expert_id != rw.conflicted.pk
    assert new.expert.region == "HK"
    assert [m.to for m in mail.outbox] == [[new.expert.email]]
    active = Assignment.objects.filter(
        proposal=a.proposal, half=a.half, state=AssignmentState.INVITED
    ).count()
    assert active == 3


def test_declared_conflict_replaces_and_hides_the_proposal(published, client):
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .first()
    )
    inv.accept(a.expert.user, a)
    with pytest.raises(ValidationError):
        inv.declare_conflict(a.expert.user, a, "  ")
    new = inv.declare_conflict(a.expert.user, a, "My former student is on the team")
    assert new is not None and new.state == AssignmentState.INVITED
    a.refresh_from_db()
    assert a.state == AssignmentState.CONFLICT
    assert not rsvc.may_open(a.expert.user, a)
    with pytest.raises(PermissionDenied):
        rsvc.draft_for(a.expert.user, a)


def test_only_the_invited_expert_may_respond(published):
    rw = published.world
    a = published.run.assignments.first()
    with pytest.raises(PermissionDenied):
        inv.accept(rw.itc_officer, a)
    with pytest.raises(PermissionDenied):
        inv.decline(
            rw.experts["HK"][-1].user
            if rw.experts["HK"][-1].pk != a.expert_id
            else rw.experts["HK"][0].user,
            a,
        )


def test_no_replacement_left_is_recorded(rw, published, client, django_capture_on_commit_callbacks):
    rw = published.world
    from sciencebridge.experts.models import ExpertProfile, ExpertStatus

    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .first()
    )
    keep = set(
        Assignment.objects.filter(proposal=a.proposal, half=a.half).values_list(
            "expert_id", flat=True
        )
    )
    ExpertProfile.objects.filter(region="HK").exclude(pk__in=keep).update(
        status=ExpertStatus.SUSPENDED
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert inv.decline(a.expert.user, a) is None
    published.run.refresh_from_db()
    assert published.run.notes[f"h{a.half_id}"]["replacement"] == "none_available"
    client.force_login(rw.itc_officer)
    client.cookies["django_language"] = "zh-hant"
    page = client.get(reverse("review:run", args=[published.run.pk])).content.decode()
    assert "沒有" in page.split(f'id="unit-h{a.half_id}"')[1].split("</section>")[0]
    assert rw.itc_officer.email in [r for m in mail.outbox for r in m.to]


def _review(published):
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .first()
    )
    user = a.expert.user
    inv.accept(user, a)
    inv.confirm_no_conflict(user, a)
    return user, a, rsvc.draft_for(user, a)


def test_review_draft_then_submit_with_weighted_score(published):
    user, a, review = _review(published)
    crit = list(published.world.scheme.criteria.all())
    assert review.scores.count() == 3
    rsvc.save(user, review, scores={crit[0].pk: 8}, comments_to_applicant="Good.")
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and review.weighted_score == 8
    with pytest.raises(ValidationError) as exc:
        rsvc.save(user, review, scores={crit[0].pk: 8}, comments_to_applicant="Good.", submit=True)
    assert "recommendation" in exc.value.error_dict
    with pytest.raises(ValidationError):
        rsvc.save(user, review, scores={crit[0].pk: 11}, recommendation="fund")
    rsvc.save(
        user,
        review,
        scores={crit[0].pk: 8, crit[1].pk: 5, crit[2].pk: 2},
        comments_to_applicant="Good.",
        confidential_comments="Budget padded.",
        recommendation="fund",
        submit=True,
    )
    review.refresh_from_db()
    a.refresh_from_db()
    # (3*8 + 2*5 + 1*2) / 6 = 6.00
    assert review.state == ReviewState.SUBMITTED and str(review.weighted_score) == "6.00"
    assert a.state == AssignmentState.SUBMITTED and review.submitted_at
    with pytest.raises(ValidationError):
        rsvc.save(user, review, scores={}, submit=False)


def test_submission_refused_after_deadline_but_draft_kept(published):
    user, a, review = _review(published)
    ReviewWindow.objects.filter(call=published.world.call, side="HK").update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    crit = list(published.world.scheme.criteria.all())
    with pytest.raises(ValidationError) as exc:
        rsvc.save(
            user,
            review,
            scores={c.pk: 7 for c in crit},
            comments_to_applicant="Late but good.",
            recommendation="fund",
            submit=True,
        )
    assert "deadline" in " ".join(exc.value.messages) and "has passed" in " ".join(
        exc.value.messages
    )
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and review.comments_to_applicant == "Late but good."


def test_reminders_sent_once_before_deadline(published, django_capture_on_commit_callbacks):
    window = ReviewWindow.objects.get(call=published.world.call, side="HK")
    mail.outbox.clear()
    early = window.deadline - dt.timedelta(days=window.reminder_days + 1)
    assert inv.send_reminders(now=early) == {"reminders": 0}
    soon = window.deadline - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert inv.send_reminders(now=soon) == {"reminders": 12}
    assert inv.send_reminders(now=soon) == {"reminders": 0}
    assert len(mail.outbox) == 12 and "Reminder" in mail.outbox[0].subject


def test_scheduled_entry_is_importable():
    from django.utils.module_loading import import_string

    from sciencebridge.review.schedule import SCHEDULE

    for _name, path, interval in SCHEDULE:
        assert callable(import_string(path)) and interval > 0


def test_partner_institution_is_a_conflict_too(rw, run_sync):
    from sciencebridge.experts.conflict_reasons import worded_notes

    from .conftest import make_expert

    rw.scheme.shared_review = True
    rw.scheme.save()
    partner = make_expert("tsinghuaexpert", "ML", rw.tsinghua, "battery", 77)
    run = run_sync(rw.most_officer, rw.call, "")
    assert not run.assignments.filter(expert=partner).exists()
    battery = rw.proposals[0]
    excluded = run.notes[f"p{battery.pk}"]["excluded"]
    # kept as a kind and the institution's code, worded in the reader's language when shown
    assert {
        "expert": str(partner),
        "reasons": [{"kind": "partner_institution", "institution": rw.tsinghua.code}],
    } in excluded
    shown = worded_notes({"u": {"excluded": excluded}})["u"]["excluded"]
    assert f"Expert works at {rw.tsinghua}, the partner applicant's institution." in [
        r for x in shown for r in x["reasons"]
    ]


def test_run_uses_the_calls_text_model_unless_the_officer_chooses_another(rw, run_sync, client):
    rw.call.matching_model = "bm25"
    rw.call.save()
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.state == RunState.PROPOSED, run.error
    assert run.parameters["model"] == "bm25" and run.model_label.startswith("BM25")
    battery = [
        a
        for a in run.assignments.select_related("expert")
        if a.proposal.title.startswith("Solid-state")
    ]
    assert {a.expert.email.split("@")[0][:9] for a in battery} == {"hkbattery"}
    with pytest.raises(ValidationError, match="not installed"):
        svc.start_run(rw.itc_officer, rw.call, "HK", model="gpt")
    client.force_login(rw.itc_officer)
    page = client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    assert '<option value="bm25" selected>' in page  # the form starts from the call's model
    resp = client.post(
        reverse("review:start_run", args=[rw.call.code, "hk"]),
        {"mode": "optimal", "model": "tfidf"},
    )
    assert resp.status_code == 302
    newest = rw.call.assignment_runs.order_by("-pk").first()
    assert newest.parameters["model"] == "tfidf"


def test_experts_away_today_are_not_assigned_nor_added_by_hand(rw, run_sync):
    from sciencebridge.experts.models import AvailabilityKind, AvailabilityWindow, ExpertProfile

    today = timezone.localdate()
    away = ExpertProfile.objects.get(email="hkbattery0@experts.example.org")
    AvailabilityWindow.objects.create(
        expert=away,
        kind=AvailabilityKind.UNAVAILABLE,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=30),
        note="Sabbatical at sea",
    )
    run = run_sync(rw.itc_officer, rw.call, "HK")
    assert run.state == RunState.PROPOSED, run.error
    assert run.parameters["experts_away"] == 1
    assert away.pk not in set(run.assignments.values_list("expert_id", flat=True))
    battery = next(a for a in run.assignments.all() if a.proposal.title.startswith("Solid-state"))
    unit = svc.unit_of(battery)
    problems = svc.check_candidate(run, unit, away)
    assert any("away on" in str(p) for p in problems)


def test_the_units_counted_are_the_units_a_run_assigns(rw):
    """The call's review page counts the units in the database (issue 16): per side, the eligible
    halves; shared, the proposals whose halves are all eligible."""
    from sciencebridge.funding.models import HalfState, JointProposal, ProposalHalf

    def same():
        counts = {side: svc.count_units(rw.call, side) for side in ("HK", "ML", "")}
        assert counts == {side: len(svc.units_for(rw.call, side)) for side in counts}
        for side in counts:  # the run page's add form finds each unit by its key, and only those
            keys = [u.key for u in svc.units_for(rw.call, side)]
            assert [svc.unit_by_key(rw.call, side, k).key for k in keys] == keys
        return counts

    first = same()
    assert first["HK"] == first["ML"] == first[""] == len(rw.proposals) > 1
    one, two = rw.proposals[:2]
    ProposalHalf.objects.filter(proposal=one, side="ML").update(state=HalfState.INELIGIBLE)
    ProposalHalf.objects.filter(proposal=two, side="HK").update(state=HalfState.WITHDRAWN)
    JointProposal.objects.create(
        call=rw.call,
        reference="NO-HALVES",
        title="No halves yet",
        duration_months=12,
        created_by=rw.hk_lead,
    )
    n = len(rw.proposals)
    assert same() == {"HK": n - 1, "ML": n - 1, "": n - 2}
    ml_half = rw.proposals[3].half("ML")
    for side, key in (
        ("HK", f"h{one.half('ML').pk}"),  # not eligible
        ("HK", f"h{ml_half.pk}"),  # the other side's
        ("HK", f"p{rw.proposals[3].pk}"),  # a proposal's key in a review of halves
        ("", f"h{ml_half.pk}"),  # a half's key in a shared review
        ("", f"p{two.pk}"),  # a half withdrawn
        ("HK", "h"),
        ("HK", "h12x"),
    ):
        assert svc.unit_by_key(rw.call, side, key) is None, (side, key)
