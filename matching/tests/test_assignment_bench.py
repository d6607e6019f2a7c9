"""The benchmark script runs end to end on a tiny instance (keeps bench/assignment.py honest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "assignment.py"


def test_bench_runs_on_a_tiny_instance(capsys):
    spec = importlib.util.spec_from_file_location("bench_assignment", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    argv = ["--proposals", "150", "--experts", "300", "--k-min", "8", "--k-max", "15"]
    assert mod.main([*argv, "--lp-check"]) == 0
    out = capsys.readouterr().out
    assert "certified optimal (integer): True" in out
    assert "| optimal |" in out and "| greedy |" in out and "| fair |" in out
    # no constraint violations reported by check_assignment for any mode
    table = [line for line in out.splitlines() if line.startswith("| ") and "|---" not in line]
    assert all(line.rstrip(" |").endswith(" 0") for line in table[1:])
