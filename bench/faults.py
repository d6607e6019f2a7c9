"""Re-measure the fault table of issue 18 with production timeouts (bench/RESULTS-faults.md).

Needs PostgreSQL (DATABASE_URL, migrated) and Redis (CELERY_BROKER_URL). Starts real Celery workers and
Celery beat (which runs the reaper every JOBS_REAPER_INTERVAL s), breaks things, and times the recovery:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_x CELERY_BROKER_URL=redis://127.0.0.1:6379/14 \\
        python bench/faults.py
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUEUE = f"bench-{uuid.uuid4().hex[:6]}"
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "sciencebridge.settings",
        "JOBS_BACKEND": "celery",
        "CELERY_QUEUE": QUEUE,
    }
)

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402

from sciencebridge.celery import app  # noqa: E402
from sciencebridge.jobs import runner  # noqa: E402
from sciencebridge.jobs.models import Job, JobState  # noqa: E402

CELERY = str(Path(sys.executable).with_name("celery"))
procs = []


def start(*args):
    proc = subprocess.Popen(
        [CELERY, "-A", "sciencebridge", *args],
        env=os.environ.copy(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(proc)
    return proc


def worker(pool="solo"):
    return start(
        "worker",
        "-P",
        pool,
        "-c",
        "1",
        "-Q",
        QUEUE,
        "-l",
        "WARNING",
        "-n",
        f"{uuid.uuid4().hex[:6]}@%h",
    )


def wait(job, pred, timeout=600):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        job.refresh_from_db()
        if pred(job):
            return time.monotonic() - t0
        time.sleep(0.2)
    raise SystemExit(f"timeout: {job} {job.status}")


def use_broker(url):
    app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = url  # Celery prefers the variable
    app._pool = None
    app.amqp._producer_pool = None


def report(name, **kv):
    print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in kv.items()), flush=True)


def main():
    print(
        f"lease {settings.JOBS_LEASE_SECONDS} s, reaper every {settings.JOBS_REAPER_INTERVAL} s, backoff "
        f"{settings.JOBS_RETRY_BACKOFF} s x2^n (max {settings.JOBS_RETRY_BACKOFF_MAX}), attempts "
        f"{settings.JOBS_MAX_ATTEMPTS}, visibility timeout "
        f"{settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']} s",
        flush=True,
    )
    beat = start("beat", "-l", "WARNING", "-s", os.path.join(tempfile.mkdtemp(), "beat-schedule"))
    job_args = ("selftest", "sciencebridge.jobs.selftest.count_to")

    # 1. kill -9 the worker mid-job, start a new one at once
    w = worker()
    job = runner.enqueue(*job_args, params={"n": 10, "pause": 0.5})
    wait(job, lambda j: j.state == JobState.RUNNING and j.progress >= 2)
    os.kill(w.pid, signal.SIGKILL)
    t_kill = time.monotonic()
    worker()
    wait(job, lambda j: j.status == "stalled")
    stalled_after = time.monotonic() - t_kill
    wait(job, lambda j: j.state == JobState.DONE)
    report(
        "worker killed",
        stalled_shown_after_s=round(stalled_after, 1),
        done_after_s=round(time.monotonic() - t_kill, 1),
        attempts=job.attempts,
        result=job.result,
    )

    # 2. a pool child killed mid-job (prefork): Celery redelivers at once; the redelivery finds the job leased
    for p in procs[1:]:
        p.terminate()
        p.wait(30)  # gone before the next job is queued
    pw = worker("prefork")
    job = runner.enqueue(*job_args, params={"n": 10, "pause": 0.5})
    wait(job, lambda j: j.state == JobState.RUNNING and j.progress >= 2)
    children = subprocess.run(
        ["pgrep", "-P", str(pw.pid)], capture_output=True, text=True
    ).stdout.split()
    assert children, "the prefork worker has no pool child"
    os.kill(int(children[0]), signal.SIGKILL)
    t_kill = time.monotonic()
    wait(job, lambda j: j.state == JobState.DONE)
    report(
        "pool child killed", done_after_s=round(time.monotonic() - t_kill, 1), attempts=job.attempts
    )

    broker_down()
    beat.terminate()


def broker_only():
    start("beat", "-l", "WARNING", "-s", os.path.join(tempfile.mkdtemp(), "beat-schedule"))
    worker()
    broker_down()


def broker_down():
    """3. broker unreachable at enqueue, back 5 s later."""
    job_args = ("selftest", "sciencebridge.jobs.selftest.count_to")
    broker = app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")
    t0 = time.monotonic()
    job = runner.enqueue(*job_args, params={"n": 2})
    enqueue_s = time.monotonic() - t0
    job.refresh_from_db()
    shown = job.get_status_display()
    time.sleep(5)
    use_broker(broker)
    t_back = time.monotonic()
    wait(job, lambda j: j.state == JobState.DONE)
    report(
        "broker down at enqueue",
        enqueue_returned_in_s=round(enqueue_s, 2),
        shown=shown,
        done_after_broker_back_s=round(time.monotonic() - t_back, 1),
        dispatches=job.dispatch_attempts,
    )


def mail():
    """4. The mail server is down when a notification is created, and back 5 s later."""
    from sciencebridge.core.notify import notify
    from sciencebridge.jobs.tests.conftest import SmtpSink, free_port
    from sciencebridge.notifications.models import DeliveryState

    port = free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    start("beat", "-l", "WARNING", "-s", os.path.join(tempfile.mkdtemp(), "beat-schedule"))
    worker()
    t0 = time.monotonic()
    (n,) = notify(
        "someone@example.org",
        "Screening result for JFS-0001",
        "notifications/email/selftest.txt",
        {"n": 1},
    )
    notify_s = time.monotonic() - t0
    while not n.attempts:
        time.sleep(0.2)
        n.refresh_from_db()
    time.sleep(5)
    sink = SmtpSink(port)
    t_back = time.monotonic()
    while n.delivery != DeliveryState.SENT:
        time.sleep(0.5)
        n.refresh_from_db()
    report(
        "mail server down",
        notify_returned_in_s=round(notify_s, 3),
        sent_after_server_back_s=round(time.monotonic() - t_back, 1),
        attempts=n.attempts,
        received=len(sink.messages),
    )
    sink.close()
    n.delete()


if __name__ == "__main__":
    try:
        mail() if "--mail" in sys.argv else broker_only() if "--broker" in sys.argv else main()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            p.wait(20)
        Job.objects.filter(kind="selftest").delete()
