"""10 parallel clients paying tranches and recording funding decisions on the SQLite default.

    .venv/bin/python bench/sqlite_parallel.py [--clients 10] [--proposals 30] [--workers 2 --threads 8]
                                              [--data DIR] [--transaction-mode DEFERRED]

Builds a temporary SQLite database with the demo data (``seed_demo``), releases every scheduled tranche,
starts the real server (gunicorn, ``--workers`` processes × ``--threads`` threads, DEBUG off, the
embedded default's settings) and drives it over HTTP with ``--clients`` threads, each logged in as a
programme officer. All clients work the same list at the same time, so they collide on purpose:

- payments: open the tranche's payment form and submit the remaining amount; every other client
  re-submits a form it has already sent (a double click / retry with the same idempotency key);
- decisions: open a half's decision form and submit "fund" with the suggested amount.

Printed: requests and status codes per kind, errors (5xx, connection failures, "database is locked"
anywhere in a response), double payments (a tranche or side paid more than its amount, or one
idempotency key used twice), latency p50/p95. ``--transaction-mode DEFERRED`` shows the previous
behaviour (SQLite's default BEGIN) for comparison. ``--data DIR`` keeps/reuses the seeded database.
"""

import argparse
import concurrent.futures as cf
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo12345"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(data: Path, mode: str) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    key_file = data / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env.update(
        DJANGO_SETTINGS_MODULE="sciencebridge.settings",
        DEBUG="false",
        SECRET_KEY=key_file.read_text(),
        DATABASE_URL=f"sqlite:///{data / 'bench.sqlite3'}",
        SCIENCEBRIDGE_VAR_DIR=str(data / "var"),
        MEDIA_ROOT=str(data / "media"),
        STATIC_ROOT=str(data / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="false",  # plain HTTP on localhost
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SQLITE_TRANSACTION_MODE=mode,
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(data: Path, env: dict, proposals: int) -> None:
    db = data / "bench.sqlite3"
    seeded = data / "seeded.sqlite3"
    if not seeded.exists():
        print(f"Seeding demo data ({proposals} proposals per call) into {seeded} ...", flush=True)
        t = time.perf_counter()
        manage(env, "migrate", "-v0")
        manage(env, "seed_demo", "--proposals", str(proposals))
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; "
            "connection.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')",
        )  # all in the main file
        shutil.copy(db, seeded)
        print(f"  seeded in {time.perf_counter() - t:.0f} s", flush=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(seeded, db)
    if not (
        data / "static" / "staticfiles.json"
    ).exists():  # DEBUG off: WhiteNoise serves the manifest
        manage(env, "collectstatic", "--noinput", "-v0")


WORK = r"""
import json
from django.db.models import Count
from sciencebridge.accounts.models import User
from sciencebridge.projects.models import Tranche, TrancheState
from sciencebridge.funding.models import ProposalHalf
from django.utils import timezone
from djmoney.money import Money
from sciencebridge.funding.models import JointProposal
from sciencebridge.projects.services import projects as psvc
# Projects for the jointly funded proposals (the small demo leaves the Mainland awards in HKD: corrected here).
for p in JointProposal.objects.filter(project__isnull=True).prefetch_related("halves"):
    if p.is_jointly_funded:
        for h in p.halves.all():
            if h.awarded_amount.currency.code != h.currency:
                h.awarded_amount = Money(h.awarded_amount.amount, h.currency)
                h.save(update_fields=["awarded_amount", "awarded_amount_currency"])
        psvc.create_project_from_award(p, actor=None, start=timezone.localdate())
Tranche.objects.filter(state=TrancheState.SCHEDULED).update(state=TrancheState.RELEASED)  # all payable now
officers = {}
for u in User.objects.filter(groups__name="programme_officer", agency__isnull=False).order_by("username"):
    officers.setdefault(u.agency_id, []).append(u.username)
pays = [{"url": f"/projects/{t.project_side.project.reference}/tranches/{t.pk}/pay/",
         "agency": t.project_side.agency_id}
        for t in Tranche.objects.filter(state=TrancheState.RELEASED).select_related("project_side__project")]
# Up to 20 more pairs ready for a decision: both halves submitted or endorsed -> eligible (set directly).
ready = (ProposalHalf.objects.filter(state__in=["submitted", "endorsed"]).values("proposal_id")
         .annotate(n=Count("id")).filter(n=2).values_list("proposal_id", flat=True))
ProposalHalf.objects.filter(proposal_id__in=list(ready)[:20]).update(state="eligible")
eligible = ProposalHalf.objects.filter(state="eligible", side_decision__isnull=True)
both = set(eligible.values("proposal_id").annotate(n=Count("id")).filter(n=2).values_list("proposal_id", flat=True))
decide = [{"url": f"/decisions/proposals/{h.proposal.reference}/{h.side.lower()}/decide/", "agency": h.agency_id}
          for h in eligible.filter(proposal_id__in=both).select_related("proposal").order_by("proposal_id", "side")]
print(json.dumps({"officers": officers, "pay": pays, "decide": decide}))
"""

DOUBLE_PAYMENTS = r"""
import json
from django.db.models import Count, Sum
from sciencebridge.projects.models import Payment, Tranche, ProjectSide
over_tranche = [t.pk for t in Tranche.objects.annotate(p=Sum("payments__amount")).filter(p__isnull=False)
                if t.p > t.amount.amount]
over_side = [s.pk for s in ProjectSide.objects.annotate(p=Sum("payments__amount")).filter(p__isnull=False)
             if s.p > s.approved_budget.amount]
dup_keys = list(Payment.objects.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1)
                .values_list("idempotency_key", flat=True))
print(json.dumps({"payments": Payment.objects.count(), "over_tranche": over_tranche, "over_side": over_side,
                  "duplicate_keys": dup_keys}))
"""


def django_json(env, code):
    import json

    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_server(env, port, workers, threads):
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "sciencebridge.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/health/", timeout=10)
            return proc
        except requests.RequestException:
            if proc.poll() is not None:
                raise SystemExit("server did not start:\n" + proc.stderr.read()) from None
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("server did not answer in 180 s")


class Client:
    def __init__(self, base, username):
        self.base, self.username = base, username
        self.s = requests.Session()
        r = self.s.get(base + "/accounts/login/", timeout=60)
        r = self.s.post(
            base + "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf(r.text),
            },
            headers={"Referer": base + "/accounts/login/"},
            timeout=60,
            allow_redirects=False,
        )
        if r.status_code != 302:
            raise RuntimeError(f"login of {username} failed: {r.status_code} {r.text[:300]}")

    @staticmethod
    def csrf(html):
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return m.group(1) if m else ""

    def get(self, url):
        return self.s.get(self.base + url, timeout=120)

    def post(self, url, data):
        return self.s.post(
            self.base + url,
            data=data,
            headers={"Referer": self.base + url},
            timeout=120,
            allow_redirects=False,
        )


def field(html, name):
    m = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html
    )
    return m.group(1) if m else ""


def run(args):
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="sb-sqlite-parallel-"))
    data.mkdir(parents=True, exist_ok=True)
    env = environment(data, args.transaction_mode)
    prepare(data, env, args.proposals)
    work = django_json(env, WORK)
    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}"
    try:
        return drive(args, env, work, server, base, data)
    finally:
        stop(server)


def stop(server) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a request still stuck on a lock: do not wait for it
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def drive(args, env, work, server, base, data):
    results, lock, refusals = [], threading.Lock(), Counter()

    def record(kind, status, seconds, body=""):
        with lock:
            results.append((kind, status, seconds, "database is locked" in body))

    def call(kind, fn):
        t = time.perf_counter()
        try:
            r = fn()
        except requests.RequestException as exc:
            record(kind, f"exception {type(exc).__name__}", time.perf_counter() - t)
            return None
        record(kind, r.status_code, time.perf_counter() - t, r.text if r.status_code >= 500 else "")
        return r

    def client_job(i):
        agencies = sorted(work["officers"])
        agency = agencies[i % len(agencies)]
        names = work["officers"][agency]
        c = Client(base, names[i // len(agencies) % len(names)])
        for task in work["pay"]:
            if str(task["agency"]) != str(agency):
                continue
            page = call("pay form", lambda t=task: c.get(t["url"]))
            if page is None or page.status_code != 200:
                continue
            form = {
                "csrfmiddlewaretoken": c.csrf(page.text),
                "idempotency_key": field(page.text, "idempotency_key"),
                "amount_0": field(page.text, "amount_0"),
                "amount_1": field(page.text, "amount_1") or "HKD",
                "paid_on": time.strftime("%Y-%m-%d"),
                "bank_reference": f"BENCH-{i}",
            }
            call("pay submit", lambda t=task, f=form: c.post(t["url"], f))
            if (
                i // len(agencies)
            ) % 2:  # every other client of an agency: the same form again (retry)
                call("pay resubmit", lambda t=task, f=form: c.post(t["url"], f))
        for task in work["decide"]:
            if str(task["agency"]) != str(agency):
                continue
            page = call("decide form", lambda t=task: c.get(t["url"]))
            if page is None or page.status_code != 200:
                continue
            form = {
                "csrfmiddlewaretoken": c.csrf(page.text),
                "decision": "fund",
                "amount": field(page.text, "amount"),
                "reason": f"bench client {i}",
                "conditions": "",
            }
            r = call("decide submit", lambda t=task, f=form: c.post(t["url"], f))
            if r is not None and r.status_code == 200:  # refused with a message: count why
                m = re.search(
                    r'<(?:div class="errorbox"[^>]*>\s*<p|p class="fielderror"[^>]*)>(.*?)</p>',
                    r.text,
                    re.S,
                )
                with lock:
                    refusals[re.sub(r"\s+", " ", m.group(1))[:90] if m else "(no message)"] += 1

    print(
        f"{len(work['pay'])} released tranches, {len(work['decide'])} halves to decide; "
        f"{args.clients} clients against gunicorn {args.workers}×{args.threads} on SQLite "
        f"(BEGIN {args.transaction_mode})",
        flush=True,
    )
    t0 = time.perf_counter()
    try:
        with cf.ThreadPoolExecutor(args.clients) as pool:
            for f in [pool.submit(client_job, i) for i in range(args.clients)]:
                f.result()
    finally:
        wall = time.perf_counter() - t0
        stop(server)  # before reading the database
    checks = django_json(env, DOUBLE_PAYMENTS)
    by_kind = {}
    for kind, status, _s, _l in results:
        by_kind.setdefault(kind, Counter())[status] += 1
    errors = [r for r in results if not isinstance(r[1], int) or r[1] >= 500 or r[3]]
    times = sorted(r[2] for r in results)
    print(f"\n{len(results)} requests in {wall:.1f} s")
    for kind, counts in by_kind.items():
        print(f"  {kind:14s} " + ", ".join(f"{s}: {n}" for s, n in sorted(counts.items(), key=str)))
    for message, n in refusals.most_common(4):
        print(f"  decision refused ({n}×): {message}")
    if times:
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"  latency p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {times[-1] * 1000:.0f} ms"
        )
    double = len(checks["over_tranche"]) + len(checks["over_side"]) + len(checks["duplicate_keys"])
    print(f"payments recorded: {checks['payments']}")
    print(f"ERRORS: {len(errors)}" + (f"  e.g. {errors[:3]}" if errors else ""))
    print(
        f"DOUBLE PAYMENTS: {double}  (over tranche {checks['over_tranche']}, over side {checks['over_side']}, "
        f"duplicate keys {checks['duplicate_keys']})"
    )
    if not args.data:
        shutil.rmtree(data, ignore_errors=True)
    return 1 if errors or double else 0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=10)
    p.add_argument("--proposals", type=int, default=30)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--data", help="keep the seeded database here (reused on the next run)")
    p.add_argument("--transaction-mode", default="IMMEDIATE", choices=["IMMEDIATE", "DEFERRED"])
    sys.exit(run(p.parse_args()))
