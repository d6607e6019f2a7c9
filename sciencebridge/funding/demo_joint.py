"""Demo data of the joint schemes: users for every role, three calls and a few hundred joint proposals in
every state (called by ``manage.py seed_demo`` through ``funding/demo.py``).

Proposals are built only through the workflow services (``sciencebridge.funding.services.proposals``), so
every state comes with its recorded timeline. A simulated clock (``django.utils.timezone.now`` patched for
the duration of the build) spreads the steps over the call's opening period, so timelines, submission
dates and history look real and the services' "call is open" checks pass.
"""

import math
import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.accounts.roles import Role
from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.demo_support import DEMO_PASSWORD, GENERATED_PREFIX, make_pdf
from sciencebridge.core.models import StateTransition
from sciencebridge.core.reference import schemes as reference_schemes
from sciencebridge.institutions.models import Institution

from . import demo_data as D
from .models import (
    Attachment,
    Call,
    HalfState,
    JointProposal,
    ProposalHalf,
    Scheme,
    TeamRole,
)
from .services import proposals as svc

CALL_JFS, CALL_JRS, CALL_PAST = "mhkjfs-2026", "jrs-2026", "mhkjfs-2025"
DEMO_CALLS = (CALL_JFS, CALL_JRS, CALL_PAST)

# (username, first name, last name, Chinese name, roles, institution code, agency code, title)
FIXED_USERS = [
    ("hk.applicant", "Ka Ming", "Chan", "陳家明", [Role.APPLICANT], "hkust", None, "Professor"),
    ("ml.applicant", "Wei", "Wang", "王伟", [Role.APPLICANT], "tsinghua", None, "Professor"),
    (
        "hk.office",
        "Mei Ling",
        "Lau",
        "劉美玲",
        [Role.RESEARCH_OFFICE],
        "hkust",
        None,
        "Research Office Manager",
    ),
    (
        "itc.officer",
        "Wing Sze",
        "Ho",
        "何詠詩",
        [Role.PROGRAMME_OFFICER],
        "itc",
        "itc",
        "Senior Officer",
    ),
    (
        "most.officer",
        "Fang",
        "Li",
        "李芳",
        [Role.PROGRAMME_OFFICER],
        "most",
        "most",
        "Programme Officer",
    ),
    (
        "rgc.officer",
        "Chun Kit",
        "Leung",
        "梁俊傑",
        [Role.PROGRAMME_OFFICER],
        "rgc",
        "rgc",
        "Senior Officer",
    ),
    (
        "nsfc.officer",
        "Lei",
        "Zhang",
        "张磊",
        [Role.PROGRAMME_OFFICER],
        "nsfc",
        "nsfc",
        "Programme Director",
    ),
    ("expert", "Hiu Tung", "Yeung", "楊曉彤", [Role.EXPERT], "cuhk", None, "Professor"),
    (
        "panel.chair",
        "Kwok Leung",
        "Cheung",
        "張國良",
        [Role.PANEL_CHAIR, Role.EXPERT],
        "hku",
        None,
        "Chair Professor",
    ),
    (
        "secretariat",
        "Yan Ting",
        "Tsang",
        "曾欣婷",
        [Role.SECRETARIAT],
        "itc",
        None,
        "Committee Secretary",
    ),
    ("admin", "Site", "Administrator", "", [Role.ADMINISTRATOR], None, None, ""),
]

# Scenario -> relative weight. The first proposals of a call take each scenario once, in this order,
# so even a small demo has every state.
SCENARIOS = [
    ("eligible", 21),
    ("submitted", 12),
    ("endorsed", 12),
    ("returned", 6),
    ("resubmitted", 5),
    ("ineligible", 7),
    ("withdrawn", 6),
    ("one_submitted", 7),
    ("both_draft", 10),
    ("invited", 8),
    ("draft_solo", 6),
]
PAST_SCENARIOS = [
    ("eligible", 45),
    ("ineligible", 12),
    ("one_submitted", 12),
    ("both_draft", 10),
    ("invited", 8),
    ("withdrawn", 8),
    ("endorsed", 5),
]
BUDGET_TEXT = {
    "staff": [
        "2 postdoctoral fellows and 1 research assistant",
        "1 research associate, 2 RAs",
        "Project engineer and research assistant",
        "博士后2名、研究助理1名",
    ],
    "equipment": [
        "GPU computing server",
        "Probe station and parameter analyser",
        "Confocal microscope time",
        "Sensor kits and edge devices",
        "实验设备购置",
    ],
    "consumables": [
        "Reagents and cell-culture supplies",
        "Wafers, targets and chemicals",
        "Cloud computing credits",
        "材料费",
    ],
    "travel": [
        "Exchange visits between Hong Kong and the Mainland",
        "Joint workshop and conference travel",
        "差旅与国际合作交流费",
    ],
    "other": [
        "Publication and IP filing fees",
        "Audit fee",
        "Data annotation services",
        "出版与知识产权事务费",
    ],
}


class Clock:
    """Simulated "now" for the services while seeding; None means the real time."""

    def __init__(self, real_now):
        self.real_now = real_now
        self.t = None

    def now(self):
        return self.t if self.t is not None else self.real_now()


def _round_down(x: float, step: int = 1000) -> Decimal:
    return Decimal(int(x // step) * step)


class DemoBuilder:
    def __init__(self, rng: random.Random, clock: Clock, out):
        self.rng = rng
        self.clock = clock
        self.out = out
        self.inst = {i.code: i for i in Institution.objects.all()}
        self.codes = {
            (c.scheme.code, c.code): c for c in DisciplineCode.objects.select_related("scheme")
        }
        self.pdf_cache: dict[str, bytes] = {}
        self.name_counter = Counter()

    # ----- time -------------------------------------------------------------------------------------
    def start_at(self, t):
        self.clock.t = t

    def step(self, end, lo=0.03, hi=0.22):
        """Advance the clock by a random share of the time left before ``end``."""
        left = (end - self.clock.t).total_seconds()
        self.clock.t += timedelta(seconds=max(60.0, left * self.rng.uniform(lo, hi)))
        if self.clock.t >= end:
            self.clock.t = end - timedelta(minutes=self.rng.randint(5, 60))

    def tick(self):
        self.clock.t += timedelta(minutes=self.rng.randint(3, 90))

    # ----- people -----------------------------------------------------------------------------------
    def person(self, side: str) -> dict:
        r = self.rng
        if side == "HK":
            (sur, sur_zh), (given, given_zh) = r.choice(D.HK_SURNAMES), r.choice(D.HK_GIVEN)
        else:
            (sur, sur_zh), (given, given_zh) = r.choice(D.ML_SURNAMES), r.choice(D.ML_GIVEN)
        slug = f"{given.replace(' ', '').lower()}.{sur.lower()}"
        self.name_counter[slug] += 1
        n = self.name_counter[slug]
        return {
            "first": given,
            "last": sur,
            "zh": sur_zh + given_zh,
            "slug": slug if n == 1 else f"{slug}{n}",
        }

    def pool_specs(self, n_hk: int, n_ml: int) -> list[dict]:
        ugc = [
            "hku",
            "cuhk",
            "hkust",
            "polyu",
            "cityu",
            "hkbu",
            "hku",
            "cuhk",
            "polyu",
            "eduhk",
            "lingnan",
        ]
        rnd = ["astri", "nami", "lscm", "hkrita", "apas", "astri", "nami"]
        designated = ["hkpc", "vtc", "hkmu"]
        ml_uni = [c for c, i in self.inst.items() if i.category == "mainland_university"]
        cas = [c for c, i in self.inst.items() if i.category == "cas_institute"]
        specs = []
        for i in range(n_hk):
            code = (
                self.rng.choice(ugc)
                if i % 10 < 7
                else self.rng.choice(rnd)
                if i % 10 < 9
                else self.rng.choice(designated)
            )
            p = self.person("HK")
            inst = self.inst[code]
            titles = D.HK_TITLES_UNI if inst.type == "university" else D.HK_TITLES_RI
            specs.append(
                {**p, "inst": code, "title": self.rng.choice(titles), "roles": [Role.APPLICANT]}
            )
        for i in range(n_ml):
            code = self.rng.choice(ml_uni) if i % 10 < 7 else self.rng.choice(cas)
            p = self.person("ML")
            specs.append(
                {
                    **p,
                    "inst": code,
                    "title": self.rng.choice(D.ML_TITLES),
                    "roles": [Role.APPLICANT],
                }
            )
        for code, i in self.inst.items():
            if (
                i.region == "HK"
                and i.category in ("ugc_university", "rnd_centre", "designated_institute")
                and code != "hkust"
            ):
                p = self.person("HK")
                specs.append(
                    {
                        **p,
                        "slug": f"office.{code}",
                        "inst": code,
                        "title": "Research Office",
                        "roles": [Role.RESEARCH_OFFICE],
                    }
                )
        return specs

    # ----- proposal content -------------------------------------------------------------------------
    def content(self, call: Call, area, hk_inst, ml_inst, months):
        r = self.rng
        family = D.THEME_FAMILY.get(area.code, "ai")
        core, zh, kw_en, kw_zh = r.choice(D.TOPICS[family])
        pat_en, pat_zh = r.choice(D.TITLE_PATTERNS)
        title = f"{pat_en.format(core=core)} {pat_zh.format(zh=zh)}"
        title = title[0].upper() + title[1:]
        (hs, hs_zh), (ms, ms_zh) = r.sample(D.STRENGTHS, 2)
        abstract = D.ABSTRACT.format(
            hk=hk_inst.name_en,
            ml=ml_inst.name_en,
            core=core,
            hk_strength=hs,
            ml_strength=ms,
            months=months,
            hk_zh=hk_inst.name_zh_hant,
            ml_zh=ml_inst.name_zh_hant,
            zh=zh,
            hk_strength_zh=hs_zh,
            ml_strength_zh=ms_zh,
        )
        a = max(3, months // 2)
        plan = D.PLAN.format(a=a, b=max(1, a - 2), c=max(1, months - 6), months=months)
        return {
            "title": title[:300],
            "abstract": abstract,
            "plan": plan,
            "family": family,
            "keywords": kw_en,
            "keywords_zh": kw_zh,
        }

    def budget(self, ceiling: Decimal, currency: str) -> list[dict]:
        r = self.rng
        total = float(ceiling) * r.uniform(0.45, 0.97)
        shares = {
            "staff": r.uniform(0.45, 0.6),
            "equipment": r.uniform(0.12, 0.25),
            "consumables": r.uniform(0.07, 0.14),
            "travel": r.uniform(0.03, 0.06),
        }
        shares["other"] = max(0.02, 1 - sum(shares.values()))
        norm = sum(shares.values())
        return [
            {
                "category": cat,
                "description": r.choice(BUDGET_TEXT[cat]),
                "amount": Money(_round_down(total * s / norm), currency),
            }
            for cat, s in shares.items()
            if total * s / norm >= 1000
        ]

    def pdf(self, kind_code: str, reference: str, title: str) -> ContentFile:
        data = make_pdf(
            [
                f"ScienceBridge demo document: {kind_code}",
                reference,
                title[:90],
                "Generated by manage.py seed_demo; not a real proposal.",
            ]
        )
        return ContentFile(data, name=f"{kind_code}.pdf")

    def fill_half(self, call: Call, half: ProposalHalf, lead, info: dict, *, complete=True):
        """Keywords, codes, budget, team and attachments for one half, through the services."""
        r = self.rng
        scheme = call.scheme
        side = half.side
        family = info["family"]
        gbt, rgc, nsfc = D.FAMILY_CODES[family]
        if side == "ML":
            codes = [self.codes[("nsfc", c)] for c in r.sample(nsfc, min(2, len(nsfc)))]
        elif scheme.code == "mhkjfs":
            codes = [self.codes[("gbt13745", c)] for c in r.sample(gbt, 1)]
        else:
            codes = [self.codes[("rgc-panel", c)] for c in r.sample(rgc, 1)]
        kws = info["keywords"] + (info["keywords_zh"] if r.random() < 0.6 else [])
        svc.update_half(lead, half, keywords=", ".join(kws), discipline_codes=codes)
        self.tick()
        ceiling = call.ceiling_for(side) or (
            Decimal("1000000") if side == "ML" else Decimal("1250000")
        )
        lines = self.budget(ceiling, "HKD" if side == "HK" else "CNY")
        svc.replace_budget(lead, half, lines)
        ptype = info["project_type"]
        if side == "HK" and ptype is not None and ptype.min_industry_share:
            total = sum(ln["amount"].amount for ln in lines)
            share = float(ptype.min_industry_share) / 100 + r.uniform(0.01, 0.15)
            sponsorship = _round_down(float(total) * share / (1 - share)) + 1000
            svc.update_half(lead, half, industry_sponsorship=sponsorship)
        for _ in range(r.randint(1, 3)):
            p = self.person(side)
            inst = half.institution
            if (
                side == "HK"
                and ptype is not None
                and ptype.code == "collaborative"
                and r.random() < 0.5
            ):
                inst = self.inst[r.choice(["clp", "towngas", "mtr", "hkt"])]
            elif side == "ML" and r.random() < 0.3:
                inst = self.inst[
                    r.choice(["huawei", "byd", "dji", "bgi", "cas-siat", "sustech", "szu"])
                ]
            domain = inst.email_domain or "example.com"
            svc.add_team_member(
                lead,
                half,
                name=f"{p['first']} {p['last']} {p['zh']}",
                email=f"{p['slug']}@{domain}",
                institution=inst,
                role=r.choice([TeamRole.CO_I, TeamRole.CO_I, TeamRole.MEMBER]),
            )
        if not complete:
            return
        for kind in scheme.required_attachments.all():
            if kind.side not in ("", side):
                continue
            wanted = kind.required or (ptype is not None and ptype.code == "collaborative")
            if wanted:
                svc.add_attachment(
                    lead,
                    half,
                    kind,
                    self.pdf(kind.code, half.proposal.reference, half.proposal.title),
                )
        self.tick()

    # ----- one proposal ------------------------------------------------------------------------------
    def build(
        self, call: Call, scenario: str, hk_lead, ml_lead, start, end, offices, officers
    ) -> JointProposal:
        r = self.rng
        self.start_at(start)
        scheme = call.scheme
        initiator, partner = (hk_lead, ml_lead) if r.random() < 0.6 else (ml_lead, hk_lead)
        area = r.choice(list(call.themes.all()) or list(scheme.areas.all()))
        ptypes = list(scheme.project_types.all())
        ptype = r.choice(ptypes) if ptypes else None
        months = (
            r.choice([18, 24, 24]) if scheme.max_duration_months <= 24 else r.choice([36, 48, 48])
        )
        months = min(months, scheme.max_duration_months)
        info = self.content(call, area, hk_lead.institution, ml_lead.institution, months)
        info["project_type"] = ptype
        proposal = svc.create_proposal(
            initiator,
            call,
            title=info["title"],
            abstract=info["abstract"],
            plan=info["plan"],
            project_type=ptype,
            area=area,
            duration_months=months,
        )
        halves = {h.side: h for h in proposal.halves.all()}
        mine = next(h for h in halves.values() if h.lead_id == initiator.pk)
        self.tick()
        self.fill_half(
            call, mine, initiator, info, complete=scenario != "draft_solo" or r.random() < 0.5
        )
        if scenario == "draft_solo":
            return proposal
        self.step(end)
        inv = svc.invite_partner(
            initiator, proposal, email=partner.email, institution=partner.institution
        )
        if scenario == "invited":
            return proposal
        self.step(end)
        theirs = svc.accept_invitation(partner, inv.token)
        theirs.proposal = proposal
        halves[theirs.side] = theirs
        self.tick()
        self.fill_half(
            call, theirs, partner, info, complete=scenario != "both_draft" or r.random() < 0.6
        )
        if scenario == "both_draft":
            return proposal
        if scenario == "withdrawn" and r.random() < 0.35:
            self.step(end)
            svc.withdraw(r.choice([hk_lead, ml_lead]), proposal, r.choice(D.WITHDRAW_REASONS))
            return proposal
        self.step(end)
        first, second = (mine, theirs) if r.random() < 0.5 else (theirs, mine)
        svc.submit_half(first.lead, first)
        if scenario == "one_submitted":
            return proposal
        self.step(end, 0.01, 0.1)
        svc.submit_half(second.lead, second)
        hk, ml = halves["HK"], halves["ML"]
        needs_endorsement = scheme.side("HK").requires_endorsement
        office = offices.get(hk.institution.code)
        if scenario == "submitted":
            return proposal
        if needs_endorsement:
            self.step(end)
            if scenario in ("returned", "resubmitted"):
                svc.return_half(office, hk, r.choice(D.RETURN_COMMENTS))
                if scenario == "returned":
                    return proposal
                self.step(end)
                # The applicant trims the budget as asked (the industry share only grows) and resubmits.
                svc.replace_budget(
                    hk.lead,
                    hk,
                    [
                        {
                            "category": ln.category,
                            "description": ln.description,
                            "amount": Money(_round_down(float(ln.amount.amount) * 0.95), "HKD"),
                        }
                        for ln in hk.budget_lines.all()
                    ],
                )
                svc.submit_half(hk.lead, hk)
                self.step(end)
            svc.endorse(
                office,
                hk,
                r.choice(["", "Endorsed; institutional support confirmed.", "同意推薦。"]),
            )
        if scenario in ("endorsed", "resubmitted"):
            return proposal
        if scenario == "withdrawn":
            self.step(end)
            svc.withdraw(r.choice([hk_lead, ml_lead]), proposal, r.choice(D.WITHDRAW_REASONS))
            return proposal
        self.step(end)
        if scenario == "eligible":
            for h in r.sample([hk, ml], 2):
                svc.screen(
                    officers[h.side], h, eligible=True, reason=r.choice(D.ELIGIBLE_REASONS[h.side])
                )
                self.tick()
        elif scenario == "ineligible":
            bad = r.choice([hk, ml])
            svc.screen(
                officers[bad.side],
                bad,
                eligible=False,
                reason=r.choice(D.INELIGIBLE_REASONS[bad.side]),
            )
            other = ml if bad is hk else hk
            if r.random() < 0.5:
                self.tick()
                svc.screen(
                    officers[other.side],
                    other,
                    eligible=True,
                    reason=r.choice(D.ELIGIBLE_REASONS[other.side]),
                )
        return proposal


class JointCallDemo:
    """The joint-call part of the demo, for one run of ``seed_demo`` (``command`` gives output and style)."""

    def __init__(self, command):
        self.stdout = command.stdout
        self.style = command.style
        self.rng = random.Random(2026)

    def reset(self):
        User = get_user_model()
        proposals = JointProposal.objects.filter(call__code__in=DEMO_CALLS)
        half_ids = list(
            ProposalHalf.objects.filter(proposal__in=proposals).values_list("pk", flat=True)
        )
        prop_ids = list(proposals.values_list("pk", flat=True))
        for att in Attachment.objects.filter(half_id__in=half_ids):
            att.file.delete(save=False)
        with transaction.atomic():
            StateTransition.objects.filter(
                content_type=ContentType.objects.get_for_model(ProposalHalf), object_id__in=half_ids
            ).delete()
            ProposalHalf.history.model.objects.filter(id__in=half_ids).delete()
            JointProposal.history.model.objects.filter(id__in=prop_ids).delete()
            JointProposal.objects.filter(pk__in=prop_ids).delete()
            Call.objects.filter(code__in=DEMO_CALLS).delete()
        users = User.objects.filter(username__in=[u[0] for u in FIXED_USERS]) | User.objects.filter(
            username__startswith=GENERATED_PREFIX
        )
        try:
            with transaction.atomic():
                n_users = users.delete()[1].get(User._meta.label, 0)
        except ProtectedError as e:
            n_users = 0
            self.stdout.write(
                self.style.WARNING(
                    f"Demo users kept (other records protect them: {len(e.protected_objects)}); they are reused."
                )
            )
        self.stdout.write(
            f"Reset: removed {len(prop_ids)} demo proposals and {n_users} demo users."
        )

    def ensure_users(self, specs: list[dict], inst: dict) -> dict[str, object]:
        """Create (in bulk) the users that do not exist yet; grant roles. Returns {username: user}."""
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
        existing = {
            u.username: u for u in User.objects.filter(username__in=[s["username"] for s in specs])
        }
        new = []
        for s in specs:
            if s["username"] in existing:
                continue
            i = inst.get(s.get("inst")) if s.get("inst") else None
            domain = i.email_domain if i and i.email_domain else "sciencebridge.local"
            new.append(
                User(
                    username=s["username"],
                    email=s.get("email")
                    or f"{s['username'].removeprefix(GENERATED_PREFIX)}@{domain}",
                    first_name=s["first"],
                    last_name=s["last"],
                    name_zh=s.get("zh", ""),
                    title=s.get("title", ""),
                    **verified_affiliation(i),
                    agency=inst.get(s["agency"]) if s.get("agency") else None,
                    password=password,
                    is_staff=s.get("superuser", False),
                    is_superuser=s.get("superuser", False),
                    preferred_language="zh-hant"
                    if i and i.region == "HK" and self.rng.random() < 0.3
                    else "zh-hans"
                    if i and i.region == "ML" and self.rng.random() < 0.6
                    else "en",
                )
            )
        User.objects.bulk_create(new, batch_size=500)
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[s["username"] for s in specs]
            ).select_related("institution")
        }
        groups = {str(r): Group.objects.get_or_create(name=str(r))[0] for r in Role.values}
        through = User.groups.through
        have = set(
            through.objects.filter(user__in=users.values()).values_list("user_id", "group_id")
        )
        links = []
        for s in specs:
            u = users[s["username"]]
            for role in s["roles"]:
                g = groups[str(role)]
                if (u.pk, g.pk) not in have:
                    links.append(through(user_id=u.pk, group_id=g.pk))
                    have.add((u.pk, g.pk))
        through.objects.bulk_create(links, batch_size=1000)
        return users

    def make_call(
        self,
        code,
        scheme_code,
        exercise,
        titles,
        opens,
        closes,
        *,
        ceilings=(None, None),
        budgets=(None, None),
        theme_codes=None,
    ) -> Call:
        scheme = Scheme.objects.get(code=scheme_code)
        call = Call.objects.create(
            scheme=scheme,
            code=code,
            exercise=exercise,
            opens_at=opens,
            closes_at=closes,
            title_en=titles[0],
            title_zh_hant=titles[1],
            title_zh_hans=titles[2],
            ceiling_hk=ceilings[0],
            ceiling_ml=ceilings[1],
            budget_hk=Money(budgets[0], "HKD") if budgets[0] else None,
            budget_ml=Money(budgets[1], "CNY") if budgets[1] else None,
        )
        areas = (
            scheme.areas.all() if theme_codes is None else scheme.areas.filter(code__in=theme_codes)
        )
        call.themes.set(areas)
        return (
            Call.objects.select_related("scheme")
            .prefetch_related(
                "scheme__sides", "scheme__required_attachments", "scheme__project_types", "themes"
            )
            .get(pk=call.pk)
        )

    def build(self, n_jfs: int, n_jrs: int, n_past: int, seed: int):
        self.rng = rng = random.Random(seed)
        real_now = timezone.now
        now = real_now()
        clock = Clock(real_now)
        b = DemoBuilder(rng, clock, self.stdout)
        inst = b.inst

        fixed = [
            {
                "username": u,
                "first": f,
                "last": la,
                "zh": zh,
                "roles": roles,
                "inst": ic,
                "agency": ac,
                "title": t,
                "superuser": u == "admin",
                "email": "admin@sciencebridge.local" if u == "admin" else None,
            }
            for u, f, la, zh, roles, ic, ac, t in FIXED_USERS
        ]
        n_hk = max(12, math.ceil(n_jfs * 0.45), math.ceil((n_jrs + 5) / 0.7))
        n_ml = max(12, math.ceil(n_jfs * 0.55), n_jrs + 5)
        pool = b.pool_specs(n_hk, n_ml)
        for s in pool:
            s["username"] = GENERATED_PREFIX + s["slug"]
        users = self.ensure_users(fixed + pool, inst)
        self.users = users
        hk_app, ml_app = users["hk.applicant"], users["ml.applicant"]
        hk_pool = [
            users[s["username"]]
            for s in pool
            if Role.APPLICANT in s["roles"] and inst[s["inst"]].region == "HK"
        ]
        ml_pool = [
            users[s["username"]]
            for s in pool
            if Role.APPLICANT in s["roles"] and inst[s["inst"]].region == "ML"
        ]
        offices = {
            u.institution.code: u
            for u in users.values()
            if u.username.startswith(GENERATED_PREFIX + "office.")
        }
        offices["hkust"] = users["hk.office"]

        day = timedelta(days=1)
        jfs = self.make_call(
            CALL_JFS,
            "mhkjfs",
            "2026",
            (
                "Mainland–Hong Kong Joint Funding Scheme: 2026 call",
                "內地與香港聯合資助計劃：2026年度徵集",
                "内地与香港联合资助计划：2026年度征集",
            ),
            now - 30 * day,
            now + 30 * day,
            ceilings=(Decimal("5000000"), Decimal("3000000")),
            budgets=(Decimal("60000000"), Decimal("40000000")),
            theme_codes=[
                a["code"] for a in reference_schemes.MHKJFS["areas"] if a["code"] != "new-materials"
            ],
        )
        jrs = self.make_call(
            CALL_JRS,
            "nsfc-rgc-jrs",
            "2026/27",
            (
                "NSFC/RGC Joint Research Scheme 2026/27",
                "國家自然科學基金委員會／研究資助局聯合科研資助基金 2026/27",
                "国家自然科学基金委员会／研究资助局联合科研资助基金 2026/27",
            ),
            # Closed two weeks ago and under review: a call's review starts only after it closes.
            now - 75 * day,
            now - 14 * day,
            budgets=(Decimal("37500000"), Decimal("50000000")),
        )
        past = self.make_call(
            CALL_PAST,
            "mhkjfs",
            "2025",
            (
                "Mainland–Hong Kong Joint Funding Scheme: 2025 call",
                "內地與香港聯合資助計劃：2025年度徵集",
                "内地与香港联合资助计划：2025年度征集",
            ),
            now - 400 * day,
            now - 350 * day,
            ceilings=(Decimal("5000000"), Decimal("3000000")),
            budgets=(Decimal("50000000"), Decimal("35000000")),
        )

        def scenarios(n, table):
            names = [s for s, _ in table]
            weights = [w for _, w in table]
            return names[:n] + rng.choices(names, weights, k=max(0, n - len(names)))

        with mock.patch.object(timezone, "now", clock.now), transaction.atomic():
            # Open MHKJFS call: the fixed demo applicants lead the first proposals (one per scenario).
            officers = {"HK": users["itc.officer"], "ML": users["most.officer"]}
            for k, sc in enumerate(scenarios(n_jfs, SCENARIOS)):
                if k < len(SCENARIOS):
                    hk, ml = hk_app, ml_app
                else:
                    hk, ml = rng.choice(hk_pool), rng.choice(ml_pool)
                start = jfs.opens_at + timedelta(hours=rng.uniform(2, 27 * 24))
                b.build(jfs, sc, hk, ml, start, now - timedelta(hours=1), offices, officers)
            # Open JRS call: one lead role per person per exercise, so every lead is distinct.
            officers = {"HK": users["rgc.officer"], "ML": users["nsfc.officer"]}
            jrs_table = [("submitted", 12)] + [s for s in SCENARIOS if s[0] != "submitted"]
            hk_ugc = [u for u in hk_pool if u.institution.category == "ugc_university"]
            hk_leads = [hk_app] + rng.sample(hk_ugc, min(len(hk_ugc), max(0, n_jrs - 1)))
            ml_leads = [ml_app] + rng.sample(ml_pool, min(len(ml_pool), max(0, n_jrs - 1)))
            for k, sc in enumerate(scenarios(min(n_jrs, len(hk_leads), len(ml_leads)), jrs_table)):
                start = jrs.opens_at + timedelta(hours=rng.uniform(2, 40 * 24))
                b.build(
                    jrs,
                    sc,
                    hk_leads[k],
                    ml_leads[k],
                    start,
                    jrs.closes_at - timedelta(hours=1),
                    offices,
                    officers,
                )
            # Past MHKJFS call: built inside its opening period, then the deadline is processed.
            officers = {"HK": users["itc.officer"], "ML": users["most.officer"]}
            for sc in scenarios(n_past, PAST_SCENARIOS):
                start = past.opens_at + timedelta(hours=rng.uniform(2, 40 * 24))
                b.build(
                    past,
                    sc,
                    rng.choice(hk_pool),
                    rng.choice(ml_pool),
                    start,
                    past.closes_at - timedelta(hours=1),
                    offices,
                    officers,
                )
            self.deadline_counts = {}
            for closed in (
                past,
                jrs,
            ):  # the closed calls' deadlines are processed, as the scheduler does
                clock.t = closed.closes_at + timedelta(hours=2)
                self.deadline_counts[closed.code] = svc.process_deadline(closed, now=clock.t)
            clock.t = None
            self.fix_state_dates([jfs, jrs, past])
        self.calls = [jfs, jrs, past]

    def fix_state_dates(self, calls):
        """Halves never moved by transition() keep the real creation time; use their last recorded step."""
        ct = ContentType.objects.get_for_model(ProposalHalf)
        halves = list(ProposalHalf.objects.filter(proposal__call__in=calls))
        last = {}
        for oid, at in (
            StateTransition.objects.filter(content_type=ct, object_id__in=[h.pk for h in halves])
            .order_by("at", "id")
            .values_list("object_id", "at")
        ):
            last[oid] = at
        for h in halves:
            h.state_changed_at = last.get(h.pk, h.state_changed_at)
        ProposalHalf.objects.bulk_update(halves, ["state_changed_at"], batch_size=500)

    def summary(self):
        w = self.stdout.write
        w("")
        states = [s for s, _ in HalfState.choices]
        for call in self.calls:
            props = JointProposal.objects.filter(call=call).prefetch_related("halves")
            half_counts = Counter(
                ProposalHalf.objects.filter(proposal__call=call).values_list("side", "state")
            )
            w(
                self.style.MIGRATE_HEADING(
                    f"{call.code} ({call.scheme.short_name}, exercise {call.exercise}, "
                    f"{call.status}): {props.count()} proposals"
                )
            )
            w(f"  {'half state':<12} {'HK':>5} {'ML':>5}")
            for s in states:
                hk, ml = half_counts.get(("HK", s), 0), half_counts.get(("ML", s), 0)
                if hk or ml:
                    w(f"  {s:<12} {hk:>5} {ml:>5}")
            pairs = Counter()
            for p in props:
                hk, ml = p.half("HK"), p.half("ML")
                pairs[
                    f"{hk.state}{'' if hk.lead_id else ' (no lead)'} / {ml.state}"
                    f"{'' if ml.lead_id else ' (no lead)'}"
                ] += 1
            w("  pairs (HK / ML):")
            for k, v in sorted(pairs.items(), key=lambda kv: -kv[1]):
                w(f"    {v:>4}  {k}")
        for code, counts in (getattr(self, "deadline_counts", None) or {}).items():
            w(f"Deadline processing of {code}: {counts}")
