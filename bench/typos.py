"""Typo tolerance: do misspelt queries find what their correct spelling finds?

The demo company's content (every article and thread of `flask seed-demo`) is indexed by
the portal (`search.indexing.rebuild`) in a throwaway instance; for each line of
bench/data/typos.tsv the correct spelling's best result is looked for in the misspelt
query's first five, ranked by ``SearchIndex.rank`` (what /search and the suggestions use),
once with the settings' hybrid weights and once keyword-only — with the corrections of
search.spelling and without them (their weight set to 0), so the table shows what typo
tolerance adds to what the model already forgives.

    HF_HUB_OFFLINE=1 PYTHONPATH=. .venv/bin/python bench/typos.py
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "typos.tsv"
DEPTH = 5


def load_pairs(path: Path = DATA) -> list[tuple[str, str]]:
    """(correct, misspelt) pairs, comments and blank lines skipped."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            correct, misspelt = line.split("\t")
            pairs.append((correct.strip(), misspelt.strip()))
    return pairs


def found_rate(index, pairs, weights) -> tuple[float, list[str]]:
    """Share of pairs whose misspelt query has the correct one's best result in its top five."""
    misses = []
    for correct, misspelt in pairs:
        expected = index.rank(correct, weights=weights, limit=DEPTH).hits
        got = [key for key, _ in index.rank(misspelt, weights=weights, limit=DEPTH).hits]
        if expected and expected[0][0] not in got:
            misses.append(misspelt)
    return 100.0 * (len(pairs) - len(misses)) / len(pairs), misses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    from benchsupport import throwaway_app

    from portal import demo
    from portal.extensions import db
    from search import fulltext, indexing, service
    from search.ranking import RankingWeights

    pairs = load_pairs()
    with tempfile.TemporaryDirectory(prefix="careportal-bench-") as tmp:
        app = throwaway_app(Path(tmp))
        with app.app_context():
            demo.seed(db.session)
            db.session.commit()
            indexing.rebuild()
            index = indexing.searchable_index()
            modes = {
                "hybrid": service.ranking_weights(),
                "keyword only": RankingWeights(bm25_weight=1.0, semantic_weight=0.0),
            }
            print(f"{len(pairs)} misspelt queries, {index.fulltext.doc_count()} documents")
            print(f"{'mode':<14} {'corrections':>12} {'found':>7}")
            typo_weight = fulltext.TYPO_WEIGHT
            for mode, weights in modes.items():
                for label, weight in (("off", 0.0), ("on", typo_weight)):
                    fulltext.TYPO_WEIGHT = weight
                    started = time.perf_counter()
                    rate, misses = found_rate(index, pairs, weights)
                    seconds = time.perf_counter() - started
                    print(f"{mode:<14} {label:>12} {rate:6.1f}%  ({seconds:.1f} s)")
                    if args.show_misses and misses:
                        print("   missed:", "; ".join(misses))
            fulltext.TYPO_WEIGHT = typo_weight
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
