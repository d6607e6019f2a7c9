"""A review world: the joint scheme with weighted criteria, ~24 admitted experts on both sides with
publications on a few topics, and eligible joint proposals on the same topics."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import InstitutionFactory, UserFactory
from sciencebridge.experts import matching_adapter
from sciencebridge.experts.models import DeclaredConflict, ExpertProfile, ExpertStatus, Publication
from sciencebridge.funding.models import (
    AssessmentCriterion,
    HalfState,
    JointProposal,
    ProposalHalf,
    TeamMember,
)
from sciencebridge.review.models import AssignmentState, ReviewWindow, SideReviewRules
from sciencebridge.review.services import invitations as inv
from sciencebridge.review.services import reviews as rsvc

TOPICS = {
    "battery": (
        "Solid-state lithium battery electrolytes",
        "lithium battery solid electrolyte cathode energy storage ion conductivity",
    ),
    "imaging": (
        "Deep learning for medical image segmentation",
        "deep learning medical imaging segmentation radiology convolutional network",
    ),
    "robot": (
        "Autonomous robots for port logistics",
        "robot navigation logistics autonomous vehicle path planning warehouse",
    ),
    "water": (
        "Membranes for seawater desalination",
        "membrane desalination seawater filtration water treatment nanofiltration",
    ),
}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.JOBS_BACKEND = "sync"
    settings.EXPERTS_MATCHING_MODEL = "tfidf"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LANGUAGE_CODE = "en"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    matching_adapter.invalidate()
    yield
    matching_adapter.invalidate()


def make_expert(username, region, institution, topic, n, *, user=True):
    u = UserFactory(username=username, roles=[Role.EXPERT]) if user else None
    e = ExpertProfile.objects.create(
        user=u,
        name_en=f"Expert {username.title()}",
        region=region,
        institution=institution,
        email=f"{username}@experts.example.org",
        status=ExpertStatus.ADMITTED,
        keywords=TOPICS[topic][1],
        languages="en, zh",
    )
    title, words = TOPICS[topic]
    for i in range(2):
        Publication.objects.create(
            expert=e,
            title=f"{title}: study {n}.{i}",
            abstract=f"{words} {words} result {i}",
            year=2022,
            coauthors=f"Expert {username.title()}; Colleague {n}{i}",
        )
    return e


def make_eligible(world, title, topic, *, hk_inst=None, ml_inst=None, ref=None):
    p = JointProposal.objects.create(
        call=world.call,
        reference=ref or f"R-{JointProposal.objects.count() + 1:03d}",
        title=title,
        abstract=TOPICS[topic][1] + " proposal",
        duration_months=24,
        created_by=world.hk_lead,
    )
    for side, agency, inst, lead in (
        ("HK", world.itc, hk_inst or world.astri, world.hk_lead),
        ("ML", world.most, ml_inst or world.tsinghua, world.ml_lead),
    ):
        h = ProposalHalf.objects.create(
            proposal=p,
            side=side,
            agency=agency,
            institution=inst,
            lead=lead,
            state=HalfState.ELIGIBLE,
            submitted_at=timezone.now(),
            keywords=TOPICS[topic][1].replace(" ", ", "),
        )
        TeamMember.objects.create(
            half=h,
            name=lead.get_full_name(),
            email=lead.email,
            institution=inst,
            role="pi",
            user=lead,
        )
    return p


@pytest.fixture
def rw(world):
    """The review world (extends the root ``world`` fixture)."""
    for order, (name, w) in enumerate(
        [
            ("Scientific merit", "3"),
            ("Cooperation between the two sides", "2"),
            ("Team and budget", "1"),
        ]
    ):
        AssessmentCriterion.objects.create(
            scheme=world.scheme, order=order, name=name, weight=Decimal(w)
        )
    hk_insts = [
        InstitutionFactory(code=f"hk-u{i}", name=f"HK University {i}", region="HK")
        for i in range(3)
    ]
    ml_insts = [
        InstitutionFactory(
            code=f"ml-u{i}",
            name=f"Mainland University {i}",
            region="ML",
            category="mainland_university",
        )
        for i in range(3)
    ]
    experts = {"HK": [], "ML": []}
    n = 0
    for topic in TOPICS:
        for k in range(3):
            n += 1
            experts["HK"].append(make_expert(f"hk{topic}{k}", "HK", hk_insts[k], topic, n))
            experts["ML"].append(make_expert(f"ml{topic}{k}", "ML", ml_insts[k], topic, n))
    # An expert at the applicant's own institution: always a conflict for proposals led from ASTRI.
    conflicted = make_expert("astriexpert", "HK", world.astri, "battery", 99)
    proposals = [make_eligible(world, TOPICS[t][0], t) for t in TOPICS]
    world.experts = experts
    world.conflicted = conflicted
    world.proposals = proposals
    world.chair = UserFactory(username="chair", roles=[Role.PANEL_CHAIR])
    return world


@pytest.fixture
def run_sync(django_capture_on_commit_callbacks):
    """Start a run and execute its job inline; returns the refreshed run."""
    from sciencebridge.review.services import assignment as svc

    def go(user, call, side, mode="optimal"):
        with django_capture_on_commit_callbacks(execute=True):
            run = svc.start_run(user, call, side, mode=mode)
        run.refresh_from_db()
        return run

    return go


@pytest.fixture
def published(rw, run_sync):
    """The HK side's run, published."""
    from sciencebridge.review.services import assignment as svc

    run = run_sync(rw.itc_officer, rw.call, "HK")
    svc.publish(rw.itc_officer, run)
    run.refresh_from_db()
    return SimpleNamespace(run=run, world=rw)


def rules(world, side="HK", **kw):
    return SideReviewRules.objects.create(scheme_side=world.scheme.side(side), **kw)


def write(a, score=7, submit=True, comments=None):
    """The expert of seat ``a`` accepts it, confirms no conflict and writes the review (every
    criterion scored ``score``; ``comments`` to the applicant), submitted unless ``submit`` is false."""
    user = a.expert.user
    if a.state == AssignmentState.INVITED:
        inv.accept(user, a)
    inv.confirm_no_conflict(user, a)
    review = rsvc.draft_for(user, a)
    rsvc.save(
        user,
        review,
        scores={c.pk: score for c in a.proposal.call.scheme.criteria.all()},
        comments_to_applicant=comments or f"Comments {score}",
        confidential_comments="secret",
        recommendation="fund",
        submit=submit,
    )
    review.refresh_from_db()
    return review


@pytest.fixture
def reviewed(published):
    """Three reviewers invited for each HK half; the battery proposal gets three submitted
    reviews: one valid, one late (the deadline moved before it), one by a reviewer who has since
    declared a conflict with the lead institution."""
    rw = published.world
    rules(rw, "HK", min_valid_reviews=3)
    battery = next(p for p in rw.proposals if p.title.startswith("Solid-state"))
    seats = list(
        published.run.assignments.filter(proposal=battery).select_related("expert__user", "run")
    )
    reviews = [write(a) for a in seats]
    window = ReviewWindow.objects.get(call=rw.call, side="HK")
    late = reviews[1]
    late.submitted_at = timezone.now() + dt.timedelta(days=1)
    late.save(update_fields=["submitted_at"])
    window.deadline = timezone.now() + dt.timedelta(hours=12)
    window.save(update_fields=["deadline"])
    DeclaredConflict.objects.create(
        expert=seats[2].expert, institution=rw.astri, reason="Joint appointment"
    )
    published.battery = battery
    published.reviews = reviews
    return published
