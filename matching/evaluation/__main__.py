"""python -m matching.evaluation [GOLD_FOLDER] [--write | --out FILE] [--cache FILE] [--quick]

Scores a grid of text models x text fields x aggregations on the expertise gold standard, reports
the README's loss with a bootstrap interval over participants and easy/hard accuracies, and
estimates by leave-participants-out cross-validation how well "choose the best configuration"
does on participants it was not chosen on.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from matching.affinity import scorer as engine
from matching.evaluation.crosslingual import crosslingual_report
from matching.evaluation.gold import load_gold
from matching.evaluation.metric import summarise
from matching.evaluation.run import (
    FAST_MODELS,
    FIELDS,
    MODELS,
    ORIGINAL_MODELS,
    PRIMARY_AGGS,
    config_costs,
    cross_validate,
    fmt_summary,
)

REPO = Path(__file__).resolve().parents[2]
# ../shared next to the repository (a git worktree may sit one level deeper)
DEFAULT_GOLD = next(
    (
        d / "shared" / "expertise-gold"
        for d in (REPO.parent, REPO.parent.parent)
        if (d / "shared" / "expertise-gold").is_dir()
    ),
    REPO.parent / "shared" / "expertise-gold",
)
DEFAULT_CACHE = REPO / "var" / "cache" / "embeddings.sqlite"
RESULTS_FILE = Path(__file__).with_name("RESULTS.md")


def shown_path(gold: str) -> str:
    """The gold folder as the README names it (``../shared/...``), whatever the checkout."""
    path = Path(gold)
    return f"../shared/{path.name}" if path.parent.name == "shared" else gold


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m matching.evaluation", description=__doc__.split("\n\n")[1]
    )
    ap.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="embedding cache (sqlite)")
    ap.add_argument(
        "--write",
        action="store_true",
        help=f"save the report to matching/evaluation/{RESULTS_FILE.name} (without it: print only)",
    )
    ap.add_argument("--out", default=None, help="save the report to this file instead")
    ap.add_argument("--quick", action="store_true", help="lexical models only, fewer CV repeats")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument(
        "--all-fields",
        action="store_true",
        help="also score abstract-only and 2*title+abstract texts (slow: more neural encodings)",
    )
    args = ap.parse_args(argv)

    buf = io.StringIO()

    def out(line=""):
        print(line)
        buf.write(line + "\n")

    t0 = time.time()
    gold = load_gold(args.gold)
    models = [m for m in MODELS if not args.quick or m in ("tfidf", "bm25")]
    n_pairs = sum(
        1
        for p in gold.participants
        for i in range(len(p.ratings))
        for j in range(i)
        if p.ratings[i] != p.ratings[j]
    )
    out("# Expertise-affinity evaluation on the gold standard (development half)")
    out()
    out(
        f"Data: `{shown_path(args.gold)}`: {len(gold.participants)} participants, {len(gold.submissions)} rated papers, "
        f"{n_pairs} pairs with different ratings. Loss = weighted pair-ordering loss (lower is better; "
        "ties cost half). Intervals: 95% percentile bootstrap over participants (2000 resamples)."
    )
    out()
    fields = list(FIELDS) if args.all_fields else ["title+abstract"]
    costs = config_costs(
        gold,
        models=models,
        fields=fields,
        cache=Path(args.cache),
        log=lambda s: print(s, file=sys.stderr),
    )

    # --- held-out: choose the configuration on training participants, score the others -------
    repeats = 5 if args.quick else args.repeats
    out(f"## Held-out (leave-participants-out CV: 5 folds x {repeats} repeats)")
    out()
    out(
        "Within each model the configuration (text fields, aggregation) is chosen on the training "
        "participants and scored on the held-out ones; 'any' also chooses the model. Held-out costs are "
        "averaged over repeats per participant, then pooled and bootstrapped over participants."
    )
    out()
    out("| model | held-out loss [95% CI] | easy acc | hard acc | most often chosen |")
    out("|---|---|---|---|---|")
    families = {m: {k: v for k, v in costs.items() if k.model == m} for m in models}
    # The primary selection space, fixed before looking at results: title+abstract (as in the
    # published baselines), aggregation max/top2/top3, every model. "any (full grid)" searches
    # all 120 configurations and shows what a wider search costs in over-fitting.
    primary = {
        k: v
        for k, v in costs.items()
        if k.fields == "title+abstract" and k.agg in PRIMARY_AGGS and k.model in ORIGINAL_MODELS
    }
    families["any"] = primary
    families["any (full grid)"] = {k: v for k, v in costs.items() if k.model in ORIGINAL_MODELS}
    fast = {
        k: v
        for k, v in costs.items()
        if k.fields == "title+abstract" and k.agg in PRIMARY_AGGS and k.model in FAST_MODELS
    }
    if any(k.model == "neural-fast" for k in fast):
        families["fast: any without a transformer"] = fast
    cv_any = None
    for fam, sub in families.items():
        cv = cross_validate(sub, repeats=repeats)
        if fam == "any":
            cv_any = cv
        top, cnt = next(iter(cv.chosen.items()))
        share = cnt / sum(cv.chosen.values())
        out(
            f"| {fam} | {fmt_summary(summarise(cv.heldout))} | {top.fields}, {top.agg} ({share:.0%}) |"
        )
    out()
    out(
        "'any' chooses among the models of the original grid (fixed before the fast models were "
        "added); 'fast' chooses among the models that never run a transformer at encode time "
        "(TF-IDF, BM25, static MiniLM embeddings `neural-fast` and their ensembles): the held-out "
        "loss of what a call that selects speed gets."
    )
    out()
    out(
        "Choices made by the 'any' selection across folds: "
        + "; ".join(f"{k} x{v}" for k, v in list(cv_any.chosen.items())[:6])
    )
    out()

    # --- the engine default: strong encoders averaged; the fallback: selection by averaging ----
    if not args.quick:
        from matching.affinity.models import mpnet_available
        from matching.evaluation.strong import strong_report

        if mpnet_available():
            out(strong_report(gold, Path(args.cache), log=lambda s: print(s, file=sys.stderr)))
        else:
            out(
                "## Strong encoders averaged\n\nSkipped: all-mpnet-base-v2 is not unpacked "
                "(scripts/setup).\n"
            )
        out(averaging_report(gold, Path(args.cache), repeats))
    # --- every configuration, all participants ----------------------------------------------
    out("## Every configuration on all participants (in-sample: useful to compare, not held-out)")
    out()
    out("| model | fields | aggregation | loss [95% CI] | easy acc | hard acc |")
    out("|---|---|---|---|---|---|")
    for key, c in sorted(costs.items(), key=lambda kv: summarise(kv[1], n_boot=1).loss):
        s = summarise(c)
        out(
            f"| {key.model} | {key.fields} | {key.agg} | {s.loss:.3f} [{s.ci_low:.3f}, {s.ci_high:.3f}] | "
            f"{s.easy_acc:.3f} | {s.hard_acc:.3f} |"
        )
    out()
    out(
        "Published (full 58 participants, title+abstract): TF-IDF 0.28, SPECTER 0.27, SPECTER+MFR 0.24, "
        "SPECTER2 0.22, SciNCL 0.22, SPECTER2+SciNCL 0.21."
    )
    out()
    if not args.quick:
        out(crosslingual_report(cache=Path(args.cache)))
    out(
        f"_Run time {time.time() - t0:.0f} s; `python -m matching.evaluation "
        f"{shown_path(args.gold)} --write`._"
    )
    target = args.out or (str(RESULTS_FILE) if args.write else None)
    if target and target != "-":
        Path(target).write_text(buf.getvalue(), encoding="utf-8")
        print(f"saved to {target}", file=sys.stderr)
    else:
        print(f"not saved (pass --write to update {RESULTS_FILE.name})", file=sys.stderr)
    return 0


def averaging_report(gold, cache: Path, repeats: int) -> str:
    """Nested-CV estimate of the procedure that sets the engine default, and what it ships."""
    from matching.affinity.models import LEGACY_ENSEMBLE_WEIGHTS
    from matching.evaluation.averaging import M_CHOICES, MEMBERS, AveragingEvaluator, cv

    ev = AveragingEvaluator(gold, cache=cache)
    n = len(gold.participants)
    lines = [
        "## Fallback ensemble (no MPNet): selection by averaging (nested CV)",
        "",
        "The ensemble used where the MPNet weights are not installed, and the engine default "
        "before MPNet was added.",
        "",
    ]
    lines.append(
        "Procedure: rank the 21 single configurations (7 models x max/top2/top3, title+abstract) by "
        "training loss, average the m best into one engine configuration (mean member weights on "
        "z-scored paper similarities; equal mix of their aggregations); m in "
        f"{list(M_CHOICES)} is chosen by an inner 5-fold CV on the training participants only. "
        "The outer held-out participants never influence a choice."
    )
    lines.append("")
    lines.append("| procedure | held-out loss [95% CI] | easy acc | hard acc |")
    lines.append("|---|---|---|---|")
    for m in M_CHOICES:
        h = cv(ev.fixed_m(m), range(n), repeats=repeats)
        label = "pick the single best (m=1)" if m == 1 else f"average the {m} best (m fixed)"
        lines.append(f"| {label} | {fmt_summary(summarise(h))} |")
    held, chosen = ev.nested(repeats=max(2, repeats // 5))
    lines.append(
        f"| **nested: m chosen by inner CV (the engine's procedure)** | "
        f"**{fmt_summary(summarise(held))}** |"
    )
    lines.append("")
    lines.append(
        "m chosen by the inner CV across outer folds: "
        + ", ".join(f"m={m} x{c}" for m, c in sorted(chosen.items()))
        + ". The fixed-m rows are shown for information; choosing among them by their held-out "
        "numbers would be selection on the test folds, which is why the nested row is the estimate."
    )
    lines.append("")
    m, lin = ev.ship()
    ship = summarise(ev.costs(lin.weights, lin.aggs))
    lines.append(
        f"Run on all {n} participants the procedure picks m={m} and ships: **{lin}** "
        f"(in-sample {fmt_summary(ship)}; not an estimate of held-out performance)."
    )
    engine_w = {k: v for k, v in LEGACY_ENSEMBLE_WEIGHTS.items()}
    cfg = engine.ScorerConfig()
    same = all(
        abs(engine_w.get(mm, 0) - w) < 0.011 for mm, w in zip(MEMBERS, lin.weights, strict=True)
    ) and sorted((a, k) for a, k, _w in cfg.aggregations()) == sorted(
        (a, k) for a, k, _w in lin.aggregation_mix()
    )
    lines.append("")
    lines.append(
        f"Fallback ensemble (matching/affinity/models.py LEGACY_ENSEMBLE_WEIGHTS): "
        f"weights={engine_w}, aggregations={cfg.aggregations()} -- "
        + (
            "matches what the procedure ships."
            if same
            else "**differs from what the procedure ships**."
        )
    )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
