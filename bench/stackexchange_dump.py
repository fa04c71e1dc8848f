"""A synthetic Stack Exchange-format dump, for timing `flask transfer import-stackexchange`.

    PYTHONPATH=. .venv/bin/python bench/stackexchange_dump.py /tmp/se_bench 2000 6000 1000

Arguments: the folder to write, questions, answers (spread evenly over the questions), users.
Every other question has an accepted answer, every answer an anonymous up-vote (as in
public dumps: kept as a count). Words drawn from a fixed list with a fixed seed: the same
files every time. Made up here, not a real dump. docs/benchmarks.md has the protocol.
"""

import random, sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
Q, A, U = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(1)
words = "router wifi mesh firmware signal channel modem fibre cable outage billing invoice password reset speed latency dns port forward guest network".split()


def text(n):
    return " ".join(rnd.choice(words) for _ in range(n))


with open(out / "Users.xml", "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<users>\n')
    for i in range(1, U + 1):
        f.write(
            f'  <row Id="{i}" CreationDate="2020-01-01T00:00:00.000" DisplayName={quoteattr("User " + str(i))} AboutMe={quoteattr("<p>" + text(8) + "</p>")} />\n'
        )
    f.write("</users>\n")
with open(out / "Tags.xml", "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<tags>\n')
    for i, w in enumerate(words, 1):
        f.write(f'  <row Id="{i}" TagName="{w}" Count="1" />\n')
    f.write("</tags>\n")
with open(out / "Posts.xml", "w") as f, open(out / "Votes.xml", "w") as v:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
    v.write('<?xml version="1.0" encoding="utf-8"?>\n<votes>\n')
    pid, vid = 0, 0
    per = A // Q
    for q in range(Q):
        pid += 1
        qid = pid
        tags = "".join(f"&lt;{t}&gt;" for t in rnd.sample(words, 3))
        answers = list(range(pid + 1, pid + 1 + per))
        acc = f' AcceptedAnswerId="{answers[0]}"' if answers and q % 2 == 0 else ""
        f.write(
            f'  <row Id="{qid}" PostTypeId="1"{acc} CreationDate="2022-01-01T00:00:00.000" Score="3" Body={quoteattr("<p>" + text(60) + "</p><ul><li>" + text(5) + "</li></ul>")} OwnerUserId="{rnd.randint(1, U)}" LastActivityDate="2022-01-02T00:00:00.000" Title={quoteattr("How do I fix " + text(6))} Tags="{tags}" />\n'
        )
        for a in answers:
            pid += 1
            f.write(
                f'  <row Id="{a}" PostTypeId="2" ParentId="{qid}" CreationDate="2022-01-01T01:00:00.000" Score="1" Body={quoteattr("<p>" + text(50) + "</p><pre><code>" + text(4) + "</code></pre>")} OwnerUserId="{rnd.randint(1, U)}" />\n'
            )
            vid += 1
            v.write(
                f'  <row Id="{vid}" PostId="{a}" VoteTypeId="2" CreationDate="2022-01-03T00:00:00.000" />\n'
            )
    f.write("</posts>\n")
    v.write("</votes>\n")
