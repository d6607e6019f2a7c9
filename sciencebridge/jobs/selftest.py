"""A trivial job for operators to check that the queue and workers run end to end (and for the tests)."""

import time


def count_to(job, n: int = 5, pause: float = 0.0):
    job.report(0, n, "counting")
    for i in range(1, n + 1):
        if pause:
            time.sleep(pause)
        job.report(i, n, f"counted to {i}")
    return {"counted": n}


def fail(job):
    raise RuntimeError("deliberate failure for the self-test")
