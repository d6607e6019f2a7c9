"""Demo data of a national programme open to Hong Kong applicants: the NSFC Excellent Young Scientists Fund
(Hong Kong and Macao), 2026 exercise (closed, screened, reviewed, partly decided: awards of RMB 2m in three
tranches) and the 2027 exercise (open: drafts and submissions). Built through the services at simulated
dates; the reviews are written directly on the review models (one reviewer per application)."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.demo_support import GENERATED_PREFIX
from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.institutions.models import Institution

from . import demo_joint
from . import validation as v
from .models import Call, EligibilityProfile, HalfState, Scheme
from .national_reference import DESIGNATED_8, NSFC_EYS
from .services import proposals as svc

HKT = ZoneInfo("Asia/Hong_Kong")
LOGINS_NOTE = (
    f"(plus generated applicants and research offices named {GENERATED_PREFIX}…, same password)"
)
CALL_2026, CALL_2027 = "nsfc-eys-2026", "nsfc-eys-2027"
LOGINS = [
    *((row[0], "") for row in demo_joint.FIXED_USERS),
    ("eys.applicant", "NSFC Excellent Young Scientists (HK & Macao): eligible applicant at HKU"),
    ("eys.mu", "NSFC Excellent Young Scientists (HK & Macao): at a non-designated university"),
    ("eys.chair", "NSFC Excellent Young Scientists (HK & Macao)"),
]
TOPICS = [
    "Topological photonics on chip",
    "Single-cell atlas of liver regeneration",
    "Machine learning for coastal flood forecasting",
    "Perovskite tandem solar cell stability",
    "Quantum error correction with bosonic codes",
    "Gut microbiome and metabolic disease",
    "Low-altitude drone traffic control",
    "CRISPR screening of antiviral host factors",
    "Two-dimensional magnets for spintronics",
    "Neural circuits of decision making",
    "Catalytic upcycling of plastic waste",
    "Privacy-preserving federated learning",
]
# The 2026 exercise: how many applications end in each state (60 in all).
PLAN = (
    ["lapsed"] * 4
    + ["withdrawn"] * 3
    + ["age", "age", "age", "designation", "designation", "residence", "residence", "residence"]
    + ["funded"] * 12
    + ["not_funded"] * 10
    + ["recommended"] * 23
)


@contextmanager
def at(moment):
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _t(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=HKT)


def add_arguments(parser):
    parser.add_argument(
        "--proposals",
        type=int,
        default=300,
        help="Proposals in the open MHKJFS call (default 300); the JRS and past calls scale.",
    )
    parser.add_argument(
        "--jrs-proposals", type=int, default=None, help="Default: proposals × 80/300 (at least 11)."
    )
    parser.add_argument(
        "--past-proposals", type=int, default=None, help="Default: proposals × 40/300 (at least 7)."
    )


def seeded() -> str | None:
    if Call.objects.filter(code=demo_joint.CALL_JFS).exists():
        return (
            f"Demo call {demo_joint.CALL_JFS} already exists: nothing created. "
            "Use --reset to rebuild."
        )
    return None


def reset(command):
    demo_joint.JointCallDemo(command).reset()


def seed(command, rng):
    """The joint calls first (every later stage builds on them), then the national programme."""
    opts = getattr(command, "options", {})
    n = max(0, opts.get("proposals", 300))
    # Defaults scale with --proposals but keep at least one proposal per scenario.
    n_jrs = opts.get("jrs_proposals")
    if n_jrs is None:
        n_jrs = max(len(demo_joint.SCENARIOS), round(n * 80 / 300)) if n else 0
    n_past = opts.get("past_proposals")
    if n_past is None:
        n_past = max(len(demo_joint.PAST_SCENARIOS), round(n * 40 / 300)) if n else 0
    joint = demo_joint.JointCallDemo(command)
    joint.build(n, n_jrs, n_past, opts.get("seed", 2026))
    command.joint_call_demo = joint
    seed_national(command, rng, joint.ensure_users)


def summary(command):
    joint = getattr(command, "joint_call_demo", None)
    if joint is not None:
        joint.summary()


def seed_national(command, rng, ensure_users):
    if Call.objects.filter(code=CALL_2026).exists():
        command.stdout.write(f"  {CALL_2026} exists: national programme demo kept")
        return
    scheme = Scheme.objects.filter(code=NSFC_EYS).first()
    officer = get_user_model().objects.filter(username="nsfc.officer").first()
    if scheme is None or officer is None:
        return
    inst = {i.code: i for i in Institution.objects.all()}
    designated = [inst[c] for c in DESIGNATED_8 if c in inst]
    specs = [
        {
            "username": "eys.applicant",
            "first": "Hoi Yan",
            "last": "Wong",
            "zh": "黃凱欣",
            "inst": "hku",
            "roles": [Role.APPLICANT],
        },
        {
            "username": "eys.mu",
            "first": "Chi Fung",
            "last": "Lam",
            "zh": "林志峰",
            "inst": "hkmu" if "hkmu" in inst else "vtc",
            "roles": [Role.APPLICANT],
        },
        {
            "username": "eys.chair",
            "first": "Jian",
            "last": "Zhou",
            "zh": "周健",
            "inst": "pku" if "pku" in inst else None,
            "roles": [Role.PANEL_CHAIR, Role.EXPERT],
        },
    ]
    for n in range(1, len(PLAN) + 1):
        specs.append(
            {
                "username": f"demo-eys-{n:02d}",
                "first": f"Young{n:02d}",
                "last": "Scientist",
                "inst": designated[n % len(designated)].code,
                "roles": [Role.APPLICANT],
            }
        )
    for n in range(1, 5):
        specs.append(
            {
                "username": f"demo-eys27-{n}",
                "first": f"Fellow{n}",
                "last": "Scholar",
                "inst": designated[(n * 3) % len(designated)].code,
                "roles": [Role.APPLICANT],
            }
        )
    users = ensure_users(specs, inst)
    profiles = []
    for s in specs:
        if Role.APPLICANT not in s["roles"]:
            continue
        born = dt.date(1990 + rng.randrange(0, 7), rng.randrange(1, 13), rng.randrange(1, 28))
        profiles.append(
            EligibilityProfile(
                user=users[s["username"]],
                date_of_birth=born,
                sex=rng.choice("MF"),
                employment_type="full_time",
                career_stage="faculty",
                months_in_region=rng.choice([10, 11, 12]),
            )
        )
    EligibilityProfile.objects.bulk_create(profiles, ignore_conflicts=True)

    past = _call(
        scheme, CALL_2026, "2026", _t(2026, 1, 5), _t(2026, 3, 20, 17), dt.date(2026, 1, 1)
    )
    now = timezone.now()
    current = _call(
        scheme,
        CALL_2027,
        "2027",
        now - dt.timedelta(days=20),
        now + dt.timedelta(days=60),
        dt.date(2027, 1, 1),
    )
    kinds = list(scheme.required_attachments.all())
    counts = {}
    halves = []
    for n, kind in enumerate(PLAN, start=1):
        user = users[f"demo-eys-{n:02d}"]
        with at(_t(2026, 1, 10) + dt.timedelta(hours=13 * n)):
            half = _draft(past, user, kinds, TOPICS[n % len(TOPICS)], n)
            if kind == "lapsed":
                counts[kind] = counts.get(kind, 0) + 1
                continue
            svc.submit_half(user, half)
            if kind == "withdrawn":
                svc.withdraw(user, half.proposal, "Moved to another funding scheme.")
                counts[kind] = counts.get(kind, 0) + 1
                continue
        halves.append((kind, half))
    with at(past.closes_at + dt.timedelta(hours=1)):
        svc.process_deadline(past)
    eligible = []
    for i, (kind, half) in enumerate(halves):
        half.refresh_from_db()
        with at(_t(2026, 3, 25) + dt.timedelta(hours=2 * i)):
            if kind in ("age", "designation", "residence"):
                reason = _ineligible(past, half, kind, inst)
                svc.screen(officer, half, eligible=False, reason=reason)
            else:
                svc.screen(
                    officer,
                    half,
                    eligible=True,
                    reason="Designated university; personal rules met; declarations verified.",
                    declarations_verified=True,
                )
                eligible.append((kind, half))
        counts[kind] = counts.get(kind, 0) + 1
    _review_and_decide(past, officer, users["eys.chair"], eligible)
    # The open 2027 exercise: two drafts and two submitted applications, plus the demo applicant's draft.
    for n in range(1, 5):
        user = users[f"demo-eys27-{n}"]
        half = _draft(current, user, kinds, TOPICS[(n + 5) % len(TOPICS)], 100 + n)
        if n > 2:
            svc.submit_half(user, half)
    _draft(current, users["eys.applicant"], kinds[:1], TOPICS[0], 200)
    command.stdout.write(
        f"  {CALL_2026}: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f"; {CALL_2027}: 5 open applications"
    )


def _call(scheme, code, exercise, opens, closes, reference_date) -> Call:
    call = Call.objects.create(
        scheme=scheme,
        code=code,
        title_en=f"NSFC Excellent Young Scientists Fund (Hong Kong and Macao) {exercise}",
        title_zh_hant=f"{exercise} 年度國家自然科學基金優秀青年科學基金項目（港澳）",
        title_zh_hans=f"{exercise} 年度国家自然科学基金优秀青年科学基金项目（港澳）",
        exercise=exercise,
        opens_at=opens,
        closes_at=closes,
        reference_date=reference_date,
        award_quota=25,
        budget_ml=Money(Decimal(50_000_000), "CNY"),
        ceiling_ml=Decimal(2_000_000),
    )
    return call


def _draft(call, user, kinds, topic, n):
    p = svc.create_proposal(
        user,
        call,
        title=f"{topic} ({n})",
        abstract=f"A three-year programme on {topic.lower()}, led from Hong Kong.",
        duration_months=36,
    )
    half = p.halves.get()
    svc.replace_budget(
        user,
        half,
        [
            {
                "category": "staff",
                "description": "Research staff",
                "amount": Money(1_200_000, "CNY"),
            },
            {"category": "equipment", "description": "Equipment", "amount": Money(800_000, "CNY")},
        ],
    )
    svc.update_half(user, half, keywords=topic.lower().replace(" ", ", ", 1))
    for kind in kinds:
        svc.add_attachment(user, half, kind, ContentFile(MINIMAL_PDF, name=f"{kind.code}.pdf"))
    return half


def _ineligible(call, half, kind, inst) -> str:
    """What the officer found when verifying the declarations: the profile is corrected and the reason is
    the engine's own explanation of the failing rule, written by the NSFC officer in Simplified Chinese."""
    with translation.override("zh-hans"):
        return _ineligible_reason(call, half, kind, inst)


def _ineligible_reason(call, half, kind, inst) -> str:
    profile = EligibilityProfile.objects.get(user=half.lead)
    if kind == "designation":
        other = inst.get("hkmu") or inst.get("vtc")
        found = v.check_designated(call, call.scheme.single_side, other)["institution"][0]
        return "聘用证明显示申请人的全职职位不在所填院校。" + found
    if kind == "age":
        profile.date_of_birth = dt.date(1984, 6, 1)
        profile.sex = "M"
    else:
        profile.months_in_region = 7
    profile.save()
    failing = v.eligibility_failures(v.evaluate_eligibility(call, half.lead, half=half))
    return "证明文件与申报资料不符。" + " ".join(failing)


def _review_and_decide(call, officer, chair, eligible):
    from sciencebridge.decisions.services import panel as psvc
    from sciencebridge.decisions.services.decisions import decide
    from sciencebridge.experts.models import ExpertProfile
    from sciencebridge.review.models import (
        Assignment,
        AssignmentRun,
        AssignmentState,
        Review,
        ReviewScore,
        ReviewState,
        ReviewWindow,
        RunState,
    )

    criteria = list(call.scheme.criteria.all())
    with at(_t(2026, 4, 10)):
        run, _created = AssignmentRun.objects.get_or_create(
            call=call, side="ML", defaults={"state": RunState.PUBLISHED}
        )
        expert, _created = ExpertProfile.objects.get_or_create(
            email="eys.reviewer@experts.example.org",
            defaults={"name_en": "Xiaoming Chen", "name_zh": "陈晓明", "region": "ML"},
        )
        for i, (_kind, half) in enumerate(eligible):
            a = Assignment.objects.create(
                run=run,
                proposal=half.proposal,
                half=half,
                expert=expert,
                state=AssignmentState.SUBMITTED,
            )
            review = Review.objects.create(
                assignment=a,
                state=ReviewState.SUBMITTED,
                comments_to_applicant="A clear plan; the preliminary results are convincing.",
            )
            for c in criteria:
                ReviewScore.objects.create(
                    review=review, criterion=c, score=3 + (i * 7 + c.order) % 5
                )
        ReviewWindow.objects.update_or_create(
            call=call, side="ML", defaults={"deadline": _t(2026, 5, 10)}
        )
    with at(_t(2026, 5, 20)):
        panel = psvc.panel_for(call, "ML")
        psvc.appoint_chair(officer, panel, chair)
        for kind, half in eligible:
            rec = "fund" if kind in ("funded", "recommended") else "reject"
            psvc.record_recommendation(
                chair, half, recommendation=rec, notes="Discussed by the panel."
            )
    for i, (kind, half) in enumerate(eligible):
        if kind not in ("funded", "not_funded"):
            continue
        half.refresh_from_db()
        with at(_t(2026, 6, 15) + dt.timedelta(hours=i)):
            if kind == "funded":
                decide(
                    officer,
                    half,
                    fund=True,
                    amount="2000000",
                    reason="Within the quota; ranked high.",
                )
            else:
                decide(officer, half, fund=False, reason="Below the funding line.")
    assert all(h.state != HalfState.DRAFT for _k, h in eligible)
