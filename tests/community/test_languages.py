"""The community in two languages: pages in the reader's, posts in their own, each member
notified in theirs (issue #15)."""

import re

import pytest
from sqlalchemy import select

from community import service
from community.models import Post, PostRevision, Thread
from portal import demo
from portal.errors import ValidationFailed
from portal.models import User
from portal.notifications import Notification
from tests.factories import make_reply, make_tag, make_thread, make_user

NBSP = "\u00a0"
FRENCH_TITLE = "Pourquoi ma box redémarre toutes les nuits ?"
FRENCH_BODY = "Depuis lundi, la box redémarre vers 3 h du matin. Je ne sais pas pourquoi."
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def french_thread(session, author=None, **fields):
    return make_thread(session, author, title=FRENCH_TITLE, body=FRENCH_BODY, **fields)


def lang_of(page: str, text: str) -> str:
    """The lang attribute of the element whose text starts with ``text``."""
    match = re.search(r'lang="([a-z]+)"[^>]*>\s*(?:<p>)?' + re.escape(text), page)
    assert match, f"no element with a lang attribute holds {text!r}"
    return match.group(1)


def test_a_post_is_in_the_language_its_author_chose_or_its_words_tell(db):
    thread = french_thread(db.session)
    assert thread.question.language == thread.language == "fr"
    english = make_reply(db.session, thread, body="Did you check the firmware update?")
    short = make_reply(db.session, thread, body="+1")  # no words to tell: the thread's
    chosen = service.reply(db.session, make_user(db.session), thread, body="OK", language="en")
    assert (english.language, short.language, chosen.language) == ("en", "fr", "en")
    asked = make_thread(db.session, title="My router restarts every night", body="Why?")
    assert asked.language == "en"
    with pytest.raises(ValidationFailed) as refused:
        service.reply(db.session, thread.author, thread, body="Hallo", language="de")
    assert refused.value.field == "language"


def test_correcting_a_language_is_no_new_version(db):
    thread = make_thread(db.session, body="Merci")  # detected as the author's language
    question = thread.question
    assert service.edit_post(db.session, thread.author, question, body=question.body, language="fr")
    assert question.language == "fr" and question.edited_at is None
    assert db.session.scalars(select(PostRevision)).all() == []
    assert not service.edit_post(db.session, thread.author, question, body=question.body)
    service.edit_post(db.session, thread.author, question, body=FRENCH_BODY + " Aidez-moi.")
    assert question.language == "fr" and len(question.revisions) == 1  # kept: None


def test_a_thread_page_speaks_the_readers_language_and_marks_each_post(client, db):
    thread = french_thread(db.session)
    make_reply(db.session, thread, body="Have you tried turning off the nightly update?")
    db.session.commit()

    english = client.get(f"/community/threads/{thread.id}").get_data(as_text=True)
    assert '<html lang="en">' in english and "Sign in to reply." in english
    assert lang_of(english, "Depuis lundi") == "fr"  # a French post in an English page
    assert lang_of(english, FRENCH_TITLE) == "fr"
    assert lang_of(english, "Have you tried") == "en"

    french = client.get(f"/community/threads/{thread.id}", headers=FRENCH)
    page = french.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Connectez-vous pour répondre." in page and "Sign in to reply." not in page
    assert "Posée par" in page and "Réponse publiée par" in page and "1 réponse" in page
    assert lang_of(page, "Have you tried") == "en"  # an English reply in a French page


def test_the_list_filters_by_language_and_keeps_the_filter(client, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "THREADS_PER_PAGE", 1)
    tag = make_tag(db.session, "Box")
    french_thread(db.session, tags=[tag])
    make_thread(db.session, title="Box lights blink orange at night", tags=[tag])
    make_thread(db.session, title="Box restarts when the phone rings", tags=[tag])
    db.session.commit()

    page = client.get("/community/?language=fr").get_data(as_text=True)
    assert FRENCH_TITLE in page and "blink orange" not in page
    assert 'aria-current="page">Français' in page.replace(' lang="fr"', "")
    assert '<span class="count">1</span>' in page  # the tabs count French threads only
    english = client.get("/community/tags/box?language=en&filter=unanswered")
    text = english.get_data(as_text=True)
    assert FRENCH_TITLE not in text and "Page 1 of 2" in text
    next_page = re.search(r'href="([^"]*page=2[^"]*)"', text).group(1).replace("&amp;", "&")
    assert "language=en" in next_page and "filter=unanswered" in next_page
    assert 'name="language" value="en"' in text  # the sort form keeps it too
    everything = client.get("/community/?language=xx").get_data(as_text=True)
    assert "Page 1 of 3" in everything  # an unknown language: every language


def test_each_member_reads_the_reply_notification_in_their_language(db):
    asker = make_user(db.session, "amelie", display_name="Amélie", locale="fr")
    follower = make_user(db.session, "grace", display_name="Grace", locale="en")
    thread = french_thread(db.session, asker)
    make_reply(db.session, thread, follower, body="Same here since Monday.")
    db.session.commit()
    replier = make_user(db.session, "sam", display_name="Sam")
    make_reply(db.session, thread, replier, body="Une mise à jour est en cours, patience.")
    db.session.commit()  # the notification job runs after the commit (inline in tests)

    def said_to(user, kind):
        query = select(Notification.message).where(
            Notification.user_id == user.id,
            Notification.kind == kind,
            Notification.actor_id == replier.id,
        )
        return db.session.scalars(query).all()

    assert said_to(asker, "reply") == [
        f"Sam a répondu à votre question «{NBSP}{FRENCH_TITLE}{NBSP}»"
    ]
    assert said_to(follower, "followed_thread") == [f"Sam replied in “{FRENCH_TITLE}”"]


def test_the_demo_members_who_write_french_read_french(db):
    demo.seed(db.session)
    db.session.commit()
    locales = dict(db.session.execute(select(User.username, User.locale)).all())
    assert {name for name, locale in locales.items() if locale == "fr"} >= {
        "amelie", "hugo", "leo",
    }  # fmt: skip
    assert locales["marta"] is None
    french = db.session.scalar(select(Thread).where(Thread.title.startswith("Pourquoi ma facture")))
    assert french.language == "fr" and {post.language for post in french.posts} == {"fr"}
    # A reply in French in an English thread, declared in its file.
    hugo = db.session.scalar(
        select(Post)
        .join(User, User.id == Post.author_id)
        .where(User.username == "hugo", Post.body.startswith("Pour moi ça a pris"))
    )
    assert hugo.language == "fr" and hugo.thread.language == "en"
