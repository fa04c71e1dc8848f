"""A synthetic Stack Exchange-format dump, for timing `flask transfer import-stackexchange`.

    PYTHONPATH=. .venv/bin/python bench/stackexchange_dump.py /tmp/se_bench 2000 6000 1000

Arguments: the folder to write, questions, answers (spread evenly over the questions), users.
Every other question has an accepted answer, every answer an anonymous up-vote (as in
public dumps: kept as a count). Words drawn from a fixed list with a fixed seed: the same
files every time. Made up here, not a real dump. docs/benchmarks.md has the protocol.
"""

import random
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

WORDS = [
    "router",
    "wifi",
    "mesh",
    "firmware",
    "signal",
    "channel",
    "modem",
    "fibre",
    "cable",
    "outage",
    "billing",
    "invoice",
    "password",
    "reset",
    "speed",
    "latency",
    "dns",
    "port",
    "forward",
    "guest",
    "network",
]
WHEN = "2022-01-01T00:00:00.000"


def text(rnd: random.Random, count: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(count))


def row(**attributes) -> str:
    """One <row/> line, every value quoted and escaped."""
    values = " ".join(f"{name}={quoteattr(str(value))}" for name, value in attributes.items())
    return f"  <row {values} />\n"


def write_dump(folder: Path, questions: int, answers: int, users: int) -> None:
    rnd = random.Random(1)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "Users.xml", "w") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<users>\n')
        for user in range(1, users + 1):
            about = f"<p>{text(rnd, 8)}</p>"
            out.write(row(Id=user, CreationDate=WHEN, DisplayName=f"User {user}", AboutMe=about))
        out.write("</users>\n")
    with open(folder / "Tags.xml", "w") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<tags>\n')
        for number, word in enumerate(WORDS, 1):
            out.write(row(Id=number, TagName=word, Count=1))
        out.write("</tags>\n")
    per_question = answers // questions
    with open(folder / "Posts.xml", "w") as posts, open(folder / "Votes.xml", "w") as votes:
        posts.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        votes.write('<?xml version="1.0" encoding="utf-8"?>\n<votes>\n')
        post_id = vote_id = 0
        for number in range(questions):
            post_id += 1
            question = post_id
            replies = list(range(post_id + 1, post_id + 1 + per_question))
            accepted = {"AcceptedAnswerId": replies[0]} if replies and number % 2 == 0 else {}
            posts.write(
                row(
                    Id=question, PostTypeId=1, **accepted, CreationDate=WHEN, Score=3,
                    Body=f"<p>{text(rnd, 60)}</p><ul><li>{text(rnd, 5)}</li></ul>",
                    OwnerUserId=rnd.randint(1, users), LastActivityDate=WHEN,
                    Title=f"How do I fix {text(rnd, 6)}",
                    Tags="".join(f"<{tag}>" for tag in rnd.sample(WORDS, 3)),
                )
            )  # fmt: skip
            for answer in replies:
                post_id += 1
                posts.write(
                    row(
                        Id=answer, PostTypeId=2, ParentId=question, CreationDate=WHEN, Score=1,
                        Body=f"<p>{text(rnd, 50)}</p><pre><code>{text(rnd, 4)}</code></pre>",
                        OwnerUserId=rnd.randint(1, users),
                    )
                )  # fmt: skip
                vote_id += 1
                votes.write(row(Id=vote_id, PostId=answer, VoteTypeId=2, CreationDate=WHEN))
        posts.write("</posts>\n")
        votes.write("</votes>\n")


if __name__ == "__main__":
    write_dump(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
