"""Automatic topics: top-1 / top-3 accuracy on a held-out split, demo data and generated data.

    PYTHONPATH=. .venv/bin/python bench/proactive_tags.py [--generated 2400] [--seed 7]

Protocol. *Demo*: a throwaway portal seeded with the demo (`flask seed-demo`'s code path);
its published articles and visible threads with their topics are the examples
(``proactive.tagging.examples_from_database``, what the periodic job trains on). *Generated*:
texts written from per-topic phrases put into everyday frames, with words of other topics
mixed into a third of them (bench below), one topic each. Each set is split 80/20 at random
(fixed seed), the model is trained on 80 % with ``tagging.fit`` (the production code) and
scored on the other 20 %: a text is right at top-k when one of its topics is among the k
most likely. Nearest neighbours (k=10, cosine-weighted votes) on the same vectors is the
baseline. Vectors: all-MiniLM-L6-v2 through search's ONNX encoder.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchsupport import throwaway_app  # noqa: E402

PHRASES = {
    "internet": [
        "my fibre line is slow",
        "the internet keeps disconnecting",
        "DSL sync drops",
        "download speed is half what I pay for",
        "the line test fails",
        "no broadband",
    ],
    "wi-fi": [
        "the wireless signal is weak upstairs",
        "my laptop loses Wi-Fi",
        "I forgot the Wi-Fi password",
        "the mesh extender will not pair",
        "neighbours' networks interfere",
        "the 5 GHz network is missing",
    ],
    "router": [
        "the hub light is blinking orange",
        "the router reboots by itself",
        "I cannot open the hub settings page",
        "a port forward does not work",
        "the router firmware update failed",
        "the hub is very hot",
    ],
    "outages": [
        "everything is down in my street",
        "is there an outage in my area",
        "the whole town lost service",
        "service interruption since this morning",
        "a cable was cut near my house",
        "nobody in the building has service",
    ],
    "billing": [
        "I was charged twice",
        "my invoice is higher than usual",
        "I want a refund",
        "the direct debit failed",
        "how do I change my payment card",
        "the price went up without notice",
    ],
    "account": [
        "I cannot sign in to my account",
        "change the contract owner",
        "update my e-mail address",
        "I am moving house",
        "reset my account password",
        "close my account",
    ],
    "installation": [
        "the technician did not come",
        "reschedule my installation appointment",
        "the self-install kit is missing a cable",
        "where should the socket go",
        "installation date keeps moving",
        "the engineer left without finishing",
    ],
    "smart-home": [
        "the Home app does not find my devices",
        "my smart plug is offline",
        "automations stopped running",
        "pair a new sensor with the app",
        "the Home app crashes on start",
        "voice assistant cannot reach devices",
    ],
    "thermostat": [
        "the thermostat schedule is ignored",
        "heating stays on at night",
        "the room sensor shows the wrong temperature",
        "the boiler does not start",
        "thermostat battery drains fast",
        "holiday mode for the heating",
    ],
    "cameras": [
        "the outdoor camera stopped recording",
        "camera clips are not saved",
        "night vision is blurry",
        "motion alerts come too often",
        "camera storage is full",
        "the doorbell camera is offline",
    ],
    "tv": [
        "the TV box shows no channels",
        "streaming apps buffer on the TV",
        "the remote does not work",
        "recordings disappeared from the box",
        "a channel is missing from my package",
        "the picture freezes on TV",
    ],
    "security": [
        "I got a phishing e-mail",
        "set up parental controls",
        "someone knows my password",
        "block adult sites for my kids",
        "a suspicious text asks for my card",
        "safe browsing warnings",
    ],
}
FRAMES = [
    "{p}.",
    "Hello, {p}. What can I do?",
    "Since yesterday {p}.",
    "{p}, any idea?",
    "Help please: {p}!",
    "For a week now {p}. I tried restarting.",
    "Not sure where to ask: {p}.",
    "{p} and support has not answered.",
]


def generated(count: int, rng: random.Random) -> tuple[list[str], list[list[str]]]:
    """``count`` texts, one topic each; a third mention another topic in passing."""
    topics = sorted(PHRASES)
    texts, labels = [], []
    for i in range(count):
        topic = topics[i % len(topics)]
        text = rng.choice(FRAMES).format(p=rng.choice(PHRASES[topic]))
        text = text[0].upper() + text[1:]
        if rng.random() < 1 / 3:
            other = rng.choice([t for t in topics if t != topic])
            text += f" (Earlier {rng.choice(PHRASES[other])}, but that is fixed.)"
        texts.append(text)
        labels.append([topic])
    return texts, labels


def split(n: int, rng: random.Random, held_out: float = 0.2):
    order = list(range(n))
    rng.shuffle(order)
    cut = int(n * (1 - held_out))
    return order[:cut], order[cut:]


def accuracy(ranked: list[list[str]], labels: list[list[str]], k: int) -> float:
    return sum(bool(set(r[:k]) & set(t)) for r, t in zip(ranked, labels, strict=True)) / len(labels)


def knn_rank(train_v, train_l, test_v, k: int = 10) -> list[list[str]]:
    ranked = []
    for vector in test_v:
        scores = train_v @ vector
        votes: dict[str, float] = {}
        for i in np.argsort(-scores)[:k]:
            for topic in train_l[i]:
                votes[topic] = votes.get(topic, 0.0) + float(scores[i])
        ranked.append(sorted(votes, key=lambda t: -votes[t]))
    return ranked


def evaluate(name: str, texts, labels, embed, rng) -> None:
    from proactive import tagging

    started = time.perf_counter()
    vectors = embed(texts)
    train_i, test_i = split(len(texts), rng)
    tv, tl = vectors[train_i], [labels[i] for i in train_i]
    sv, sl = vectors[test_i], [labels[i] for i in test_i]
    fit_started = time.perf_counter()
    classifier = tagging.fit(tv, tl)
    fit_s = time.perf_counter() - fit_started
    model = tagging.Tagger(classifier, None, len(tl))
    linear = [[slug for slug, _ in row] for row in model.rank(sv)]
    knn = knn_rank(tv, tl, sv)
    topics = len({t for row in labels for t in row})
    print(
        f"\n{name}: {len(texts)} texts, {topics} topics, {len(test_i)} held out "
        f"(encode + fit {time.perf_counter() - started:.1f} s, fit {fit_s:.2f} s)"
    )
    print(f"  {'model':<28} top-1   top-3")
    for label, ranked in (("logistic regression", linear), ("k-NN (k=10)", knn)):
        print(f"  {label:<28} {accuracy(ranked, sl, 1):.3f}   {accuracy(ranked, sl, 3):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from portal import demo
    from portal.extensions import db
    from proactive import meaning, tagging

    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory() as folder:
        app = throwaway_app(Path(folder), JOBS_INLINE=True, SEARCH_ENCODER_SERVICE=False)
        with app.app_context():
            demo.seed(db.session)
            db.session.commit()
            texts, labels = tagging.examples_from_database(db.session)
            evaluate("demo", texts, labels, meaning.embed_many, random.Random(args.seed))
            rng = random.Random(args.seed)
            texts, labels = generated(args.generated, rng)
            evaluate("generated", texts, labels, meaning.embed_many, rng)


if __name__ == "__main__":
    main()
