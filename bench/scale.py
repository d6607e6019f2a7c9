"""Scale benchmark on PostgreSQL: a national-size data set, then page and API latency under load.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_scale
    .venv/bin/python bench/scale.py generate            # 100k proposals, 50k experts, 300k reviews
    .venv/bin/python bench/scale.py measure             # queries per request, then wrk under load
    .venv/bin/python bench/scale.py jobs                # time of the heavy jobs on this data

`generate` drops nothing: run it on an empty database (it migrates first). Rows are written with
bulk_create in batches, so the generator itself is not the bottleneck. `measure` starts gunicorn
(DEBUG off, the production settings) on 127.0.0.1:8900 and drives it with `wrk` (Debian package; the
script installs nothing and tells you if it is missing), several connections at once, and prints
p50/p95 latency and throughput per endpoint, plus the number of SQL queries each request makes
(measured in-process with Django's test client against the same database). Between endpoints it waits
until the workers have finished the requests wrk left in flight, so a slow page's backlog is not
counted against the next endpoint.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciencebridge.settings")

WORDS = [
    "graphene",
    "membrane",
    "desalination",
    "catalyst",
    "battery",
    "lithium",
    "solid-state",
    "electrolyte",
    "perovskite",
    "solar",
    "quantum",
    "sensing",
    "photonic",
    "chip",
    "silicon",
    "carbide",
    "MOSFET",
    "reliability",
    "deep",
    "learning",
    "federated",
    "privacy",
    "robot",
    "navigation",
    "traffic",
    "digital",
    "twin",
    "smart",
    "city",
    "biomarker",
    "cancer",
    "immunotherapy",
    "antibody",
    "vaccine",
    "kidney",
    "disease",
    "traditional",
    "Chinese",
    "medicine",
    "compound",
    "microbiome",
    "genome",
    "editing",
    "CRISPR",
    "protein",
    "folding",
    "drug",
    "delivery",
    "nanoparticle",
    "hydrogel",
    "tissue",
    "engineering",
    "stroke",
    "rehabilitation",
    "exoskeleton",
    "air",
    "pollution",
    "aerosol",
    "typhoon",
    "coastal",
    "flood",
    "sea",
    "level",
    "mangrove",
    "carbon",
    "capture",
    "hydrogen",
    "fuel",
    "cell",
    "power",
    "grid",
    "semiconductor",
    "packaging",
    "lidar",
    "autonomous",
    "vehicle",
    "5G",
    "antenna",
    "edge",
    "computing",
    "blockchain",
]


def setup_django():
    import django

    django.setup()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def timed(label):
    class _T:
        def __enter__(self):
            self.t = time.perf_counter()
            return self

        def __exit__(self, *exc):
            print(f"  {label:<40} {time.perf_counter() - self.t:8.1f} s", flush=True)

    return _T()


# ----------------------------------------------------------------------------------------------------
def generate(args):
    setup_django()
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from djmoney.money import Money

    from sciencebridge.accounts.models import User, verified_affiliation
    from sciencebridge.accounts.roles import Role
    from sciencebridge.core.models import StateTransition
    from sciencebridge.experts.models import ExpertProfile, ExpertStatus, Publication
    from sciencebridge.funding.models import (
        BudgetLine,
        Call,
        HalfState,
        JointProposal,
        ProposalHalf,
        Scheme,
    )
    from sciencebridge.institutions.models import Institution

    assert connection.vendor == "postgresql", (
        "the scale benchmark is for PostgreSQL (set DATABASE_URL)"
    )
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    print(f"Generating into {connection.settings_dict['NAME']} …")
    with timed("migrate + reference data"):
        call_command("migrate", verbosity=0)
        call_command("seed_reference", verbosity=0)
    scheme = Scheme.objects.get(code="mhkjfs")
    hk_agency, ml_agency = scheme.side("HK").agency, scheme.side("ML").agency
    hk_insts = list(Institution.objects.filter(region="HK").exclude(type="agency"))
    ml_insts = list(Institution.objects.filter(region="ML").exclude(type="agency"))
    areas = list(scheme.areas.all())
    ptypes = list(scheme.project_types.all())

    with timed("users"):
        pw = make_password("bench-pass-1")
        users = [
            User(
                username=f"scale-{side}-{i}",
                email=f"scale-{side}-{i}@example.org",
                password=pw,
                first_name="Scale",
                last_name=f"{side}{i}",
                **verified_affiliation(rng.choice(hk_insts if side == "hk" else ml_insts)),
            )
            for side in ("hk", "ml")
            for i in range(args.applicants // 2)
        ]
        User.objects.bulk_create(users, batch_size=5000)
        officers = []
        for username, agency in (
            ("scale-itc-officer", hk_agency),
            ("scale-most-officer", ml_agency),
        ):
            u = User.objects.create_user(
                username=username,
                email=f"{username}@example.org",
                password="bench-pass-1",
                agency=agency,
                **verified_affiliation(agency),
            )
            u.grant_role(Role.PROGRAMME_OFFICER)
            officers.append(u)
        applicants = list(
            User.objects.filter(username__startswith="scale-hk-").values_list("id", flat=True)
        )
        ml_applicants = list(
            User.objects.filter(username__startswith="scale-ml-").values_list("id", flat=True)
        )
        for u in User.objects.filter(username__in=["scale-hk-0", "scale-ml-0"]):
            u.grant_role(Role.APPLICANT)

    now = timezone.now()
    n_calls = args.calls
    with timed("calls"):
        calls = [
            Call.objects.create(
                scheme=scheme,
                code=f"scale-{i:02d}",
                title=f"Scale call {i}",
                exercise=str(2000 + i),
                opens_at=now - timedelta(days=400 - i),
                closes_at=now - timedelta(days=300 - i)
                if i < n_calls - 1
                else now + timedelta(days=30),
            )
            for i in range(n_calls)
        ]
        for c in calls:
            c.themes.set(areas)

    states = [
        HalfState.SUBMITTED,
        HalfState.ENDORSED,
        HalfState.ELIGIBLE,
        HalfState.ELIGIBLE,
        HalfState.INELIGIBLE,
        HalfState.FUNDED,
        HalfState.NOT_FUNDED,
        HalfState.DRAFT,
    ]
    half_ct = ContentType.objects.get_for_model(ProposalHalf)
    batch = 5000
    with timed(f"{args.proposals:,} proposals, halves, budgets, transitions"):
        for start in range(0, args.proposals, batch):
            props = []
            for i in range(start, min(args.proposals, start + batch)):
                call = calls[i % n_calls]
                props.append(
                    JointProposal(
                        call=call,
                        reference=f"{call.code.upper()}-{i:06d}",
                        title=sentence(rng, 8).capitalize(),
                        abstract=sentence(rng, 60),
                        duration_months=24,
                        area=rng.choice(areas),
                        project_type=rng.choice(ptypes),
                        created_by_id=rng.choice(applicants),
                    )
                )
            JointProposal.objects.bulk_create(props, batch_size=batch)
            halves = []
            for p in props:
                st = rng.choice(states)
                halves.append(
                    ProposalHalf(
                        proposal=p,
                        call_id=p.call_id,
                        side="HK",
                        agency=hk_agency,
                        institution=rng.choice(hk_insts),
                        lead_id=p.created_by_id,
                        state=st,
                        keywords=sentence(rng, 4),
                        submitted_at=now if st != HalfState.DRAFT else None,
                    )
                )
                halves.append(
                    ProposalHalf(
                        proposal=p,
                        call_id=p.call_id,
                        side="ML",
                        agency=ml_agency,
                        institution=rng.choice(ml_insts),
                        lead_id=rng.choice(ml_applicants),
                        state=rng.choice(states),
                        keywords=sentence(rng, 4),
                        submitted_at=now,
                    )
                )
            ProposalHalf.objects.bulk_create(halves, batch_size=batch)
            lines, transitions = [], []
            for h in halves:
                cur = "HKD" if h.side == "HK" else "CNY"
                lines.append(
                    BudgetLine(
                        half=h,
                        category="staff",
                        description="Research staff",
                        amount=Money(Decimal(rng.randrange(100, 600) * 1000), cur),
                    )
                )
                lines.append(
                    BudgetLine(
                        half=h,
                        category="equipment",
                        description="Equipment",
                        amount=Money(Decimal(rng.randrange(10, 200) * 1000), cur),
                    )
                )
                transitions.append(
                    StateTransition(
                        content_type=half_ct,
                        object_id=h.pk,
                        from_state="draft",
                        to_state=h.state,
                        reason="generated",
                    )
                )
            BudgetLine.objects.bulk_create(lines, batch_size=batch)
            StateTransition.objects.bulk_create(transitions, batch_size=batch)
            print(f"    {min(args.proposals, start + batch):>7,} proposals", end="\r", flush=True)
        print()

    with timed(f"{args.experts:,} experts with publications"):
        insts = hk_insts + ml_insts
        for start in range(0, args.experts, batch):
            experts = []
            for i in range(start, min(args.experts, start + batch)):
                inst = rng.choice(insts)
                experts.append(
                    ExpertProfile(
                        name_en=f"Expert {i} {rng.choice(WORDS).title()}",
                        region=inst.region,
                        institution=inst,
                        email=f"scale-expert-{i}@example.org",
                        keywords=", ".join(rng.sample(WORDS, 4)),
                        status=ExpertStatus.ADMITTED,
                        consent_to_contact=True,
                    )
                )
            ExpertProfile.objects.bulk_create(experts, batch_size=batch)
            pubs = [
                Publication(
                    expert=e,
                    title=sentence(rng, 9).capitalize(),
                    title_key=f"k{e.pk}-{j}",
                    abstract=sentence(rng, 40),
                    year=rng.randrange(2010, 2026),
                )
                for e in experts
                for j in range(args.papers)
            ]
            Publication.objects.bulk_create(pubs, batch_size=batch)
            print(f"    {min(args.experts, start + batch):>7,} experts", end="\r", flush=True)
        print()

    generate_reviews(args, rng)
    generate_projects_offers(args, rng)
    with timed("ANALYZE"), connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"Done in {time.perf_counter() - t0:.0f} s.")


def generate_reviews(args, rng):
    """Reviews come from the review app; each domain that has scale data provides `bench_rows`."""
    from importlib.util import find_spec

    if find_spec("sciencebridge.review.scale") is None:
        print("  (no sciencebridge.review.scale module: reviews not generated)")
        return
    from sciencebridge.review import scale as review_scale

    with timed(f"{args.reviews:,} reviews"):
        review_scale.generate(args.reviews, rng)


def reviews(args):
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate_reviews(args, random.Random(args.seed))


def generate_projects_offers(args, rng):
    """Funded projects (sciencebridge.projects.scale) and technology offers (sciencebridge.transfer.scale)."""
    from sciencebridge.projects import scale as project_scale
    from sciencebridge.transfer import scale as transfer_scale

    with timed(f"{args.projects:,} projects with schedules, payments, outcomes"):
        project_scale.generate(args.projects, rng)
    with timed(f"{args.offers:,} technology offers"):
        transfer_scale.generate(args.offers, rng, WORDS)


def projects_offers(args):
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    generate_projects_offers(args, random.Random(args.seed))
    with timed("ANALYZE"), connection.cursor() as cur:
        cur.execute("ANALYZE")


# ----------------------------------------------------------------------------------------------------
def endpoints():
    """(name, path, who) for the main pages and API lists; `who` is officer or applicant. First the
    health check (one database round trip): every other endpoint's p95 is also given as a multiple
    of its p95 in the same run, which cancels much of a shared machine's noise."""
    detail = recommend_ref() or "SCALE-00-000000"
    return [
        (HEALTH, "/health/", "officer"),
        ("page: officer proposal list", "/calls/scale-00/proposals/", "officer"),
        (
            "page: officer list, filtered",
            "/calls/scale-00/proposals/?state=eligible&q=graphene",
            "officer",
        ),
        ("page: officer list, by budget", "/calls/scale-00/proposals/?sort=-budget", "officer"),
        ("page: officer list, by partner", "/calls/scale-00/proposals/?sort=partner", "officer"),
        (
            "page: officer list, by inst., p.40",
            "/calls/scale-00/proposals/?sort=institution&page=40",
            "officer",
        ),
        ("page: proposal detail", f"/proposals/{detail}/", "officer"),
        ("page: dashboard (applicant)", "/dashboard/", "applicant"),
        ("page: dashboard (officer)", "/dashboard/", "officer"),
        ("page: expert search", "/experts/?q=graphene+membrane", "officer"),
        ("page: calls (applicant)", "/calls/", "applicant"),
        ("page: public dashboard", "/cooperation/", PUBLIC),
        ("api: proposals list", "/api/v1/proposals/?call=scale-01", "officer"),
        ("api: proposals list (applicant)", "/api/v1/proposals/", "applicant"),
        ("api: proposal detail", f"/api/v1/proposals/{detail}/", "officer"),
        ("api: experts search", "/api/v1/experts/?q=perovskite", "officer"),
        ("api: calls", "/api/v1/calls/", "officer"),
        *project_offer_endpoints(),
        # Last: these rank every proposal of a 5,000-proposal call (both sides for the meeting).
        ("page: review of a call (5k)", "/review/calls/scale-00/", "officer"),
        *(
            [
                ("page: assignment run (5k), p.1", f"/review/runs/{run}/", "officer"),
                ("page: assignment run (5k), p.40", f"/review/runs/{run}/?page=40", "officer"),
            ]
            if (run := big_run_pk())
            else []
        ),
        ("page: review panel (5k halves)", "/decisions/calls/scale-00/panel/hk/", "officer"),
        ("page: joint meeting", "/decisions/calls/scale-00/meeting/", "officer"),
        ("page: bulk decisions (5k halves)", "/decisions/calls/scale-00/panel/hk/bulk/", "officer"),
        *(
            [
                (
                    "page: panel recommend (1 proposal)",
                    f"/decisions/calls/scale-00/panel/hk/{detail}/",
                    "officer",
                )
            ]
            if recommend_ref()
            else []
        ),
    ]


HEALTH = "health check (1 DB round trip)"


def project_offer_endpoints():
    """The project and technology-offer pages and API (when `generate` made projects and offers)."""
    setup_django()
    from sciencebridge.projects.models import Project
    from sciencebridge.transfer.models import OfferState, TechnologyOffer, Visibility

    out = []
    # a project of the benchmark applicant (the officer's agency funds its Hong Kong side)
    project = (
        Project.objects.filter(sides__lead__username=BENCH_USERS["applicant"])
        .order_by("reference")
        .values_list("reference", flat=True)
        .first()
    )
    if project:
        out += [
            ("page: projects (officer)", "/projects/", "officer"),
            ("page: projects (applicant)", "/projects/", "applicant"),
            ("page: officer desk (projects)", "/projects/officer/", "officer"),
            ("page: project detail", f"/projects/{project}/", "officer"),
            ("api: projects list", "/api/v1/projects/", "officer"),
            ("api: project detail", f"/api/v1/projects/{project}/", "officer"),
        ]
    offer = (
        TechnologyOffer.objects.filter(state=OfferState.PUBLISHED, visibility=Visibility.PUBLIC)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if offer:
        out += [
            ("page: offers (public)", "/transfer/", PUBLIC),
            ("page: offers search", "/transfer/?q=graphene+membrane", PUBLIC),
            ("page: offers search (Chinese)", "/transfer/?q=%E7%9F%B3%E5%A2%A8%E7%83%AF", PUBLIC),
            ("page: offer detail", f"/transfer/offers/{offer}/", PUBLIC),
            ("api: offers list", "/api/v1/transfer/offers/", PUBLIC),
            ("api: offer detail", f"/api/v1/transfer/offers/{offer}/", PUBLIC),
        ]
    return out


def _only(names: str | None):
    """The endpoints whose name contains one of the comma-separated ``names`` (the health check always)."""
    wanted = [w.strip() for w in (names or "").split(",") if w.strip()]
    return [
        e for e in endpoints() if not wanted or e[0] == HEALTH or any(w in e[0] for w in wanted)
    ]


def big_run_pk() -> int | None:
    """The Hong Kong side's assignment run of scale-00 (its page lists the call's units a page at a
    time, with each unit's seats)."""
    setup_django()
    from sciencebridge.review.models import AssignmentRun

    run = AssignmentRun.objects.filter(call__code="scale-00", side="HK").order_by("-pk").first()
    return run.pk if run else None


def recommend_ref() -> str | None:
    """A reviewed Hong Kong half of scale-00 on its panel (the chair's recommend page ranks the side)."""
    setup_django()
    from sciencebridge.funding.models import ProposalHalf

    return (
        ProposalHalf.objects.filter(
            proposal__call__code="scale-00",
            side="HK",
            state="eligible",
            review_assignments__review__state="submitted",
        )
        .order_by("proposal__reference")
        .values_list("proposal__reference", flat=True)
        .first()
    )


def _rows_read(cursor) -> int:
    """Rows PostgreSQL has read so far in this database (sequential + index fetches), from its
    statistics, flushed first (PostgreSQL 15+: ``pg_stat_force_next_flush``)."""
    cursor.execute("SELECT pg_stat_force_next_flush()")
    cursor.execute("SELECT 1")  # the backend goes idle in between: the flush happens
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT COALESCE(SUM(seq_tup_read), 0) + COALESCE(SUM(idx_tup_fetch), 0) "
        "FROM pg_stat_user_tables"
    )
    return int(cursor.fetchone()[0])


#: who the measured requests are made as (users that `generate` creates), or PUBLIC: no session
BENCH_USERS = {"officer": "scale-itc-officer", "applicant": "scale-hk-0"}
PUBLIC = "public"


def count_queries(args):
    """Per endpoint, one warm request in-process: status, SQL queries, rows read, time; and the time
    of a request that finds the stamped caches empty (``core.stamped_cache``: a panel's ranking, the
    dashboard's seat counts), as the first request of a worker, or the first after a change, does."""
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sciencebridge.accounts.models import User
    from sciencebridge.core import stamped_cache

    who = {role: User.objects.get(username=name) for role, name in BENCH_USERS.items()}
    print(
        f"{'endpoint':<38} {'status':>6} {'queries':>8} {'rows read':>10} {'ms (warm)':>10} "
        f"{'ms (caches empty)':>18}"
    )
    for name, path, role in _only(args.only):
        c = Client(HTTP_HOST="127.0.0.1")
        if role != PUBLIC:
            c.force_login(who[role])
        c.get(path)  # warm: caches, the first use of a code path
        stamped_cache.clear_all()
        # This process keeps every endpoint's objects: without a collection first, a full one fell
        # inside one request (the applicant's API list read 196 ms warm, 50 ms with caches empty);
        # the server's workers freeze what they load at start (deploy/gunicorn.conf.py)
        gc.collect()
        t = time.perf_counter()
        c.get(path)
        cold_ms = 1000 * (time.perf_counter() - t)
        with connection.cursor() as cur:
            before = _rows_read(cur)
        gc.collect()
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as q:
            r = c.get(path)
        ms = 1000 * (time.perf_counter() - t)
        with connection.cursor() as cur:
            rows = _rows_read(cur) - before
        print(f"{name:<38} {r.status_code:>6} {len(q):>8} {rows:>10,} {ms:>10.0f} {cold_ms:>18.0f}")


def _production_env():
    """The production settings (DEBUG off) with a bench-only key. The server and this process share
    them (same SECRET_KEY, so the sessions made here are valid)."""
    os.environ.update(
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        LOG_LEVEL="WARNING",
    )


def _warm_client(path: str, who: str):
    """A test client logged in as the scale data's officer or applicant, after one request to ``path``
    (caches filled, code paths imported)."""
    from django.test import Client

    from sciencebridge.accounts.models import User

    c = Client(HTTP_HOST="127.0.0.1")
    if who != PUBLIC:
        c.force_login(User.objects.get(username=BENCH_USERS[who]))
    c.get(path)
    return c


def profile(args):
    """Where a request's Python time goes: ``args.n`` warm requests to ``args.path`` under cProfile
    (production settings), the functions with most own time and most cumulative time."""
    import cProfile
    import pstats

    _production_env()
    os.environ.setdefault("MATCHING_WARM_AT_START", "false")  # post_worker_init would load them
    setup_django()
    from django.core.management import call_command

    from sciencebridge.core.testing.gunicorn import load_gunicorn_conf

    # DEBUG off: pages need the static files' manifest
    call_command("collectstatic", interactive=False, verbosity=0)
    c = _warm_client(args.path, args.who)
    # The collector as a worker's (deploy/gunicorn.conf.py): otherwise the profile charges whole
    # collections to whichever line allocated last (5-9 % of a page on ``MoneyField.to_python``).
    worker = load_gunicorn_conf()
    worker.post_worker_init(None)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for _ in range(args.n):
        c.get(args.path)
        worker.post_request(None, None, {}, None)
    prof.disable()
    ms = 1000 * (time.perf_counter() - t) / args.n
    print(f"{args.path}: {ms:.0f} ms per request under the profiler ({args.n} requests)")
    stats = pstats.Stats(prof).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    for name in args.callers or ():
        stats.print_callers(name)


def explain(args):
    """One request to ``args.path`` as ``args.who``; then EXPLAIN (ANALYZE, BUFFERS) of each of its
    queries, slowest first: where a page's database time goes."""
    _production_env()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _warm_client(args.path, args.who)
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        r = c.get(args.path)
    total = 1000 * (time.perf_counter() - t)
    plans = []
    with connection.cursor() as cur:
        for query in q.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cur.fetchone()[0][0]
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            text = "\n".join(row[0] for row in cur.fetchall())
            plans.append((plan["Execution Time"], sql, text, plan["Planning Time"]))
    sql_ms = sum(p[0] for p in plans)
    plan_ms = sum(p[3] for p in plans)
    print(
        f"{args.path}: {r.status_code}, {len(q)} queries, {total:.0f} ms, SQL {sql_ms:.0f} ms "
        f"executing + {plan_ms:.0f} ms planning"
    )
    for ms, sql, text, _planning in sorted(plans, key=lambda p: -p[0])[: args.top]:
        print(f"\n--- {ms:.1f} ms: {sql[:600]}")
        print(text)


WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f\\n", summary.requests, summary.errors.status
    + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests / (summary.duration / 1e6)))
end
"""


def credentials():
    """A session cookie per role, created in the database as a login would (GET requests need no CSRF)."""
    setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from sciencebridge.accounts.models import User

    out = {}
    for role, username in BENCH_USERS.items():
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        # a backend of this project's settings (with any other, the session is anonymous: a 302)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        out[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    out[PUBLIC] = ""
    return out


def _status(url: str, cookie: str) -> int:
    """The status of one GET with this session, redirects not followed."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _children_cpu(parent: int) -> int:
    """CPU ticks used so far by the direct children of ``parent`` (the gunicorn workers); Linux /proc."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        if int(fields[1]) == parent:
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _commit(root) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%h %ad", "--date=iso"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "unknown commit"


def drain(master: int, quiet_s: float = 1.0, limit_s: float = 90.0) -> None:
    """Wait until the workers have finished the requests wrk left in flight (no worker CPU for
    ``quiet_s``), so that a slow endpoint's backlog is not charged to the next endpoint."""
    end = time.monotonic() + limit_s
    last = _children_cpu(master)
    while time.monotonic() < end:
        time.sleep(quiet_s)
        now = _children_cpu(master)
        if now == last:
            return
        last = now


def measure(args):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `sudo apt-get install wrk` (scripts/setup installs it)")
    _production_env()
    # Without this, each gunicorn worker loads the expert-matching models in the background at start
    # (issue 14's warm-up): three workers doing so ate the cores during the first endpoints' runs
    # (officer list p50 1,442 ms with it, 674 ms without, 2026-12-03). No endpoint measured needs them.
    os.environ.setdefault("MATCHING_WARM_AT_START", "false")
    os.environ.update(BIND=f"127.0.0.1:{args.port}", WEB_WORKERS=str(args.workers))
    # the worker class and threads of deploy/gunicorn.conf.py unless given (an A/B of the setting)
    if args.worker_class:
        os.environ["WEB_WORKER_CLASS"] = args.worker_class
    if args.threads:
        os.environ["WEB_THREADS"] = str(args.threads)
    env = dict(os.environ)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=args.server_root or ROOT,
        env=env,
        check=True,
    )
    if args.server_root:  # an earlier checkout's code serves (the "before" of a before/after table)
        print(f"server code: {args.server_root} ({_commit(args.server_root)})")
    else:
        print(f"server code: this checkout ({_commit(ROOT)})")
        count_queries(args)
    if args.no_load:
        return
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "sciencebridge.wsgi",
        ],
        cwd=args.server_root or ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        import urllib.request

        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        cookies = credentials()
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(WRK_LUA)
        print(
            f"\nwrk: {args.connections} connections, {args.seconds} s per endpoint, gunicorn "
            f"{args.workers} {args.worker_class or 'default-class'} workers × "
            f"{args.threads or 'default'} threads (DEBUG off, deploy/gunicorn.conf.py)"
        )
        print(
            f"{'endpoint':<38} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'× health':>9} {'req/s':>7}"
        )
        health_p95 = None
        for name, path, role in _only(args.only):
            status = _status(base + path, cookies[role])
            if status != 200:  # a redirect to the log-in page would be timed as a fast page
                print(f"{name:<38} HTTP {status} with the {role}'s session: not measured")
                continue
            cmd = [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "30s",
                "-s",
                f.name,
                *(["-H", f"Cookie: {cookies[role]}"] if cookies[role] else []),
                *(["-H", "Connection: close"] if args.close else []),
                base + path,
            ]
            if args.warm:  # every worker makes the page once (its stamped caches filled), untimed
                warm = [*cmd[:3], f"-d{args.warm}s", *cmd[4:]]
                subprocess.run(warm, capture_output=True, text=True)
                drain(server.pid)
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
            line = next((x for x in out.splitlines() if x.startswith("RESULT")), None)
            if not line:
                print(f"{name:<38} wrk failed: {out[-200:]}")
                continue
            n, err, p50, p95, rps = line.split()[1:]
            if name == HEALTH:
                health_p95 = float(p95)
            multiple = f"{float(p95) / health_p95:>9.1f}" if health_p95 else f"{'-':>9}"
            print(
                f"{name:<38} {int(n):>9} {int(err):>7} {float(p50):>8.0f} {float(p95):>8.0f} "
                f"{multiple} {float(rps):>7.1f}",
                flush=True,
            )
            drain(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # workers still busy with queued slow requests
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def jobs(args):
    setup_django()
    from django.db import connection

    from sciencebridge.accounts.models import User
    from sciencebridge.funding import exports, selectors
    from sciencebridge.funding.models import Call

    officer = User.objects.get(username="scale-itc-officer")
    call = Call.objects.get(code="scale-00")
    with timed(
        f"CSV export of a call ({selectors.officer_halves(officer, call).count():,} halves)"
    ):
        resp = exports.halves_response(
            selectors.officer_halves(officer, call), "csv", filename="bench"
        )
        size = sum(len(chunk) for chunk in resp) if resp.streaming else len(resp.content)
    print(f"    {size / 1e6:.1f} MB")
    from importlib.util import find_spec

    if find_spec("sciencebridge.review.scale"):
        from sciencebridge.review import scale as review_scale

        review_scale.bench_jobs(timed)
    print(f"database: {connection.settings_dict['NAME']}")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--proposals", type=int, default=100_000)
    g.add_argument("--experts", type=int, default=50_000)
    g.add_argument("--reviews", type=int, default=300_000)
    g.add_argument("--papers", type=int, default=3, help="publications per expert")
    g.add_argument("--applicants", type=int, default=4000)
    g.add_argument("--calls", type=int, default=20)
    g.add_argument("--projects", type=int, default=10_000)
    g.add_argument("--offers", type=int, default=20_000)
    g.add_argument("--seed", type=int, default=7)
    m = sub.add_parser("measure")
    m.add_argument("--port", type=int, default=8900)
    m.add_argument("--workers", type=int, default=3)
    m.add_argument("--threads", type=int, help="WEB_THREADS (default: deploy/gunicorn.conf.py's)")
    m.add_argument("--worker-class", help="WEB_WORKER_CLASS (default: deploy/gunicorn.conf.py's)")
    m.add_argument(
        "--close", action="store_true", help="a new connection per request (as nginx opens them)"
    )
    m.add_argument("--connections", type=int, default=8)
    m.add_argument("--seconds", type=int, default=15)
    m.add_argument(
        "--only", help="comma-separated parts of endpoint names to measure (and /health/)"
    )
    m.add_argument("--no-load", action="store_true", help="only the one-request figures, no wrk")
    m.add_argument(
        "--warm",
        type=int,
        default=0,
        help="seconds of untimed load per endpoint before its timed run (each worker's caches filled)",
    )
    m.add_argument(
        "--server-root",
        help="serve from this checkout instead (e.g. a git worktree of the code before a change); "
        "it must read the same database schema for these GET requests",
    )
    sub.add_parser("jobs")
    e = sub.add_parser("explain", help="EXPLAIN ANALYZE the queries of one request")
    e.add_argument("path")
    e.add_argument("--who", choices=("officer", "applicant", "public"), default="officer")
    e.add_argument("--top", type=int, default=3)
    pr = sub.add_parser("profile", help="cProfile of warm requests to one path")
    pr.add_argument("path")
    pr.add_argument("--who", choices=("officer", "applicant", "public"), default="officer")
    pr.add_argument("-n", type=int, default=10)
    pr.add_argument("--top", type=int, default=30)
    pr.add_argument("--callers", action="append", help="also print who calls this (regex)")
    r = sub.add_parser("reviews", help="add the reviews to an already generated database")
    r.add_argument("--reviews", type=int, default=300_000)
    r.add_argument("--seed", type=int, default=7)
    po = sub.add_parser(
        "projects-offers", help="add the projects and offers to an already generated database"
    )
    po.add_argument("--projects", type=int, default=10_000)
    po.add_argument("--offers", type=int, default=20_000)
    po.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    {
        "generate": generate,
        "measure": measure,
        "jobs": jobs,
        "reviews": reviews,
        "projects-offers": projects_offers,
        "explain": explain,
        "profile": profile,
    }[args.cmd](args)


if __name__ == "__main__":
    main()
