"""Loader for the expertise gold standard folder (evaluations.tsv, submissions.json, archives/)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from matching.affinity.types import ExpertProfile, Paper, Proposal


@dataclass(frozen=True)
class Participant:
    id: str
    paper_ids: tuple[str, ...]
    ratings: tuple[float, ...]


@dataclass(frozen=True)
class GoldStandard:
    participants: tuple[Participant, ...]
    submissions: dict[str, Proposal]
    experts: dict[str, ExpertProfile]


def _content(obj: dict) -> tuple[str, str]:
    c = obj.get("content", obj)
    return (c.get("title") or "").strip(), (c.get("abstract") or "").strip()


def load_gold(folder: str | Path) -> GoldStandard:
    folder = Path(folder)
    participants = []
    with open(folder / "evaluations.tsv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pids, ratings = [], []
            for n in range(1, 11):
                pid = (row.get(f"Paper{n}") or "").strip()
                r = (row.get(f"Expertise{n}") or "").strip()
                if pid and r:
                    pids.append(pid)
                    ratings.append(float(r))
            participants.append(
                Participant(row["ParticipantID"].strip(), tuple(pids), tuple(ratings))
            )
    with open(folder / "submissions.json", encoding="utf-8") as fh:
        subs_raw = json.load(fh)
    submissions = {}
    for key, obj in subs_raw.items():
        title, abstract = _content(obj)
        submissions[key] = Proposal(id=key, title=title, abstract=abstract)
    experts = {}
    for p in participants:
        papers = []
        path = folder / "archives" / f"~{p.id}.jsonl"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if line.strip():
                        obj = json.loads(line)
                        title, abstract = _content(obj)
                        papers.append(
                            Paper(id=str(obj.get("id", i)), title=title, abstract=abstract)
                        )
        experts[p.id] = ExpertProfile(id=p.id, papers=tuple(papers))
    return GoldStandard(tuple(participants), submissions, experts)
