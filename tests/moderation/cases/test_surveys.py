"""Solving with a disposition, and the one-answer CSAT/NPS survey."""

import pytest

from community.models import AcceptedSolution
from kb.models import Article
from moderation.cases import service, surveys
from moderation.cases.models import Disposition
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.notifications import Notification
from tests.factories import make_article, make_tag, make_thread
from tests.moderation.cases.helpers import make_agent, make_case


def solved_case(session):
    case = make_case(session)
    surveys.solve_case(session, make_agent(session), case, disposition=Disposition.KNOWN_GAP)
    return case


def test_solve_needs_a_disposition_and_sends_the_survey(db):
    s = db.session
    agent, case = make_agent(s), make_case(s)
    with pytest.raises(ValidationFailed, match="how the case was answered"):
        surveys.solve_case(s, agent, case, disposition="")
    survey = surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP)
    assert case.status == "solved" and case.solved_at and case.disposition == "known gap"
    note = s.query(Notification).filter_by(user_id=case.customer_id, kind="case_solved").one()
    assert note.link == f"/support/survey/{survey.token}"
    with pytest.raises(ValidationFailed, match="already solved"):
        surveys.solve_case(s, agent, case, disposition=Disposition.KNOWN_GAP)


def test_existing_article_disposition_links_a_published_article(db):
    s = db.session
    agent, tag = make_agent(s), make_tag(s)
    article = make_article(s, agent, "Restart the Hub safely", tags=[tag])
    case = make_case(s, tags=[tag])
    with pytest.raises(ValidationFailed, match="published article"):
        surveys.solve_case(s, agent, case, disposition=Disposition.EXISTING_ARTICLE)
    surveys.solve_case(
        s, agent, case, disposition=Disposition.EXISTING_ARTICLE, article_slug=article.slug
    )
    assert case.article_id == article.id


def test_new_article_disposition_creates_a_kb_draft(db):
    s = db.session
    agent, tag = make_agent(s), make_tag(s)
    thread = make_thread(s, tags=[tag], title="Hub lights blink orange all night")
    case = make_case(s, thread=thread, subject=thread.title)
    surveys.solve_case(s, agent, case, disposition=Disposition.NEW_ARTICLE)
    draft = s.get(Article, case.article_id)
    assert draft.status == "draft" and draft.title == thread.title and draft.tags == [tag]


def test_staff_answer_accepted_as_the_thread_solution(db):
    s = db.session
    agent, thread = make_agent(s), make_thread(s)
    case = make_case(s, thread=thread)
    with pytest.raises(ValidationFailed, match="no public answer"):
        surveys.solve_case(s, agent, case, disposition="known gap", accept_answer=True)
    post = service.reply_publicly(s, agent, case, "Update the Hub firmware from the app.")
    surveys.solve_case(s, agent, case, disposition="known gap", accept_answer=True)
    assert s.query(AcceptedSolution).filter_by(thread_id=thread.id).one().post_id == post.id


def test_survey_answered_once_with_scores_in_range(db):
    s = db.session
    token = solved_case(s).survey.token
    with pytest.raises(ValidationFailed, match="from 1 to 5"):
        surveys.answer_survey(s, token, csat=6, nps=9)
    with pytest.raises(ValidationFailed, match="from 0 to 10"):
        surveys.answer_survey(s, token, csat=5, nps=11)
    with pytest.raises(ValidationFailed, match="from 1 to 5"):
        surveys.answer_survey(s, token, csat="lots", nps=9)
    survey = surveys.answer_survey(s, token, csat="5", nps="9", comment="Quick and kind.")
    assert (survey.csat, survey.nps, survey.comment) == (5, 9, "Quick and kind.")
    with pytest.raises(Conflict, match="already answered"):
        surveys.answer_survey(s, token, csat=1, nps=0)
    with pytest.raises(NotFound):
        surveys.answer_survey(s, "not-a-token", csat=1, nps=0)


@pytest.mark.parametrize(
    "score, group",
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_nps_groups(score, group):
    assert surveys.nps_group(score) == group


def test_new_article_draft_is_the_agents_answer_without_personal_details(db):
    from tests.factories import make_user

    s = db.session
    make_tag(s, "Router")
    agent = make_agent(s, "sam", display_name="Sam Varga")
    customer = make_user(s, "jordan", display_name="Jordan Lee")
    case = make_case(s, customer, subject="Hub light blinks orange at night")
    case.body = "I'm Jordan Lee, call me on 06 12 34 56 78 or jordan@example.com. Orange light!"
    service.reply_privately(
        s,
        agent,
        case,
        "Hello Jordan Lee, Sam Varga here.\n\nOrange means a firmware update: leave the Hub "
        "10 minutes. If it stays orange, write to help@brightwave.example or call "
        "+44 20 7946 0958.\n\nBest, Sam Varga",
    )
    surveys.solve_case(s, agent, case, disposition=Disposition.NEW_ARTICLE)
    body = s.get(Article, case.article_id).body
    assert "Orange means a firmware update: leave the Hub 10 minutes." in body
    assert "Hub light blinks orange at night" in body
    for personal in ("Jordan", "Sam Varga", "06 12 34", "jordan@", "help@brightwave", "7946"):
        assert personal not in body, personal
    assert "Write the answer here" not in body and "call me" not in body
