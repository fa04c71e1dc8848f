"""Demo moderation: watched terms, held and reported posts, an appeal — a realistic queue.

The posts go through the real services (community replies, the rules, reports), so the
queue shows exactly what a live site would. Idempotent: the demo spammer's account marks
the work as done. The rules' reasons are stored as the catalog's messages and shown in
each reader's language; what the demo's people write themselves (the moderator's reason,
a report's note, the appeal) is written in the site's default language when seeded.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from community import demo as community_demo
from community import service as community_service
from community.models import Thread
from moderation import actions, appeals, audit, flags, queue, terms
from portal import demo as portal_demo
from portal import service as portal_service
from portal.i18n import N_
from portal.models import User

SPAMMER = "deal-hunter-88"
NEWCOMER = "sara-k"

WATCHED = [
    ("scam", False, True, "block"),
    (r"free\s+(iphone|ipad|gift\s*card)s?", True, False, "hold"),
    ("lawyer", False, True, "flag"),
]

SPAM = (
    "Tired of slow internet? I switched to a better deal, 80% cheaper! "
    "See https://cheap-fibre-deals.example and https://cheap-fibre-deals.example/promo "
    "and www.bestrouterdeals.example today."
)


def _new_member(session: Session, username: str, display_name: str) -> User:
    user = portal_service.register_user(
        session,
        username=username,
        email=f"{username}@demo.brightwave.example",
        password=portal_demo.DEMO_PASSWORD,
    )
    user.display_name = display_name
    return user


def seed_moderation(sender, *, session: Session, users: dict, tags: dict, **data) -> None:
    """Add the demo queue once, after the community threads exist."""
    if session.scalar(select(User.id).where(User.username == SPAMMER)) is not None:
        return
    # Subscribers of one event run in no set order: make sure the threads exist first.
    community_demo.seed_community(sender, session=session, users=users, tags=tags)
    threads = list(session.scalars(select(Thread).order_by(Thread.id).limit(12)))
    if len(threads) < 6 or "ada" not in users or "morgan" not in users:
        return
    admin, moderator = users["ada"], users["morgan"]
    for term, is_regex, whole_word, action in WATCHED:
        terms.add_term(
            session, admin, term=term, is_regex=is_regex, whole_word=whole_word, action=action
        )
    spammer = _new_member(session, SPAMMER, "Deal Hunter")
    newcomer = _new_member(session, NEWCOMER, "Sara K.")
    open_threads = [t for t in threads if t.accepts_replies]

    # Held by the rules: links from a new account, then the same text in another thread.
    community_service.reply(session, spammer, open_threads[0], body=SPAM)
    community_service.reply(session, spammer, open_threads[1], body=SPAM)
    # Held: a newcomer shows her phone number and e-mail address in public.
    community_service.reply(
        session,
        newcomer,
        open_threads[2],
        body="Same here since Tuesday. Call me on 06 12 34 56 78 or write to "
        "sara.k@example.com and I will tell you what the technician said.",
    )
    # Published but flagged by a watched word (jordan has visible posts, so no hold).
    community_service.reply(
        session,
        users["jordan"],
        open_threads[3],
        body="If they keep billing you for a dead line, talk to a lawyer about it.",
    )
    # Reported by members: two reports (below the threshold) on a rude reply ...
    rude = community_service.reply(
        session,
        users["oliver"],
        open_threads[4],
        body="Honestly, if you cannot read the manual you should not own a router.",
    )
    flags.flag_post(session, users["emma"], rude, category="abusive")
    flags.flag_post(
        session,
        users["karim"],
        rude,
        category="other",
        note=audit.site_text(session, N_("Condescending to a new customer.")),
    )
    # ... and a reply a super-user reported as spam: hidden at once, pending review.
    advert = community_service.reply(
        session,
        users["chloe"],
        open_threads[5],
        body="Mon cousin vend des répéteurs Wi-Fi pas chers, écrivez-lui sur son site !",
    )
    flags.flag_post(session, users["priya"], advert, category="spam")
    # A removal under appeal.
    off_topic = community_service.reply(
        session,
        users["karim"],
        open_threads[0],
        body="Does anyone know a good pizza place near the Lyon office?",
    )
    flags.flag_post(session, users["lucas"], off_topic, category="off_topic")
    item = queue.item_for(session, off_topic)
    actions.remove(
        session,
        moderator,
        item,
        item.revision,
        how="hide",
        reason=audit.site_text(session, N_("Off-topic here: this thread is about the router.")),
    )
    appeals.appeal(
        session,
        users["karim"],
        off_topic,
        message=audit.site_text(
            session,
            N_("It was a joke between regulars, but I understand. Could it be restored?"),
        ),
    )
    session.flush()
