"""Surge alerts on generated traffic: injected surges detected, and how fast; quiet weeks'
false alerts.

    PYTHONPATH=. .venv/bin/python bench/proactive_surges.py [--weeks 4] [--trials 20] [--seed 3]

Protocol. Background traffic over 12 topics (bench/proactive_tags.py's phrases in everyday
frames): questions, contact-form requests and searches arrive as Poisson processes
(QUESTIONS, REQUESTS, SEARCHES per hour at the daily peak, a fifth of that at night), each
from a random one of 5,000 people, each question and request tagged with its topic. The
watcher's rule (proactive.surges.find_surges, with the settings' defaults: window, baseline
days, similarity, minimum items and people, growth) runs every
PROACTIVE_SURGE_INTERVAL_MINUTES on the window's items, its topic baselines read from the
preceding days of the same traffic, and alerts are kept and extended as watch.py does
(one alert per surge: a cluster close to an alert of the last day extends it).
*Quiet weeks*: weeks of background only; every alert is a false one. *Surges*: at a random
moment of a week, a new problem (an outage phrased many ways, unlike the background's
phrases) starts at SURGE_PER_HOUR items an hour from different people (half questions, half
searches, a few requests) for two hours; detected when an alert's items include injected
ones, the delay from the first injected item to the alert. Vectors: all-MiniLM-L6-v2
(search's ONNX encoder), computed once per distinct text.
"""

import argparse
import bisect
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchsupport import throwaway_app  # noqa: E402
from proactive_tags import FRAMES, PHRASES  # noqa: E402

QUESTIONS, REQUESTS, SEARCHES = 6.0, 4.0, 30.0  # per hour at the daily peak, all topics
SURGE_PER_HOUR = 20.0
SURGE_HOURS = 2.0
PEOPLE = 5000
OUTAGE = [
    "no internet since {t}", "internet down in {c}", "connection dead since {t}",
    "is there an outage in {c}", "nothing loads since {t}", "fibre down in {c} {t}",
    "lost internet {t}", "whole street offline in {c}", "no connection at all since {t}",
]  # fmt: skip
TIMES = ["this morning", "7am", "an hour ago", "8 o'clock", "breakfast", "today"]
CITIES = ["Lyon", "Villeurbanne", "my area", "the 3rd district", "our village"]
START = datetime(2026, 1, 5)


def rate_at(at: datetime) -> float:
    """The daily cycle: full from 8:00 to 22:00, a fifth at night."""
    return 1.0 if 8 <= at.hour < 22 else 0.2


def background(rng: random.Random, start: datetime, hours: float):
    """(at, kind, text, person, topics) of generated everyday traffic."""
    topics = sorted(PHRASES)
    events = []
    for kind, per_hour in (("thread", QUESTIONS), ("case", REQUESTS), ("search", SEARCHES)):
        at = start
        while True:
            at += timedelta(hours=rng.expovariate(per_hour))  # thinned by the daily cycle
            if at >= start + timedelta(hours=hours):
                break
            if rng.random() > rate_at(at):
                continue
            topic = rng.choice(topics)
            phrase = rng.choice(PHRASES[topic])
            text = phrase if kind == "search" else rng.choice(FRAMES).format(p=phrase)
            tags = (topic,) if kind != "search" else ()
            events.append((at, kind, text, f"p{rng.randrange(PEOPLE)}", tags))
    return sorted(events)


def surge(rng: random.Random, start: datetime):
    events, at = [], start
    while at < start + timedelta(hours=SURGE_HOURS):
        text = rng.choice(OUTAGE).format(t=rng.choice(TIMES), c=rng.choice(CITIES))
        kind = rng.choices(["thread", "search", "case"], [0.45, 0.45, 0.10])[0]
        if kind != "search":
            text = rng.choice(FRAMES).format(p=text)
        tags = ("outages",) if kind != "search" and rng.random() < 0.5 else ("internet",)
        events.append(
            (at, kind, text, f"s{rng.randrange(10**6)}", () if kind == "search" else tags)
        )
        at += timedelta(hours=rng.expovariate(SURGE_PER_HOUR))
    return events


class Simulation:
    """The watcher's rule over a timeline of generated items."""

    def __init__(self, config, vectors: dict[str, np.ndarray]):
        from proactive.surges import SurgeRule

        self.vectors = vectors
        self.window = timedelta(minutes=int(config["PROACTIVE_SURGE_WINDOW_MINUTES"]))
        self.every = timedelta(minutes=int(config["PROACTIVE_SURGE_INTERVAL_MINUTES"]))
        self.baseline_days = int(config["PROACTIVE_SURGE_BASELINE_DAYS"])
        self.rule = SurgeRule(
            float(config["PROACTIVE_SURGE_SIMILARITY"]), int(config["PROACTIVE_SURGE_MIN_ITEMS"]),
            int(config["PROACTIVE_SURGE_MIN_PEOPLE"]), float(config["PROACTIVE_SURGE_GROWTH"]),
            float(config["PROACTIVE_SURGE_MIN_BASELINE"]),
        )  # fmt: skip

    def baseline(self, events, now):
        """watch.baseline on the generated timeline: the same window of each earlier day."""
        from proactive.watch import usual_rates

        counts, searches = {}, 0
        for day in range(1, self.baseline_days + 1):
            since = now - timedelta(days=day) - self.window
            until = now - timedelta(days=day)
            lo = bisect.bisect_left(self.times, since)
            hi = bisect.bisect_left(self.times, until)
            for _at, kind, _text, _person, tags in events[lo:hi]:
                searches += kind == "search"
                for tag in tags:
                    counts[tag] = counts.get(tag, 0) + 1
        return usual_rates(counts, searches, self.baseline_days)

    def run(self, events, start, end, injected_from=None):
        """Alerts (raised_at, first_at, injected?) of a watcher ticking from start to end."""
        from proactive.surges import Item, find_surges, same_surge

        alerts = []  # [raised_at, centroid, injected]
        times = self.times = [e[0] for e in events]
        now, lo = start, 0
        while now <= end:
            while lo < len(events) and times[lo] < now - self.window:
                lo += 1
            window = [e for e in events[lo:] if e[0] < now]
            if len(window) >= self.rule.min_items:
                items = [
                    Item(k, lo + i, t, at, p, tags) for i, (at, k, t, p, tags) in enumerate(window)
                ]
                matrix = np.stack([self.vectors[e[2]] for e in window])
                for found in find_surges(items, matrix, self.baseline(events, now), self.rule):
                    recent = [a for a in alerts if a[0] >= now - timedelta(days=1)]
                    sampled = [a[3] for a in recent]  # watch.py matches on an alert's samples
                    centres = [a[1] for a in recent]
                    topics = [a[4] for a in recent]
                    active = [a[5] >= now - self.window for a in recent]
                    match = same_surge(
                        found, centres, self.rule.similarity, sampled, topics, active
                    )
                    if match is not None:
                        recent[match][5] = max(recent[match][5], found.last_at)
                    else:
                        injected = injected_from is not None and any(
                            it.at >= injected_from and it.person.startswith("s")
                            for it in found.items
                        )
                        samples = {(it.kind, it.id) for it in found.samples}
                        alerts.append(
                            [now, found.centroid, injected, samples, found.topics, found.last_at]
                        )
            now += self.every
        return alerts


def main() -> None:
    global SURGE_PER_HOUR  # the injected wave's rate, read by surge()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--growth", type=float, help="PROACTIVE_SURGE_GROWTH (the setting's)")
    parser.add_argument("--floor", type=float, help="PROACTIVE_SURGE_MIN_BASELINE")
    parser.add_argument("--surge-per-hour", type=float, default=SURGE_PER_HOUR)
    args = parser.parse_args()
    SURGE_PER_HOUR = args.surge_per_hour
    settings = {"PROACTIVE_SURGE_GROWTH": args.growth} if args.growth else {}
    if args.floor:
        settings["PROACTIVE_SURGE_MIN_BASELINE"] = args.floor
    from proactive import meaning

    rng = random.Random(args.seed)
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        app = throwaway_app(Path(folder), SEARCH_ENCODER_SERVICE=False, **settings)
        with app.app_context():
            config = app.config
            baseline_days = int(config["PROACTIVE_SURGE_BASELINE_DAYS"])
            history_hours = (baseline_days + 7 * args.weeks) * 24
            quiet = background(rng, START, history_hours)
            trials = []
            for _ in range(args.trials):
                base_start = START
                events = background(rng, base_start, (baseline_days + 7) * 24)
                t0 = base_start + timedelta(days=baseline_days, hours=rng.uniform(0, 7 * 24))
                trials.append((events, t0, surge(rng, t0)))
            texts = {e[2] for e in quiet}
            for events, _t0, injected in trials:
                texts |= {e[2] for e in events} | {e[2] for e in injected}
            texts = sorted(texts)
            matrix = meaning.embed_many(texts)
            vectors = dict(zip(texts, matrix, strict=True))
            simulation = Simulation(config, vectors)

    begin = START + timedelta(days=baseline_days)
    false_alerts = simulation.run(quiet, begin, START + timedelta(hours=history_hours))
    per_week = len(false_alerts) / args.weeks
    print(
        f"\nquiet traffic: {args.weeks} weeks, {len(quiet)} items "
        f"({QUESTIONS:g} questions, {REQUESTS:g} requests, {SEARCHES:g} searches an hour at peak)"
    )
    print(f"  false alerts: {len(false_alerts)} ({per_week:.2f} a week)")

    detected, delays, spurious = 0, [], 0
    for events, t0, injected in trials:
        timeline = sorted(events + injected)
        alerts = simulation.run(
            timeline, t0 - timedelta(hours=1), t0 + timedelta(hours=SURGE_HOURS), t0
        )
        hits = [a for a in alerts if a[2]]
        spurious += len(alerts) - len(hits)
        if hits:
            detected += 1
            delays.append((hits[0][0] - t0).total_seconds() / 60)
        if len(hits) > 1:
            print(f"  trial at {t0}: {len(hits)} alerts for one surge")
    print(
        f"\ninjected surges: {args.trials} ({SURGE_PER_HOUR:g} items an hour for {SURGE_HOURS:g} h)"
    )
    print(f"  detected: {detected}/{args.trials} ({detected / args.trials:.0%})")
    if delays:
        print(
            f"  first item → alert: median {statistics.median(delays):.0f} min, "
            f"max {max(delays):.0f} min"
        )
    print(f"  other alerts during the trials' windows: {spurious}")
    rule = simulation.rule
    print(
        f"\nrule: similarity {rule.similarity}, at least {rule.min_items} items from "
        f"{rule.min_people} people, growth ×{rule.growth}, floor {rule.floor}; "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
