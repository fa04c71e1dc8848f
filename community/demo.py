"""The Brightwave demo community: threads, replies, votes, solutions and reputation.

The texts live in demo_data/threads/, one Markdown file per thread (read by
demo_threads.py), written for this project. Rows are built directly (not through the
services) so that their dates can lie in the past and seeding sends no notifications or
e-mail; reputation rows are written with the votes they stand for.
Idempotent: a thread whose title exists already (or its former title, ``formerly:`` in its
file) is skipped, so a second run adds nothing and an older demo database gets only the
threads it lacks.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community import listing
from community.demo_threads import demo_threads
from community.models import (
    AcceptedSolution,
    Post,
    PostRevision,
    ReputationEvent,
    TagFollow,
    Thread,
    ThreadFollow,
    Vote,
)
from portal import demo as portal_demo
from portal import events
from portal import service as portal_service
from portal.database import utcnow
from portal.models import User
from portal.permissions import Role

# Community regulars beyond the portal's demo users: username, display name, bio.
COMMUNITY_MEMBERS = [
    ("marta", "Marta Silva", "Network engineer by day, answers Wi-Fi questions by night."),
    ("ben", "Ben Carter", "Runs a small office on Brightwave Business fibre."),
    ("yuki", "Yuki Tanaka", "Smart-home fan: cameras, sensors, automations."),
    ("amelie", "Amélie Dubois", "Cliente depuis 2019, je réponds volontiers en français."),
    ("tomasz", "Tomasz Nowak", "Plays online games; cares about ping more than speed."),
    ("fatima", "Fatima Zahra", "Freelance translator working from a flat full of gadgets."),
    ("hugo", "Hugo Lefèvre", "Bricoleur à Nantes, installe tout lui-même."),
    ("grace", "Grace Kim", "New to smart-home things, learning as I go."),
    ("leo", "Léo Fontaine", "Étudiant, colocation à quatre sur une seule box."),
]
# The regulars who write in French read the portal in French too.
MEMBER_LOCALES = {"amelie": "fr", "hugo": "fr", "leo": "fr"}


def seed_members(session: Session, users: dict[str, User]) -> dict[str, User]:
    for username, display_name, bio in COMMUNITY_MEMBERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = portal_service.register_user(
                session,
                username=username,
                email=f"{username}@demo.brightwave.example",
                password=portal_demo.DEMO_PASSWORD,
            )
            user.display_name, user.bio = display_name, bio
            user.locale = MEMBER_LOCALES.get(username)
            user.created_at = portal_demo.demo_joined_at(username)
        users[username] = user
    return users


def voters_for(users: dict[str, User], author: str, count: int, offset: int) -> list[User]:
    """A stable, varied set of voters that never includes the author."""
    pool = [user for name, user in sorted(users.items()) if name != author]
    return [pool[(offset + i) % len(pool)] for i in range(min(count, len(pool)))]


def add_votes(session, users, post, author, ups, downs, at, offset) -> None:
    config = current_app.config
    up_points = config[
        "REPUTATION_QUESTION_UPVOTE" if post.is_question else "REPUTATION_ANSWER_UPVOTE"
    ]
    voters = voters_for(users, author, ups + downs, offset)
    for index, voter in enumerate(voters):
        value = 1 if index < ups else -1
        when = at + timedelta(hours=2 + index * 5)
        session.add(Vote(post_id=post.id, user_id=voter.id, value=value, created_at=when))
        points = up_points if value > 0 else config["REPUTATION_DOWNVOTE"]
        reason = "upvote" if value > 0 else "downvote"
        session.add(
            ReputationEvent(
                user_id=post.author_id, points=points, reason=reason, post_id=post.id,
                created_at=when,
            )
        )  # fmt: skip
    post.score = ups - downs


def seed_thread(session, users, tags, number, item) -> None:
    now = utcnow()
    asked_at = now - timedelta(hours=item.hours_ago)
    author = users[item.author]
    thread = Thread(
        title=item.title,
        author=author,
        created_at=asked_at,
        last_activity_at=asked_at,
        tags=[tags[slug] for slug in item.tags],
    )
    session.add(thread)
    question = Post(
        thread=thread, author=author, is_question=True, body=item.body, language=item.lang
    )
    question.created_at = asked_at
    session.add(question)
    posts = []
    for answer in item.replies:
        # Replies arrive over the first hours and days, never in the future.
        at = min(asked_at + timedelta(hours=answer.after_hours), now - timedelta(minutes=5))
        post = Post(
            thread=thread,
            author=users[answer.author],
            body=answer.body,
            language=answer.lang or item.lang,
            created_at=at,
        )
        session.add(post)
        thread.last_activity_at = at
        posts.append(post)
    session.flush()  # one flush per thread gives every post its id; the rest follows in bulk
    session.add(ThreadFollow(user_id=author.id, thread_id=thread.id))
    add_votes(session, users, question, item.author, item.up, 0, asked_at, number)
    followers = {author.id}
    for index, (answer, post) in enumerate(zip(item.replies, posts, strict=True)):
        add_votes(
            session, users, post, answer.author, answer.up, answer.down, post.created_at,
            number + index,
        )  # fmt: skip
        if post.author_id not in followers:
            followers.add(post.author_id)
            session.add(ThreadFollow(user_id=post.author_id, thread_id=thread.id))
    thread.reply_count = len(posts)
    if item.solved is not None:
        solution = posts[item.solved]
        accepted_at = solution.created_at + timedelta(hours=3)
        accepted_at = min(accepted_at, now - timedelta(minutes=1))
        session.add(
            AcceptedSolution(
                thread_id=thread.id,
                post_id=solution.id,
                accepted_by_id=author.id,
                accepted_at=accepted_at,
            )
        )
        if solution.author_id != author.id:
            session.add(
                ReputationEvent(
                    user_id=solution.author_id,
                    points=current_app.config["REPUTATION_ACCEPTED_SOLUTION"],
                    reason="solution_accepted",
                    post_id=solution.id,
                    created_at=accepted_at,
                )
            )
    if item.edited_from:
        session.add(
            PostRevision(
                post=question,
                previous_title=item.title,
                previous_body=item.edited_from,
                editor_id=author.id,
                edited_at=asked_at + timedelta(minutes=20),
            )
        )
        question.edited_at, question.edited_by_id = asked_at + timedelta(minutes=20), author.id
    if item.locked:
        thread.locked_at, thread.locked_by_id = asked_at + timedelta(days=1), users["morgan"].id
    return thread


def promote_by_reputation(session: Session) -> None:
    """Community regulars the demo made reputable become super-users, as the live rule would.

    The promotion is announced like a live one (``user.role_changed``, which the audit log
    records), so the dashboard's "new super-users" counts it; no notification is sent.
    The portal's demo customers (jordan, emma…) keep the role README.md gives them, so that
    trying the portal "as a customer" stays possible whatever points their questions won.
    """
    threshold = current_app.config["SUPERUSER_REPUTATION_THRESHOLD"]
    regulars = [username for username, _, _ in COMMUNITY_MEMBERS]
    totals = session.execute(
        select(ReputationEvent.user_id, func.sum(ReputationEvent.points))
        .join(User, User.id == ReputationEvent.user_id)
        .where(User.username.in_(regulars))
        .group_by(ReputationEvent.user_id)
    )
    for user_id, points in totals:
        user = session.get(User, user_id)
        if points >= threshold and user.role == Role.CUSTOMER.value:
            user.role = Role.SUPERUSER.value
            events.publish(
                "user.role_changed",
                actor=None,
                user=user,
                old_role=Role.CUSTOMER.value,
                new_role=user.role,
            )


def seed_community(sender, *, session: Session, users: dict, tags: dict, **data) -> None:
    """Add the demo threads that are missing (by title); a second run does nothing."""
    everything = demo_threads()  # in seeding order: the order picks each thread's voters
    existing = set(session.scalars(select(Thread.title)))
    missing = [item for item in everything if {item.title, item.formerly}.isdisjoint(existing)]
    if not missing:
        return
    users = seed_members(session, dict(users))
    threads = {}
    missing_titles = {item.title for item in missing}
    for number, item in enumerate(everything):
        if item.title in missing_titles:
            threads[item.title] = seed_thread(session, users, tags, number, item)
    for item in missing:
        original = item.duplicate_of and (
            threads.get(item.duplicate_of)
            or session.scalar(select(Thread).where(Thread.title == item.duplicate_of))
        )
        if original:
            copy = threads[item.title]
            copy.duplicate_of, copy.closed_by_id = original, users["priya"].id
            copy.closed_at = copy.created_at + timedelta(hours=6)
    followed = {tuple(row) for row in session.execute(select(TagFollow.user_id, TagFollow.tag_id))}
    for username, slug in [("priya", "wi-fi"), ("lucas", "thermostat"), ("yuki", "cameras"),
                           ("marta", "router"), ("jordan", "outages")]:  # fmt: skip
        if (users[username].id, tags[slug].id) not in followed:
            session.add(TagFollow(user_id=users[username].id, tag_id=tags[slug].id))
    session.flush()
    for thread in threads.values():  # written as rows: the lists' columns follow them here
        listing.refresh(session, thread)
    promote_by_reputation(session)
