"""Search latency at scale: index build time, search and suggestion p50/p95, a worker's memory.

    PYTHONPATH=. .venv/bin/python bench/latency.py --docs 10000 --random-vectors
    PYTHONPATH=. .venv/bin/python bench/latency.py --docs 100000 --random-vectors
    # --encoder process: the worker loads the model itself instead of asking the service

Generated community threads (a question and two replies each, the first reply accepted on
three threads in ten: support words followed by a long tail of made-up words with
Zipf-like frequencies, so term frequencies look like text) are written into the portal's
database as real rows and indexed by the portal's own rebuild (what `flask search reindex`
runs, through the community search source). Then a *fresh process* — what a web worker
is: it opens the built index and the database and nothing else — sends distinct generated
questions through ``search.service.search`` (page 1 with snippets) and
``search.service.suggest``, warmed up as gunicorn's post_worker_init does, and reports
wall and CPU time per query and its memory (RSS, and PSS: its share of pages mapped by
several processes). By default its queries are encoded by the machine's encoder service
(``search.encoder_service``, started here as the jobs worker would), whose memory and CPU
per query are reported too; ``--encoder process`` loads the model in the worker instead.
``--instance DIR`` keeps the built portal there and reuses it on the next run.
"""

import argparse
import json
import os
import random
import subprocess
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
TOPICS = ["network", "billing", "smart-home", "tv", "mobile", "account", "security", "setup"]


SYLLABLES = "ka lo mi ne ru sa te vi zo ba de fi go hu ja ke li mo nu pa re si to".split()  # noqa: SIM905
# A long tail of made-up words after the support vocabulary, drawn with Zipf-like weights,
# so term document frequencies look like real text (a few common words, many rare ones).
VOCABULARY = WORDS + sorted(
    {"".join(random.Random(n).choices(SYLLABLES, k=3)) for n in range(6000)} - set(WORDS)
)
WEIGHTS = [1 / (rank + 10) for rank in range(len(VOCABULARY))]
BUILD_FILE = "bench-build.json"  # what the build measured, next to the portal it built


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=n))


def queries(count: int) -> list[str]:
    rng = random.Random(11)
    return [f"{rng.choice(STARTS)} {sentence(rng, rng.randint(3, 9))}" for _ in range(count)]


def write_threads(count: int, seed: int = 5, chunk: int = 5000) -> None:
    """``count`` generated threads as community rows (bulk inserts: the ORM would take long)."""
    from sqlalchemy import insert

    from community.models import AcceptedSolution, Post, Thread, thread_tags
    from portal.extensions import db
    from portal.models import Tag, User

    rng = random.Random(seed)
    member = User(username="bench", email="bench@example.com", password_hash="-")
    tags = [Tag(slug=slug, name=slug.replace("-", " ").title()) for slug in TOPICS]
    db.session.add_all([member, *tags])
    db.session.flush()
    post_id = 0
    for start in range(1, count + 1, chunk):
        threads, posts, solutions, links = [], [], [], []
        for number in range(start, min(start + chunk, count + 1)):
            threads.append(
                {"id": number, "title": f"{rng.choice(STARTS)} {sentence(rng, 5)}"[:200],
                 "author_id": member.id}
            )  # fmt: skip
            texts = [
                f"{sentence(rng, 25)}. {sentence(rng, 15)}?",
                f"{sentence(rng, 20)}.",
                f"{sentence(rng, 12)}.",
            ]
            for position, text in enumerate(texts):
                post_id += 1
                posts.append(
                    {"id": post_id, "thread_id": number, "author_id": member.id,
                     "is_question": position == 0, "body": text}
                )  # fmt: skip
            if rng.random() < 0.3:  # the first reply is the accepted answer
                solutions.append(
                    {"thread_id": number, "post_id": post_id - 1, "accepted_by_id": member.id}
                )
            links.append({"thread_id": number, "tag_id": rng.choice(tags).id})
        db.session.execute(insert(Thread), threads)
        db.session.execute(insert(Post), posts)
        if solutions:
            db.session.execute(insert(AcceptedSolution), solutions)
        db.session.execute(insert(thread_tags), links)
    db.session.commit()


def build(instance: Path, docs: int, random_vectors: bool, build_threads: int) -> dict:
    """Write the threads and run the portal's rebuild; returns what was measured."""
    from benchsupport import throwaway_app

    from search import encoding, indexing, vectors
    from search.fulltext import FullTextIndex

    app = throwaway_app(instance)
    with app.app_context():
        started = time.perf_counter()
        write_threads(docs)
        rows_s = time.perf_counter() - started
        assert encoding.semantic_problem(writing=True) is None  # the model, as the keeper has
        text_seconds, replace_all = [], FullTextIndex.replace_all

        def timed_replace_all(self, documents):  # the full-text half of the rebuild, timed apart
            t = time.perf_counter()
            count = replace_all(self, documents)
            text_seconds.append(time.perf_counter() - t)
            return count

        FullTextIndex.replace_all = timed_replace_all
        encode_rate = None
        if random_vectors:
            sample = [
                f"{sentence(random.Random(n), 5)}. {sentence(random.Random(n), 40)}"
                for n in range(500)
            ]
            t = time.perf_counter()
            with vectors.encoding_threads(build_threads):
                vectors.encode_documents(sample)
            encode_rate = len(sample) / (time.perf_counter() - t)
            rng_vectors = np.random.default_rng(1)

            def random_unit_vectors(texts, batch_size=32):
                matrix = rng_vectors.standard_normal((len(texts), 384)).astype(np.float32)
                return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

            vectors.encode_documents = random_unit_vectors
        started = time.perf_counter()
        indexed = indexing.rebuild(threads=build_threads)
        total = time.perf_counter() - started
        _, peak = rss_mb()
    return {
        "docs": docs,
        "indexed": indexed,
        "rows_s": rows_s,
        "build_s": total,
        "fulltext_s": text_seconds[0],
        "encode_rate": encode_rate,
        "build_threads": build_threads,
        "builder_peak_mb": peak,
    }


def serve(instance: Path, count: int, socket: str | None, service_pid: int | None) -> dict:
    """A web worker's view: open the built index, answer distinct questions, report timings."""
    from benchsupport import throwaway_app

    from search import encoding, indexing, service

    settings = {"SEARCH_ENCODER_SOCKET": socket} if socket else {"SEARCH_ENCODER_SERVICE": False}
    app = throwaway_app(instance, **settings)
    timings = {"search": [], "suggest": [], "search cpu": [], "suggest cpu": []}
    service_cpu = {}
    started = time.perf_counter()
    indexing.warm_up(app)  # what gunicorn's post_worker_init runs: encoder, index, gc.freeze
    opened_s = time.perf_counter() - started
    with app.test_request_context():  # result URLs are built as on a page
        assert encoding.semantic_problem() is None, encoding.semantic_problem()
        session = app.extensions["sqlalchemy"].session
        for name, call, suffix in (
            ("search", service.search, ""),
            ("suggest", service.suggest, " x"),  # a fresh text: no encoding cache hit
        ):
            before = process_cpu_s(service_pid)
            for query in queries(count):
                t, cpu = time.perf_counter(), time.thread_time()
                call(session, None, query + suffix)
                timings[name].append(1000 * (time.perf_counter() - t))
                # CPU time of this thread: what the query costs on a machine of its own.
                timings[f"{name} cpu"].append(1000 * (time.thread_time() - cpu))
            if service_pid:  # the encoding's CPU, spent in the service
                service_cpu[name] = 1000 * (process_cpu_s(service_pid) - before) / count
            session.remove()
    current, peak = rss_mb()
    return {
        "opened_s": opened_s,
        "timings": timings,
        "service_cpu_ms": service_cpu,
        "rss_mb": current,
        "peak_mb": peak,
        "pss_mb": pss_mb(),
        "modules": [m for m in ("torch", "onnxruntime") if m in sys.modules],
        "load": os.getloadavg(),
    }


def process_cpu_s(pid: int | None) -> float:
    """User + system CPU seconds of a process so far (0 without one)."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_of(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of another process in MB."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


def start_service(socket: str) -> subprocess.Popen:
    """The machine's encoder service, as the jobs worker starts it; returns when it answers."""
    from benchsupport import ENCODER_DIR

    from portal.config import Config
    from search.encoder import encoder_folder
    from search.encoder_service import EncoderClient, ServiceUnavailable

    # The model the portal runs: the setting, or PORTAL_EMBEDDING_MODEL (create_app reads it).
    configured = os.environ.get("PORTAL_EMBEDDING_MODEL")
    model = Config.EMBEDDING_MODEL if configured is None else configured
    folder = encoder_folder(ENCODER_DIR, model or None)
    child = subprocess.Popen(
        [sys.executable, "-m", "search.encoder_service", "--socket", socket, "--folder", folder]
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            EncoderClient(socket).check()
            return child
        except ServiceUnavailable:
            if time.monotonic() > deadline or child.poll() is not None:
                raise
            time.sleep(0.2)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {p(0.50):6.1f} ms  p95 {p(0.95):6.1f} ms  max {ordered[-1]:6.1f} ms"


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB.

    VmHWM rather than getrusage's maxrss, which Linux carries over from the parent into a
    process it starts (the worker would report the builder's peak).
    """
    status = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        status[name] = value
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def pss_mb() -> float | None:
    """Proportional set size: shared pages (the model files, memory-mapped arrays) split."""
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


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
    parser.add_argument("--instance", type=Path, help="keep (or reuse) the built portal here")
    parser.add_argument(
        "--encoder",
        choices=["service", "process"],
        default="service",
        help="queries encoded by the machine's encoder service (production), or by the worker",
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the worker process
    parser.add_argument("--socket", help=argparse.SUPPRESS)
    parser.add_argument("--service-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.serve:
        print(json.dumps(serve(args.serve, args.queries, args.socket, args.service_pid)))
        return 0

    with tempfile.TemporaryDirectory(prefix="careportal-latency-") as tmp:
        instance = args.instance or Path(tmp)
        built_file = instance / BUILD_FILE
        if built_file.exists():
            built = json.loads(built_file.read_text())
            if built["docs"] != args.docs:
                parser.error(f"{instance} holds {built['docs']} threads, not {args.docs}")
        else:
            instance.mkdir(parents=True, exist_ok=True)
            built = build(instance, args.docs, args.random_vectors, args.build_threads)
            built_file.write_text(json.dumps(built))
        command = [sys.executable, __file__, "--serve", str(instance)]
        command += ["--queries", str(args.queries)]
        encoder = None
        if args.encoder == "service":
            socket = os.path.join(tmp, "encoder.sock")  # short: a socket's path has a limit
            encoder = start_service(socket)
            command += ["--socket", socket, "--service-pid", str(encoder.pid)]
        try:
            worker = subprocess.run(command, check=True, capture_output=True, text=True)
            service_memory = memory_of(encoder.pid) if encoder else None
        finally:
            if encoder:
                encoder.terminate()
                encoder.wait()
        served = json.loads(worker.stdout.strip().splitlines()[-1])

    load = served["load"]
    print(f"load average after the queries: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          f"(1 / 5 / 15 min) on {os.cpu_count()} cores")  # fmt: skip
    print(f"{built['docs']} threads ({3 * built['docs']} posts), {built['indexed']} documents")
    print(
        f"index build: {built['build_s']:.1f} s (full-text {built['fulltext_s']:.1f} s, "
        f"vectors {built['build_s'] - built['fulltext_s']:.1f} s, "
        f"{built['build_threads']} thread(s)); database rows {built['rows_s']:.1f} s; "
        f"builder peak RSS {built['builder_peak_mb']:.0f} MB"
    )
    if built["encode_rate"]:
        rate = built["encode_rate"]
        print(
            f"vectors were random; real encoding runs at {rate:.0f} docs/s "
            f"({built['build_threads']} thread(s)): {built['docs'] / rate / 60:.0f} min for all"
        )
    where = "the encoder service" if encoder else "the model in the worker"
    print(f"worker: warmed up (index opened, {where}) in {served['opened_s']:.1f} s")
    for name, samples in served["timings"].items():
        print(f"{name:<12} {percentiles(samples)}  ({len(samples)} distinct queries)")
    for name, ms in served["service_cpu_ms"].items():
        print(f"{name:<12} + encoder service CPU {ms:.1f} ms a query (mean)")
    pss = served["pss_mb"]
    print(
        f"worker memory: RSS {served['rss_mb']:.0f} MB (peak {served['peak_mb']:.0f} MB)"
        + (f", PSS {pss:.0f} MB" if pss is not None else "")
        + f"; imported: {', '.join(served['modules']) or 'neither torch nor onnxruntime'}"
    )
    if service_memory:
        rss, pss = service_memory
        print(f"encoder service memory (one per machine): RSS {rss:.0f} MB, PSS {pss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
