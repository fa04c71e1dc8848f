"""Choose the confidence threshold (SEARCH_CONFIDENT_MARGIN) from measured cosines.

    PYTHONPATH=. .venv/bin/python bench/quality.py --split dev --scores dev.jsonl
    PYTHONPATH=. .venv/bin/python bench/bilingual.py --scores bilingual.jsonl
    PYTHONPATH=. .venv/bin/python bench/calibrate.py --semeval dev.jsonl --bilingual bilingual.jsonl

Run with the model to calibrate (PORTAL_EMBEDDING_MODEL). The signal (search.confidence)
is the margin of a query's best cosine with a document over its best cosine with small
talk; the best raw cosine alone is shown beside it, for comparison. Questions that have an
answer must stay above the threshold: the bilingual set's questions (every one has an
article), and SemEval dev's questions that have a relevant thread (their best relevant
thread: the other threads of SemEval are on the same topic, so they are not "junk").
Filler queries ("how do I do it", "ça ne marche pas") must fall below. The threshold kept
is the highest that keeps at least ``--keep`` of the answerable questions (98 % by
default: hiding a real answer costs more than showing junk); the table shows what the
values around it do.
"""

import argparse
import json
from collections import defaultdict


def read(path: str) -> list[dict]:
    """JSON lines."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def semeval_best_relevant(rows: list[dict], signal: str) -> list[float]:
    """Per SemEval question with a relevant thread: the best signal among relevant ones."""
    best: dict[str, float] = defaultdict(lambda: -9.0)
    for row in rows:
        if row["relevant"] and row["cosine"] is not None:
            value = row["cosine"] - (row["small_talk"] if signal == "margin" else 0.0)
            best[row["qid"]] = max(best[row["qid"]], value)
    return [value for value in best.values() if value > -9]


def share(values: list[float], threshold: float, above: bool) -> float:
    """Percent of values at or above (or below) the threshold."""
    if not values:
        return float("nan")
    hits = sum((v >= threshold) if above else (v < threshold) for v in values)
    return 100 * hits / len(values)


def main() -> int:
    """Print the distributions and the threshold chosen."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--semeval", required=True)
    parser.add_argument("--bilingual", required=True)
    parser.add_argument("--keep", type=float, default=98.0)
    args = parser.parse_args()
    for signal, field in (("top cosine", "top_cosine"), ("margin", "margin")):
        print(f"== {signal}")
        semeval = semeval_best_relevant(read(args.semeval), "margin" if field == "margin" else "")
        rows = read(args.bilingual)
        questions = [r[field] for r in rows if r["kind"] == "question"]
        fillers = [r[field] for r in rows if r["kind"] == "filler"]
        report(semeval, questions, fillers, args.keep)
    return 0


def report(semeval: list[float], questions: list[float], fillers: list[float], keep: float):
    """The distributions, and what thresholds around the chosen one keep and hide."""
    answerable = semeval + questions
    print(f"answerable: {len(semeval)} SemEval dev, {len(questions)} bilingual; "
          f"{len(fillers)} filler")  # fmt: skip
    for name, values in (("SemEval", semeval), ("bilingual", questions), ("filler", fillers)):
        ordered = sorted(values)
        pick = [ordered[int(q * (len(ordered) - 1))] for q in (0, 0.02, 0.1, 0.5, 0.9, 1)]
        print(f"{name:<10} min/2%/10%/50%/90%/max: " + " ".join(f"{v:.3f}" for v in pick))
    candidates = sorted({round(v, 3) for v in answerable + fillers})
    kept = [t for t in candidates if share(answerable, t, above=True) >= keep]
    chosen = max(kept) if kept else min(candidates)
    print(f"{'threshold':>9} {'SemEval kept':>13} {'bilingual kept':>15} {'filler hidden':>14}")
    steps = sorted({chosen, *(round(chosen + d, 3) for d in (-0.03, -0.02, -0.01, 0.01, 0.02))})
    for t in steps:
        mark = "  <- chosen" if t == chosen else ""
        print(f"{t:9.3f} {share(semeval, t, True):13.1f} {share(questions, t, True):15.1f} "
              f"{share(fillers, t, False):14.1f}{mark}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
