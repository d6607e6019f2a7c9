"""Real-worker fixtures: PostgreSQL (a worker process must see the test database) and Redis as the broker.
Skipped with the reason when either is missing; never faked."""

import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.db import connection

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/15"  # nothing listens on port 1: "the broker is down"


def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


class Workers:
    def __init__(self, broker: str, queue: str, env: dict):
        self.broker, self.queue, self.env, self.procs = broker, queue, env, []

    def start(self, **extra_env) -> subprocess.Popen:
        celery = shutil.which("celery", path=os.path.dirname(sys.executable))
        proc = subprocess.Popen(
            [
                celery,
                "-A",
                "sciencebridge",
                "worker",
                "-P",
                "solo",
                "-Q",
                self.queue,
                "-l",
                "WARNING",
                "-n",
                f"{self.queue}-{len(self.procs)}@%h",
            ],
            env={**self.env, **extra_env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def output(self, proc) -> str:
        return (
            proc.stdout.read1().decode(errors="replace")
            if proc.poll() is not None
            else "(still running)"
        )

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def celery_workers(settings):
    """Point this process at Redis with a private queue and short fault timeouts; ``start()`` a worker."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: a separate worker process cannot see the SQLite in-memory test database"
        )
    broker = redis_url()
    if broker is None:
        pytest.skip("no Redis broker answers on localhost (set TEST_REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    timeouts = {
        "JOBS_LEASE_SECONDS": 2,
        "JOBS_RETRY_BACKOFF": 1,
        "JOBS_RETRY_BACKOFF_MAX": 2,
        "JOBS_PICKUP_TIMEOUT": 30,
        "JOBS_MAX_ATTEMPTS": 3,
    }
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "sciencebridge.settings",
        "JOBS_BACKEND": "celery",
        "MATCHING_WARM_AT_START": "0",  # these workers run test jobs, not expert searches
        "CELERY_VISIBILITY_TIMEOUT": "5",
        **{k: str(v) for k, v in timeouts.items()},
    }
    for key, value in timeouts.items():
        setattr(settings, key, value)
    settings.JOBS_BACKEND = "celery"
    settings.JOBS_HEARTBEAT_THREAD = True
    settings.CELERY_BROKER_URL = broker
    from sciencebridge.celery import app

    saved = app.conf.broker_url, app.conf.task_default_queue
    use_broker(broker)
    app.conf.task_default_queue = queue
    workers = Workers(broker, queue, env)
    yield workers
    workers.stop_all()
    use_broker(saved[0])
    app.conf.task_default_queue = saved[1]


def use_broker(url: str) -> None:
    """Publish to ``url`` from now on (Celery caches its connection pools per URL)."""
    from sciencebridge.celery import app

    app.conf.broker_url = url
    if "CELERY_BROKER_URL" in os.environ:  # Celery prefers this variable to its configuration
        os.environ["CELERY_BROKER_URL"] = url
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate, timeout: float, every: float = 0.25, tick=None):
    """Poll until predicate() is truthy (calling tick() each round, e.g. the reaper); return the time taken."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if tick is not None:
            tick()
        if predicate():
            return time.monotonic() - started
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server that keeps what it receives: the mail server "coming back" in a test."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        self.messages: list[dict] = []
        super().__init__(("127.0.0.1", port), _SmtpHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self):
        self.shutdown()
        self.server_close()


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        envelope = {"to": [], "data": ""}
        while line := self.rfile.readline():
            cmd = line.decode(errors="replace").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                envelope = {"to": [], "data": ""}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(cmd.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data.decode(errors="replace"))
                envelope["data"] = "".join(lines)
                self.server.messages.append(envelope)
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")
