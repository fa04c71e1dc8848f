"""Seed FlaskBB 2.0.2 like the portal's page benchmark: the same threads as topics.

    # after ../shared/peers/RECIPE_flaskbb.sh up to `flaskbb install` (PEERS=/work/bench-data/peers)
    $PEERS/flaskbb-venv/bin/python bench/flaskbb_seed.py --site $PEERS/flaskbb-site --topics 100000
    cd $PEERS/flaskbb-site && $PEERS/flaskbb-venv/bin/flaskbb --config flaskbb.cfg reindex

Runs in FlaskBB's own virtualenv and writes FlaskBB's own tables (never copied into the
project): the text of bench/pages_text.py, each thread a topic in forum 1 whose first
post is the question and whose other posts are the replies, by the same member names.
FlaskBB's ORM seeding takes ~440 s per 2,000 topics, so rows are bulk-inserted with the
counters FlaskBB's Post.save and Topic.save keep: topic post_count, first and last post,
last_updated; the forum's post and topic counts and last post; each user's post_count.
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_text  # noqa: E402

MEMBERS, AGENTS = 300, 12  # as bench/pages.py
CHUNK = 5000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="the recipe's flaskbb-site")
    parser.add_argument("--topics", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(args.site))
    from flaskbb.extensions import db
    from flaskbb.forum.models import Forum, Post, Topic
    from flaskbb.user.models import User
    from werkzeug.security import generate_password_hash

    from wsgi import app  # the recipe's FlaskBB app (its flaskbb.cfg)

    started = time.time()
    with app.app_context():
        if Topic.query.count() > 1:
            sys.exit(
                "FlaskBB holds topics already: run the recipe's `flaskbb install --force` first"
            )
        forum = Forum.query.get(1)
        member_group = 4  # FlaskBB's "Member" group
        password = generate_password_hash("brightwave-demo")  # one hash for all, as the portal
        names = ["reader"] + [f"member-{n:03d}" for n in range(1, MEMBERS + 1)]
        names += [f"agent-{n:02d}" for n in range(1, AGENTS + 1)]
        joined = datetime.utcnow() - timedelta(days=800)
        db.session.execute(
            User.__table__.insert(),
            [{"username": name, "email": f"{name}@example.com", "password": password,
              "date_joined": joined, "login_attempts": 0, "activated": True, "post_count": 0,
              "primary_group_id": member_group, "language": "en", "theme": "aurora"}
             for name in names],
        )  # fmt: skip
        ids = {u.username: u.id for u in User.query.filter(User.username.in_(names))}
        members = [ids[f"member-{n:03d}"] for n in range(1, MEMBERS + 1)]
        agents = [ids[f"agent-{n:02d}"] for n in range(1, AGENTS + 1)]
        by_id = {v: k for k, v in ids.items()}
        user_posts = dict.fromkeys(ids.values(), 0)

        rng = random.Random(5)
        end = datetime.utcnow() - timedelta(days=3)
        step = timedelta(days=700) / args.topics
        topic_id = db.session.query(db.func.max(Topic.id)).scalar()
        post_id = db.session.query(db.func.max(Post.id)).scalar()
        topics, posts = [], []
        last = None  # (post id, user id, title, username, date) of the newest post
        for number, title, _tags, question, replies in pages_text.threads(args.topics):
            topic_id += 1
            created = end - timedelta(days=700) + number * step
            asker = ids["reader"] if number % 50 == 0 else rng.choice(members)
            first = post_id + 1
            moment, authors = created, [asker]
            posts.append(
                {"id": first, "topic_id": topic_id, "user_id": asker, "username": by_id[asker],
                 "content": question, "date_created": created, "hidden": False}
            )  # fmt: skip
            for body in replies:
                moment += timedelta(minutes=rng.randint(5, 600))
                author = rng.choice(agents) if rng.random() < 0.3 else rng.choice(members)
                authors.append(author)
                posts.append(
                    {"id": first + len(authors) - 1, "topic_id": topic_id, "user_id": author,
                     "username": by_id[author], "content": body, "date_created": moment,
                     "hidden": False}
                )  # fmt: skip
            post_id = first + len(authors) - 1
            for author in authors:
                user_posts[author] += 1
            topics.append(
                {"id": topic_id, "forum_id": 1, "title": title, "user_id": asker,
                 "username": by_id[asker], "date_created": created, "last_updated": moment,
                 "locked": False, "important": False, "views": 0, "post_count": len(authors),
                 "first_post_id": first, "last_post_id": post_id, "hidden": False}
            )  # fmt: skip
            if last is None or moment > last[4]:
                last = (post_id, authors[-1], title, by_id[authors[-1]], moment)
            if len(topics) == CHUNK:
                db.session.execute(Topic.__table__.insert(), topics)
                db.session.execute(Post.__table__.insert(), posts)
                topics, posts = [], []
                print(f"  {number + 1} topics, {time.time() - started:.0f} s", flush=True)
        if topics:
            db.session.execute(Topic.__table__.insert(), topics)
            db.session.execute(Post.__table__.insert(), posts)
        for user_id, count in user_posts.items():
            if count:
                db.session.execute(
                    User.__table__.update().where(User.id == user_id).values(post_count=count)
                )
        forum.topic_count = Topic.query.filter_by(forum_id=1).count()
        forum.post_count = (
            Post.query.join(Topic, Post.topic_id == Topic.id).filter(Topic.forum_id == 1).count()
        )
        forum.last_post_id, forum.last_post_user_id, forum.last_post_title = last[:3]
        forum.last_post_username, forum.last_post_created = last[3:]
        db.session.commit()
        print(
            f"topics {Topic.query.count()} posts {Post.query.count()} users {User.query.count()}"
            f" in {time.time() - started:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
