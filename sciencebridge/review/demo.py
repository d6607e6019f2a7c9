"""Demo review data, built through the review services: for each demo call that has closed (review starts
after the deadline) and each review side, the agency's officer runs the assignment and publishes it;
most reviewers accept and submit reviews (so the panel has data), a few decline (and are replaced
automatically), some invitations stay open. The past call's review happened in the weeks after it
closed; the call that closed recently is under review now, and the demo users "expert" and
"panel.chair" get invitations of their own there. A call still open gets no review."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager, nullcontext
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.models import Call

from .models import Assignment, AssignmentRun, AssignmentState, ReviewWindow, RunState
from .services import assignment as asvc
from .services import invitations as inv
from .services import reviews as rsvc

# Per side of the call under review now, how many proposals get their reviews written (the rest stay invited).
OPEN_CALL_REVIEWED_UNITS = 24
PAST_REVIEW_AFTER_CLOSE = dt.timedelta(
    days=5
)  # when the past call's assignment ran, after its deadline
PAST_REVIEW_WINDOW = dt.timedelta(days=21)


@contextmanager
def at(moment):
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


DEMO_CALLS = ("mhkjfs-2026", "jrs-2026", "mhkjfs-2025")
COMMENTS = [
    (
        "The objectives are clear and the two teams complement each other well. The work plan is realistic; the "
        "budget for equipment could be better justified.",
        "fund",
    ),
    (
        "A strong and timely proposal with convincing preliminary results and a credible plan for exchanges "
        "between the two sides.",
        "priority",
    ),
    (
        "The idea is interesting but the methodology is described only briefly and the industry involvement "
        "is unclear. The Mainland and Hong Kong work packages overlap.",
        "possible",
    ),
    (
        "The proposal does not show how the partners will work together beyond exchanging data; the novelty "
        "over existing work is limited.",
        "reject",
    ),
    ("研究目標明確，兩地團隊優勢互補，建議加強成果轉化計劃的說明。", "fund"),
]


def _officer(call: Call, side: str):
    User = get_user_model()
    agencies = [s.agency_id for s in call.scheme.sides.all() if not side or s.side == side]
    return (
        User.objects.filter(agency_id__in=agencies, groups__name="programme_officer")
        .order_by("pk")
        .first()
    )


def _write(a: Assignment, rng, *, submit=True):
    user = a.expert.user
    inv.accept(user, a)
    inv.confirm_no_conflict(user, a)
    review = rsvc.draft_for(user, a)
    quality = rng.gauss(6.5, 1.6) + rng.gauss(0, 0.8)  # proposal quality + reviewer harshness
    scores = {
        s.criterion_id: max(1, min(10, round(quality + rng.gauss(0, 1))))
        for s in review.scores.all()
    }
    text, rec = rng.choice(COMMENTS)
    rsvc.save(
        user,
        review,
        scores=scores,
        comments_to_applicant=text,
        confidential_comments=rng.choice(
            [
                "",
                "",
                "The Hong Kong budget looks inflated.",
                "Possible overlap with an existing ITF project.",
            ]
        ),
        recommendation=rec,
        submit=submit,
    )


def seed(command, rng):
    # The demo scores with the lexical model (seconds, not minutes, on a busy 2-core machine); the live
    # site's runs use the configured model (EXPERTS_MATCHING_MODEL).
    started = time.monotonic()
    with override_settings(EXPERTS_MATCHING_MODEL="tfidf"):
        _seed(command, rng)
    command.stdout.write(f"Review demo built in {time.monotonic() - started:.1f} s.")


def _seed(command, rng):
    calls = list(
        Call.objects.filter(code__in=DEMO_CALLS)
        .select_related("scheme")
        .prefetch_related("scheme__sides")
    )
    if not calls:
        command.stdout.write("No demo calls: no review data.")
        return
    if AssignmentRun.objects.filter(call__in=calls).exists():
        command.stdout.write("Demo review data already exists.")
        return
    configure_side_rules(command)
    fixed = {
        p.user.username: p
        for p in ExpertProfile.objects.filter(
            user__username__in=["expert", "panel.chair"]
        ).select_related("user")
    }
    totals = {"runs": 0, "seats": 0, "reviews": 0, "declined": 0}
    now = timezone.now()
    for call in calls:
        if call.closes_at > now:
            command.stdout.write(f"  {call.code}: still open, so no review yet")
            continue
        past = call.code.endswith("2025")
        # The past call was reviewed in the weeks after it closed; the recent one is being reviewed now.
        with at(call.closes_at + PAST_REVIEW_AFTER_CLOSE) if past else nullcontext():
            _review_call(call, past, fixed, totals, rng, command)
    command.stdout.write(
        f"Review demo: {totals['runs']} assignment runs published, {totals['seats']} invitations, "
        f"{totals['reviews']} reviews submitted, {totals['declined']} declined and replaced."
    )


def _review_call(call, past, fixed, totals, rng, command):
    now = timezone.now()
    for side in asvc.review_sides(call):
        officer = _officer(call, side)
        if officer is None or not asvc.units_for(call, side):
            continue
        with override_settings(JOBS_BACKEND="sync"):
            run = asvc.start_run(officer, call, side)
        run.refresh_from_db()
        if run.state == RunState.QUEUED:  # inside an outer transaction: on_commit has not fired yet
            from sciencebridge.jobs.runner import execute

            execute(run.job_id)
            run.refresh_from_db()
        if run.state != RunState.PROPOSED:
            command.stdout.write(
                f"  {call.code} {side or 'shared'}: assignment {run.state} {run.error}"
            )
            continue
        deadline = now + PAST_REVIEW_WINDOW if past else now + dt.timedelta(days=21)
        ReviewWindow.objects.update_or_create(call=call, side=side, defaults={"deadline": deadline})
        # The demo experts review a proposal of their side in the call under review, if conflict-free.
        if not past:
            for profile in fixed.values():
                regions = asvc.SIDE_EXPERT_REGIONS[side]
                if regions and profile.region not in regions:
                    continue
                for unit in asvc.units_for(call, side)[:6]:
                    if run.assignments.filter(proposal=unit.proposal, expert=profile).exists():
                        continue
                    if not asvc.check_candidate(run, unit, profile):
                        asvc.add_reviewer(officer, run, unit, profile)
                        if run.assignments.filter(expert=profile).count() >= 2:
                            break
        asvc.publish(officer, run)
        totals["runs"] += 1
        seats = list(
            run.assignments.filter(state=AssignmentState.INVITED).select_related(
                "expert__user", "proposal__call__scheme", "run__call"
            )
        )
        totals["seats"] += len(seats)
        by_unit: dict = {}
        for a in seats:
            by_unit.setdefault((a.proposal_id, a.half_id), []).append(a)
        for i, unit_seats in enumerate(by_unit.values()):
            if not past and i >= OPEN_CALL_REVIEWED_UNITS:
                break  # the rest of the invitations stay open
            for j, a in enumerate(unit_seats):
                if a.expert.user is None or a.expert.user.username in fixed:
                    continue  # the demo users answer their invitations themselves
                if not past and i == 0 and j == 0 and call.scheme.code == RULES_SCHEME:
                    continue  # one reviewer still writing: a proposal not gradable yet (issue 17)
                if i % 9 == 4 and j == 0:
                    inv.decline(a.expert.user, a, "On sabbatical leave during the review period.")
                    totals["declined"] += 1
                elif past or i % 5 != 3:
                    _write(a, rng)
                    totals["reviews"] += 1


# ----------------------------------------------------------------------------------------------
# Issue 17: the JRS call's published review rules, and overseas experts for the RGC side
# ----------------------------------------------------------------------------------------------
RULES_SCHEME = "nsfc-rgc-jrs"
N_OVERSEAS_EXPERTS = 24
#: Demo proposals are written from a few shared templates: 0.6 groups only near-duplicates.
DEMO_SIMILARITY = Decimal("0.60")


def configure_side_rules(command) -> None:
    """The JRS scheme's sides get their review rules (the Hong Kong side as RGC runs it: most
    reviewers from overseas, 2 reviews to grade; the Mainland side as NSFC: 3 valid reviews), and
    some demo experts become overseas experts (an overseas university) so the RGC side can seat
    them. The JRS call is under review now, so its panels show proposals not yet gradable."""
    from sciencebridge.funding.models import SchemeSide
    from sciencebridge.institutions.models import Institution

    from .models import SideReviewRules

    sides = {
        s.side: s for s in SchemeSide.objects.filter(scheme__code=RULES_SCHEME).select_related()
    }
    if not sides:
        return
    if "HK" in sides:
        SideReviewRules.objects.update_or_create(
            scheme_side=sides["HK"],
            defaults={
                "reviews_invited": 3,
                "min_valid_reviews": 2,
                "min_overseas_percent": 60,
                "similarity_threshold": DEMO_SIMILARITY,
                "source_note": "RGC: at least 8 external reviewers, mostly from overseas; at "
                "least 2 reviews to grade (ugc.edu.hk FAQ q301). The demo pool invites 3.",
            },
        )
    if "ML" in sides:
        SideReviewRules.objects.update_or_create(
            scheme_side=sides["ML"],
            defaults={
                "reviews_invited": 3,
                "min_valid_reviews": 3,
                "similarity_threshold": DEMO_SIMILARITY,
                "source_note": "NSFC: at least 3 valid reviews; similar applications go to the "
                "same reviewer group.",
            },
        )
    _similar_pair(command)
    overseas, _created = Institution.objects.get_or_create(
        code="demo-overseas-univ",
        defaults={
            "name": "University of Edinburgh",
            "name_en": "University of Edinburgh",
            "name_zh_hant": "愛丁堡大學",
            "name_zh_hans": "爱丁堡大学",
            "region": "OV",
            "type": "university",
            "category": "",
        },
    )
    have = ExpertProfile.objects.filter(region="OV").count()
    if have < N_OVERSEAS_EXPERTS:
        # Hong Kong demo experts (never the demo users themselves) move overseas.
        picks = list(
            ExpertProfile.objects.filter(region="HK", email__contains="@experts.demo.")
            .exclude(user__username__in=["expert", "panel.chair"])
            .order_by("pk")
            .values_list("pk", flat=True)[1::3][: N_OVERSEAS_EXPERTS - have]
        )
        # updated_at too: the matching engine's and the panels' caches are stamped with it
        ExpertProfile.objects.filter(pk__in=picks).update(
            region="OV", institution=overseas, updated_at=timezone.now()
        )
    command.stdout.write(
        f"  review rules for {RULES_SCHEME} (HK: 60 % overseas, 2 to grade; ML: 3 valid); "
        f"{ExpertProfile.objects.filter(region='OV').count()} overseas experts"
    )


def _similar_pair(command) -> None:
    """Two JRS proposals under review on the same topic (one extends the other): the assignment
    groups them and gives them the same reviewers."""
    from sciencebridge.funding.models import HalfState, JointProposal

    eligible = list(
        JointProposal.objects.filter(call__scheme__code=RULES_SCHEME, call__code="jrs-2026")
        .filter(halves__side="HK", halves__state=HalfState.ELIGIBLE)
        .filter(pk__in=JointProposal.objects.filter(halves__side="ML", halves__state="eligible"))
        .order_by("reference")[:2]
    )
    if len(eligible) < 2 or eligible[1].title.endswith("(extension)"):
        return
    first, second = eligible
    JointProposal.objects.filter(pk=second.pk).update(
        title=f"{first.title} (extension)"[:255],
        abstract=f"{first.abstract} The extension adds field trials with a second partner.",
    )
    command.stdout.write(f"  {second.reference} extends {first.reference}: a similar pair")
