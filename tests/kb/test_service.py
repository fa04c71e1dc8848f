"""Knowledge-base rules, without HTTP."""

import pytest
from sqlalchemy import update

from kb import feedback, queries, service, suggestions
from kb.diff import diff_items
from kb.models import Article, ArticleStatus, RevisionState
from portal import events
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.permissions import Role
from tests.factories import make_article, make_tag, make_user

received = []


def record(sender, **data):
    received.append(data)


@pytest.fixture(autouse=True)
def kb_events():
    received.clear()
    names = ["kb.article_published", "kb.article_updated", "kb.article_archived"]
    for name in names:
        events.subscribe(name, record)
    yield
    for name in names:
        events.unsubscribe(name, record)


@pytest.fixture
def agent(db):
    return make_user(db.session, role=Role.AGENT)


@pytest.fixture
def tag(db):
    return make_tag(db.session, "Wi-Fi")


def edit(db, actor, article, **changes):
    fields = {
        "base_version": article.version,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "tag_slugs": [t.slug for t in article.tags],
        **changes,
    }
    return service.update_article(db.session, actor, article, **fields)


def test_create_makes_a_draft_with_its_first_revision(db, agent, tag):
    article = make_article(
        db.session, agent, "Change your Wi-Fi channel", tags=[tag], publish=False
    )
    assert article.slug == "change-your-wi-fi-channel" and article.status == ArticleStatus.DRAFT
    assert article.version == 1 and article.published_at is None
    (first,) = service.history(db.session, article)
    assert (first.number, first.note_text, first.tag_slugs) == (1, "First version", "wi-fi")


def test_slug_collisions_get_a_suffix_and_reserved_words_are_avoided(db, agent, tag):
    first = make_article(db.session, agent, "Router lights", tags=[tag])
    second = make_article(db.session, agent, "Router  lights!", tags=[tag])
    reserved = make_article(db.session, agent, "New", tags=[tag])
    assert (first.slug, second.slug, reserved.slug) == ("router-lights", "router-lights-2", "new-2")


def test_rename_keeps_the_old_slug_as_a_redirect(db, agent, tag):
    article = make_article(db.session, agent, "Hub lights", tags=[tag])
    edit(db, agent, article, title="What the hub lights mean")
    assert article.slug == "what-the-hub-lights-mean"
    assert queries.find_article(db.session, "hub-lights") == (article, True)
    # Nobody else can take the old slug while it redirects.
    assert make_article(db.session, agent, "Hub lights", tags=[tag]).slug == "hub-lights-2"
    edit(db, agent, article, title="Hub lights")  # renamed back: the slug is reclaimed
    assert article.slug == "hub-lights"
    assert queries.find_article(db.session, "what-the-hub-lights-mean") == (article, True)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": " \n "}, "body"),
        ({"body": "é" * 110_000}, "body"),  # 220 kB of UTF-8
        ({"summary": "s" * 301}, "summary"),
        ({"tag_slugs": []}, "tags"),
        ({"tag_slugs": ["no-such-topic"]}, "tags"),
        ({"note": "n" * 301}, "note"),
    ],
)
def test_bad_input_is_refused_with_the_field(db, agent, tag, changes, field):
    article = make_article(db.session, agent, tags=[tag])
    with pytest.raises(ValidationFailed) as error:
        edit(db, agent, article, **changes)
    assert error.value.field == field


def test_huge_body_error_says_the_limit(db, agent, tag):
    with pytest.raises(ValidationFailed, match="at most 200 kB"):
        make_article(db.session, agent, body="x" * 210_000, tags=[tag])


def test_at_most_five_tags(db, agent):
    tags = [make_tag(db.session) for _ in range(6)]
    with pytest.raises(ValidationFailed, match="1 to 5 tags"):
        make_article(db.session, agent, tags=tags)


def test_only_writers_write(db, tag):
    for role in (Role.CUSTOMER, Role.SUPERUSER, Role.MODERATOR):
        with pytest.raises(PermissionDenied):
            make_article(db.session, make_user(db.session, role=role), tags=[tag])


def test_every_save_is_a_revision_and_unchanged_saves_are_not(db, agent, tag):
    article = make_article(db.session, agent, tags=[tag])
    revision = edit(db, agent, article, body="New text\n", note="Simpler")
    assert (revision.number, revision.note, article.version) == (2, "Simpler", 2)
    assert edit(db, agent, article) is None
    assert [r.number for r in service.history(db.session, article)] == [2, 1]


def test_stale_base_conflicts_and_overwrites_nothing(db, agent, tag):
    article = make_article(db.session, agent, tags=[tag])
    other = make_user(db.session, role=Role.AGENT)
    edit(db, other, article, body="Their text\n")
    with pytest.raises(service.StaleEdit) as conflict:
        edit(db, agent, article, base_version=1, body="My text\n")
    assert conflict.value.current.number == 2 and conflict.value.current.author_id == other.id
    assert article.body == "Their text\n" and article.version == 2


def test_crlf_from_browsers_is_normalised(db, agent, tag):
    article = make_article(db.session, agent, body="a\r\nb\r\n", tags=[tag])
    assert article.body == "a\nb\n"


def test_publish_archive_and_their_events(db, agent, tag):
    article = make_article(db.session, agent, tags=[tag], publish=False)
    service.publish_article(db.session, agent, article)
    # In the transaction, with its session: search's feed row commits with the change.
    assert [event["article_id"] for event in received] == [article.id]
    assert received[0]["session"] is db.session
    edit(db, agent, article, body="Updated\n")
    service.archive_article(db.session, agent, article)
    db.session.commit()
    assert len(received) == 3 and article.status == ArticleStatus.ARCHIVED
    with pytest.raises(Conflict):
        service.archive_article(db.session, agent, article)
    service.publish_article(db.session, agent, article)
    with pytest.raises(Conflict):
        service.publish_article(db.session, agent, article)


def test_drafts_are_not_found_for_readers(db, agent, tag):
    draft = make_article(db.session, agent, "Draft", tags=[tag], publish=False)
    customer = make_user(db.session)
    with pytest.raises(NotFound):
        queries.readable_article(db.session, customer, draft.slug)
    with pytest.raises(NotFound):
        queries.readable_article(db.session, None, draft.slug)
    assert queries.readable_article(db.session, agent, draft.slug) == (draft, False)


def test_restore_creates_a_new_revision_with_old_text_and_tags(db, agent, tag):
    article = make_article(db.session, agent, "Original", body="v1\n", tags=[tag])
    billing = make_tag(db.session, "Billing")
    edit(db, agent, article, title="Changed", body="v2\n", tag_slugs=["billing"])
    restored = service.restore_revision(db.session, agent, article, 1)
    assert (restored.number, restored.note_text) == (3, "Restored revision 1")
    assert (article.title, article.body, article.slug) == ("Original", "v1\n", "original")
    assert [t.slug for t in article.tags] == ["wi-fi"] and billing not in article.tags
    with pytest.raises(Conflict):
        service.restore_revision(db.session, agent, article, 3)
    with pytest.raises(NotFound):
        service.restore_revision(db.session, agent, article, 9)


def test_suggested_edit_is_pending_until_an_agent_accepts(db, agent, tag):
    article = make_article(db.session, agent, body="Reboot.\n", tags=[tag])
    priya = make_user(db.session, "priya", role=Role.SUPERUSER)
    suggestion = suggestions.suggest_edit(
        db.session,
        priya,
        article,
        base_version=1,
        title=article.title,
        summary="",
        body="Reboot, then wait two minutes.\n",
        note="Add the wait",
    )
    assert suggestion.state == RevisionState.PENDING and suggestion.number is None
    assert article.body == "Reboot.\n" and service.history(db.session, article)[0].number == 1
    assert suggestions.pending_suggestions(db.session) == [suggestion]
    accepted = suggestions.accept_suggestion(db.session, agent, suggestion, "Thanks!")
    assert (accepted.number, accepted.author_id, accepted.reviewed_by_id) == (2, priya.id, agent.id)
    assert article.body == "Reboot, then wait two minutes.\n" and article.version == 2
    with pytest.raises(Conflict):
        suggestions.decline_suggestion(db.session, agent, suggestion)
    diff = diff_items(service.get_revision(db.session, article, 1), accepted)
    assert diff.added == 1 and diff.removed == 1


def test_suggestion_rules(db, agent, tag):
    article = make_article(db.session, agent, tags=[tag])
    draft = make_article(db.session, agent, tags=[tag], publish=False)
    priya, customer = make_user(db.session, role=Role.SUPERUSER), make_user(db.session)
    fields = {"base_version": 1, "title": "T", "summary": "", "body": "New\n", "note": "Why"}
    with pytest.raises(PermissionDenied):
        suggestions.suggest_edit(db.session, customer, article, **fields)
    with pytest.raises(PermissionDenied):
        suggestions.suggest_edit(db.session, agent, article, **fields)  # agents edit directly
    with pytest.raises(NotFound):
        suggestions.suggest_edit(db.session, priya, draft, **fields)
    with pytest.raises(ValidationFailed, match="why"):
        suggestions.suggest_edit(db.session, priya, article, **{**fields, "note": " "})
    same = {**fields, "title": article.title, "body": article.body}
    with pytest.raises(ValidationFailed, match="does not change"):
        suggestions.suggest_edit(db.session, priya, article, **same)
    suggestion = suggestions.suggest_edit(db.session, priya, article, **fields)
    with pytest.raises(PermissionDenied):
        suggestions.accept_suggestion(db.session, priya, suggestion)
    suggestions.decline_suggestion(db.session, agent, suggestion, "Already covered")
    assert suggestion.state == RevisionState.DECLINED and article.version == 1


def test_one_vote_per_user_or_anonymous_session(db, agent, tag):
    article = make_article(db.session, agent, tags=[tag])
    jordan = make_user(db.session)
    feedback.record_vote(db.session, article, user=jordan, voter_key=None, helpful=True)
    vote = feedback.record_vote(
        db.session, article, user=jordan, voter_key=None, helpful=False, comment="No 5 GHz steps"
    )
    assert (vote.helpful, vote.comment) == (False, "No 5 GHz steps")
    feedback.record_vote(db.session, article, user=None, voter_key="browser-1", helpful=True)
    feedback.record_vote(db.session, article, user=None, voter_key="browser-1", helpful=True)
    feedback.record_vote(db.session, article, user=None, voter_key="browser-2", helpful=False)
    score = feedback.helpfulness(db.session, [article.id])[article.id]
    assert (score.yes, score.no, score.percent) == (1, 2, 33)
    assert [c.comment for c in feedback.recent_comments(db.session, article)] == ["No 5 GHz steps"]
    with pytest.raises(ValidationFailed):
        feedback.record_vote(db.session, article, user=None, voter_key=None, helpful=True)
    with pytest.raises(ValidationFailed):
        feedback.record_vote(
            db.session, article, user=jordan, voter_key=None, helpful=False, comment="c" * 1001
        )


def test_no_votes_on_drafts(db, agent, tag):
    draft = make_article(db.session, agent, tags=[tag], publish=False)
    with pytest.raises(NotFound):
        feedback.record_vote(db.session, draft, user=None, voter_key="k", helpful=True)


def test_least_helpful_ranks_by_share_of_yes(db, agent, tag):
    good = make_article(db.session, agent, "Good", tags=[tag])
    bad = make_article(db.session, agent, "Bad", tags=[tag])
    few = make_article(db.session, agent, "Few votes", tags=[tag])
    for index, (article, helpful) in enumerate(
        [(good, True), (good, True), (good, False), (bad, False), (bad, False), (bad, True)]
    ):
        feedback.record_vote(db.session, article, user=None, voter_key=f"k{index}", helpful=helpful)
    feedback.record_vote(db.session, few, user=None, voter_key="k", helpful=False)
    ranked = feedback.least_helpful(db.session, min_votes=3)
    assert [(a.title, h.percent) for a, h in ranked] == [("Bad", 33), ("Good", 67)]


def test_reading_lists(db, agent):
    wifi, router, billing = make_tag(db.session), make_tag(db.session), make_tag(db.session)
    article = make_article(db.session, agent, "Main", tags=[wifi, router])
    both = make_article(db.session, agent, "Both tags", tags=[wifi, router])
    one = make_article(db.session, agent, "One tag", tags=[router])
    make_article(db.session, agent, "Unrelated", tags=[billing])
    make_article(db.session, agent, "Draft", tags=[wifi, router], publish=False)
    assert queries.related_articles(db.session, article) == [both, one]
    queries.count_view(db.session, one)
    db.session.expire_all()
    assert queries.popular_articles(db.session, 1) == [one]
    assert queries.articles_tagged(db.session, router)[0] == one
    counts = {t.id: n for t, n in queries.tags_with_counts(db.session)}
    assert (counts[wifi.id], counts[router.id], counts[billing.id]) == (2, 3, 1)
    assert len(queries.sitemap_entries(db.session)) == 4


def test_simultaneous_saves_on_the_same_base_cannot_both_win(db, agent, tag):
    article = make_article(db.session, agent, tags=[tag])
    db.session.commit()
    # Another request saved revision 2 after this one read revision 1.
    db.session.execute(
        update(Article).where(Article.id == article.id).values(version=2),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(Conflict, match="at the same moment"):
        edit(db, agent, article, base_version=1, body="Mine\n")
