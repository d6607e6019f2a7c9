"""First expert search after a start, with and without the warm-up (issue 14, "first use is slow").

Starts ``manage.py runserver --noreload`` on the demo database (as ``scripts/demo`` does), logs in as
a programme officer and times expert text searches on ``/experts/find/``:

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/first_use.py [--port 8765]

For each mode (``MATCHING_WARM_AT_START=0`` then ``=1``) it prints: seconds until the server answers
``/health/``; seconds until the background warm-up logged its end (warm mode); the first search
right after the server is up (warm mode: while the warm-up may still run); in warm mode, a search
made after the warm-up ended; and a second search (steady state).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Solid-state lithium battery electrolytes with high ionic conductivity for safe energy storage "
    "in electric vehicles; interface engineering between cathode and electrolyte."
)


def _server(port: int, warm: bool):
    env = {
        **os.environ,
        "DEBUG": "true",
        "MATCHING_WARM_AT_START": "1" if warm else "0",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[tuple[float, str]] = []

    def read():
        for line in proc.stdout:
            lines.append((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()
    return proc, lines


def _login(base: str, username: str, password: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/accounts/login/")
    r = s.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
    )
    assert "sessionid" in s.cookies, r.status_code
    return s


def _search(s: requests.Session, base: str) -> float:
    s.get(f"{base}/experts/find/")
    started = time.perf_counter()
    r = s.post(
        f"{base}/experts/find/",
        data={"text": TEXT, "csrfmiddlewaretoken": s.cookies["csrftoken"], "limit": "20"},
        headers={"Referer": f"{base}/experts/find/"},
    )
    took = time.perf_counter() - started
    assert r.status_code == 200, r.status_code
    assert re.search(r"/experts/\d+/", r.text), "no expert in the results"
    return took


def _wait_up(base, proc, lines, started):
    while True:
        try:
            if requests.get(f"{base}/health/", timeout=2).status_code == 200:
                return time.perf_counter()
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.perf_counter() - started > 120:
            raise SystemExit("server did not start:\n" + "".join(ln for _, ln in lines))
        time.sleep(0.2)


def run(port: int, warm: bool, user: str, password: str) -> dict:
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc, lines = _server(port, warm)
    try:
        up = _wait_up(base, proc, lines, started)
        out = {"mode": "warm" if warm else "cold", "server_up_s": round(up - started, 2)}
        s = _login(base, user, password)
        out["first_search_s"] = round(_search(s, base), 2)
        if warm:
            while not any(
                "matching models warm" in ln or "warm-up failed" in ln for _, ln in lines
            ):
                if time.perf_counter() - up > 300:
                    raise SystemExit("the warm-up did not end")
                time.sleep(0.2)
            t, line = next((t, ln) for t, ln in lines if "matching models warm" in ln)
            out["warm_done_after_up_s"] = round(t - up, 2)
            out["warm_log"] = line.strip().split(" ", 3)[-1]
            # a fresh start, this time searching only once the warm-up has ended
            proc.terminate()
            proc.wait(30)
            proc, lines = _server(port, warm)
            started = time.perf_counter()
            _wait_up(base, proc, lines, started)
            while not any("matching models warm" in ln for _, ln in lines):
                if proc.poll() is not None or time.perf_counter() - started > 300:
                    raise SystemExit("server/warm-up failed:\n" + "".join(ln for _, ln in lines))
                time.sleep(0.2)
            s = _login(base, user, password)
            out["first_search_after_warm_s"] = round(_search(s, base), 2)
        out["second_search_s"] = round(_search(s, base), 2)
        return out
    finally:
        proc.terminate()
        proc.wait(30)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--user", default="itc.officer")
    p.add_argument("--password", default="demo12345")
    p.add_argument("--modes", default="cold,warm")
    a = p.parse_args()
    for mode in a.modes.split(","):
        print(json.dumps(run(a.port, mode == "warm", a.user, a.password)), flush=True)


if __name__ == "__main__":
    main()
