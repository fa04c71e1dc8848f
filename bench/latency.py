"""Search latency at scale: index build time, search and suggestion p50/p95, memory.

    PYTHONPATH=. .venv/bin/python bench/latency.py --docs 10000
    PYTHONPATH=. .venv/bin/python bench/latency.py --docs 100000 --build-threads 2

Generated community threads (a question and two replies each: support words followed by a
long tail of made-up words with Zipf-like frequencies, so term frequencies look like text)
are indexed by the portal's own rebuild (what `flask search reindex` runs), then distinct
generated questions go through ``search.service.search`` (page 1 with snippets) and
``search.service.suggest`` with a warm model and one torch thread, as in a web worker.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

WORDS = """router modem wifi signal password reset invoice billing refund payment card
account login email app update firmware camera doorbell thermostat bulb light plug speaker
hub pairing bluetooth network cable fibre speed slow drop disconnect evening night error
code screen battery charge install setup configure schedule automation alarm sensor motion
door lock garage tv streaming buffering contract upgrade cancel move address technician
appointment outage storm port forwarding vpn dns ip mesh extender range channel interference
""".split()  # noqa: SIM905 - a word list reads best as text
STARTS = ["Why does my", "How do I fix the", "Cannot get the", "Problem with my", "Help: the"]


SYLLABLES = "ka lo mi ne ru sa te vi zo ba de fi go hu ja ke li mo nu pa re si to".split()  # noqa: SIM905
# A long tail of made-up words after the support vocabulary, drawn with Zipf-like weights,
# so term document frequencies look like real text (a few common words, many rare ones).
VOCABULARY = WORDS + sorted(
    {"".join(random.Random(n).choices(SYLLABLES, k=3)) for n in range(6000)} - set(WORDS)
)
WEIGHTS = [1 / (rank + 10) for rank in range(len(VOCABULARY))]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=n))


def generate(count: int, seed: int = 5):
    from search.fulltext import Document

    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield (
            number,
            Document(
                f"thread:{number}",
                "thread",
                f"{rng.choice(STARTS)} {sentence(rng, 5)}",
                f"{sentence(rng, 25)}. {sentence(rng, 15)}?",
                replies=f"{sentence(rng, 20)}.\n{sentence(rng, 12)}.",
                solved=rng.random() < 0.3,
            ),
        )


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {p(0.50):6.1f} ms  p95 {p(0.95):6.1f} ms  max {ordered[-1]:6.1f} ms"


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--build-threads", type=int, default=1)
    parser.add_argument(
        "--random-vectors",
        action="store_true",
        help="store random unit vectors instead of encoding every document (exact cosine costs "
        "the same whatever the vectors; encoding throughput is measured on 500 documents)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import torch
    from benchsupport import register_documents, throwaway_app

    from search import service, vectors

    encode_documents = vectors.encode_documents
    from search.indexing import get_index, reindex_all

    docs = dict(generate(args.docs))
    register_documents("thread", docs)
    rng = random.Random(11)
    queries = [
        f"{rng.choice(STARTS)} {sentence(rng, rng.randint(3, 9))}" for _ in range(args.queries)
    ]
    with tempfile.TemporaryDirectory(prefix="careportal-latency-") as tmp:
        app = throwaway_app(Path(tmp))
        with app.app_context():
            vectors.get_model()
            torch.set_num_threads(args.build_threads)
            fulltext, text_seconds = get_index().fulltext, []
            replace_all = fulltext.replace_all

            def timed_replace_all(docs):  # the full-text half of the rebuild, timed apart
                t = time.perf_counter()
                count = replace_all(docs)
                text_seconds.append(time.perf_counter() - t)
                return count

            fulltext.replace_all = timed_replace_all
            encode_rate = None
            if args.random_vectors:
                sample = [d.title + " " + d.body for d in list(docs.values())[:500]]
                t = time.perf_counter()
                vectors.encode_documents(sample)
                encode_rate = len(sample) / (time.perf_counter() - t)
                rng_vectors = np.random.default_rng(1)

                def random_vectors(texts, batch_size=32):
                    matrix = rng_vectors.standard_normal((len(texts), 384)).astype(np.float32)
                    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

                vectors.encode_documents = random_vectors
            started = time.perf_counter()
            reindex_all()
            total = time.perf_counter() - started
            text_s = text_seconds[0]
            torch.set_num_threads(vectors.QUERY_THREADS)
            vectors.encode_documents = encode_documents  # queries are always really encoded
            get_index().rank("warm up the caches")
            timings = {"search": [], "suggest": [], "search cpu": [], "suggest cpu": []}
            session = app.extensions["sqlalchemy"].session
            for name, call, suffix in (
                ("search", service.search, ""),
                ("suggest", service.suggest, " x"),  # a fresh text: no encoding cache hit
            ):
                for query in queries:
                    t, cpu = time.perf_counter(), time.thread_time()
                    call(session, None, query + suffix)
                    timings[name].append(1000 * (time.perf_counter() - t))
                    # CPU time of this thread: what the query costs on a machine of its own.
                    timings[f"{name} cpu"].append(1000 * (time.thread_time() - cpu))
    current, peak = rss_mb()
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{args.docs} threads ({3 * args.docs} posts), build threads {args.build_threads}")
    print(f"index build: {total:.1f} s (full-text {text_s:.1f} s, vectors {total - text_s:.1f} s)")
    if encode_rate:
        print(
            f"vectors were random; real encoding runs at {encode_rate:.0f} docs/s "
            f"({args.build_threads} thread(s)): {args.docs / encode_rate / 60:.0f} min for all"
        )
    for name, samples in timings.items():
        print(f"{name:<12} {percentiles(samples)}  ({len(samples)} distinct queries)")
    print(f"RSS now {current:.0f} MB, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
