"""python -m matching.evaluation prints by default and saves its results file only when asked."""

from __future__ import annotations

import json

from matching.evaluation import __main__ as cli

TOPICS = ["graphene terahertz modulators", "coastal wetland carbon", "protein folding dynamics"]


def _gold(folder):
    (folder / "archives").mkdir(parents=True)
    subs, rows = (
        {},
        [
            "ParticipantID\t"
            + "\t".join([f"Paper{i}" for i in range(1, 4)] + [f"Expertise{i}" for i in range(1, 4)])
        ],
    )
    for t, topic in enumerate(TOPICS):
        subs[f"s{t}"] = {
            "id": f"s{t}",
            "content": {"title": topic, "abstract": f"A study of {topic}."},
        }
    for p in range(6):
        own = TOPICS[p % 3]
        with open(folder / "archives" / f"~P{p}.jsonl", "w") as fh:
            fh.write(json.dumps({"id": f"a{p}", "content": {"title": own, "abstract": own}}) + "\n")
        ratings = [5 if TOPICS[t] == own else 1 + t for t in range(3)]
        rows.append(f"P{p}\ts0\ts1\ts2\t" + "\t".join(map(str, ratings)))
    (folder / "submissions.json").write_text(json.dumps(subs))
    (folder / "evaluations.tsv").write_text("\n".join(rows) + "\n")


def test_results_file_is_written_only_on_request(tmp_path, monkeypatch, capsys):
    gold = tmp_path / "gold"
    _gold(gold)
    results = tmp_path / "RESULTS.md"
    results.write_text("committed results\n")
    monkeypatch.setattr(cli, "RESULTS_FILE", results)
    args = [str(gold), "--quick", "--cache", str(tmp_path / "c.sqlite")]
    assert cli.main(args) == 0
    assert results.read_text() == "committed results\n"  # untouched without --write
    assert "not saved" in capsys.readouterr().err
    assert cli.main([*args, "--write"]) == 0
    written = results.read_text()
    assert written.startswith("# Expertise-affinity evaluation") and "| tfidf |" in written
    other = tmp_path / "other.md"
    assert cli.main([*args, "--out", str(other)]) == 0

    def body(text):  # everything but the run-time line
        return [line for line in text.splitlines() if not line.startswith("_Run time")]

    assert body(other.read_text()) == body(written)  # reproducible: same report twice
