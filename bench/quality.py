"""Search quality on SemEval-2016 Task 3 subtask B, through the portal's own ranking.

    PYTHONPATH=. .venv/bin/python bench/quality.py --split dev
    PYTHONPATH=. .venv/bin/python bench/quality.py --split train-part2

Protocol (../shared/bench/README.md): every thread of the split is indexed by the portal
(a throwaway app and instance folder; `flask search reindex`'s code path), then each
original question's 10 candidates are ranked by ``SearchIndex.rank`` — the function behind
/search and the suggestions — with the weights of the settings (hybrid), or with only one
side (bm25, semantic). Official scoring: AP over the ranked 10, a question without any
relevant candidate scores 0; ties keep the search-engine order. Tune on dev only.

The threads are loaded into a fresh portal database as community threads (question and
replies as posts) and indexed from there by the community search source.
"""

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
DATA_DIR = Path(
    os.environ.get(
        "SEMEVAL_DIR",
        Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "semeval2016-task3",
    )
)
SPLITS = {
    "dev": "SemEval2016-Task3-CQA-QL-dev.xml",
    "train-part2": "SemEval2016-Task3-CQA-QL-train-part2.xml",
}
RELEVANT = {"PerfectMatch", "Relevant"}


@dataclass
class Candidate:
    number: int  # thread id in the benchmark's portal
    subject: str
    body: str
    comments: list[str]
    relevant: bool


@dataclass
class Question:
    qid: str
    subject: str
    body: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def text(self) -> str:
        subject = self.subject.strip()
        if subject and not subject.endswith((".", "?", "!")):
            subject += "."
        return f"{subject} {self.body.strip()}".strip()


def load_split(name: str) -> list[Question]:
    """Parse a split; the XML repeats <OrgQuestion> once per thread, so group by id."""
    root = ET.parse(DATA_DIR / SPLITS[name]).getroot()
    questions: dict[str, Question] = {}
    numbers: dict[str, int] = {}
    for element in root.iter("OrgQuestion"):
        question = questions.setdefault(
            element.get("ORGQ_ID"),
            Question(
                element.get("ORGQ_ID"),
                element.findtext("OrgQSubject") or "",
                element.findtext("OrgQBody") or "",
            ),
        )
        for thread in element.findall("Thread"):
            related = thread.find("RelQuestion")
            sequence = thread.get("THREAD_SEQUENCE")
            question.candidates.append(
                Candidate(
                    number=numbers.setdefault(sequence, len(numbers) + 1),
                    subject=related.findtext("RelQSubject") or "",
                    body=related.findtext("RelQBody") or "",
                    comments=[c.findtext("RelCText") or "" for c in thread.findall("RelComment")],
                    relevant=related.get("RELQ_RELEVANCE2ORGQ") in RELEVANT,
                )
            )
    for question in questions.values():  # search-engine order is the official tie order
        question.candidates.sort(key=lambda c: c.number)
    return list(questions.values())


def average_precision(labels: Sequence[bool]) -> float:
    """Official AP@10: mean precision at each relevant rank; 0 if none is relevant."""
    precisions, hits = [], 0
    for rank, relevant in enumerate(labels[:10], start=1):
        if relevant:
            hits += 1
            precisions.append(hits / rank)
    return sum(precisions) / len(precisions) if precisions else 0.0


def evaluate(rankings: list[list[bool]]) -> dict[str, float]:
    """MAP, MRR and P@1 in percent over every question (none skipped)."""
    n = len(rankings)
    reciprocal = [next((1 / i for i, r in enumerate(x[:10], 1) if r), 0.0) for x in rankings]
    return {
        "MAP": 100 * sum(map(average_precision, rankings)) / n,
        "MRR": 100 * sum(reciprocal) / n,
        "P@1": 100 * sum(bool(x and x[0]) for x in rankings) / n,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    parser.add_argument(
        "--sweep", help="also rank hybrid with these BM25 weights (comma-separated; tune on dev)"
    )
    parser.add_argument("--scores", help="write each candidate's cosine and label (JSON lines)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    from benchsupport import portal_with_threads

    from search import indexing, service
    from search.ranking import RankingWeights

    questions = load_split(args.split)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="careportal-bench-") as tmp:
        app, doc_keys = portal_with_threads(questions, Path(tmp))
        with app.app_context():
            indexing.rebuild()
            index = indexing.searchable_index()
            built = time.perf_counter() - started
            hybrid = service.ranking_weights()
            modes = {
                "bm25": RankingWeights(bm25_weight=1.0, semantic_weight=0.0),
                "semantic": RankingWeights(bm25_weight=0.0, semantic_weight=1.0),
                "hybrid": hybrid,
            }
            for weight in filter(None, (args.sweep or "").split(",")):
                modes[f"hybrid bm25={float(weight):.2f}"] = dataclasses.replace(
                    hybrid, bm25_weight=float(weight), semantic_weight=1 - float(weight)
                )
            scores = []
            rows = {
                "search-engine order": evaluate(
                    [[c.relevant for c in q.candidates] for q in questions]
                )
            }
            for mode, weights in modes.items():
                rankings = []
                for question in questions:
                    label = {doc_keys[c.number]: c.relevant for c in question.candidates}
                    ranked = index.rank(question.text, weights=weights, candidates=list(label))
                    rankings.append([label[key] for key, _ in ranked.hits])
                    if mode == "hybrid":
                        scores += [
                            {"qid": question.qid, "cosine": ranked.cosines.get(key),
                             "small_talk": ranked.small_talk, "relevant": relevant,
                             "rank": rank}
                            for rank, (key, _s) in enumerate(ranked.hits, 1)
                            for relevant in [label[key]]
                        ]  # fmt: skip
                rows[mode] = evaluate(rankings)
    if args.scores:
        with open(args.scores, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row) + "\n" for row in scores)
    print(f"split {args.split}: {len(questions)} questions, indexed in {built:.1f} s")
    print(f"hybrid weights: bm25 {hybrid.bm25_weight} / semantic {hybrid.semantic_weight}")
    print(f"{'mode':<20} {'MAP':>7} {'MRR':>7} {'P@1':>7}")
    for mode, metrics in rows.items():
        print(f"{mode:<20} {metrics['MAP']:7.2f} {metrics['MRR']:7.2f} {metrics['P@1']:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
