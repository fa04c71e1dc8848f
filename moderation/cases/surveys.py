"""Closing the loop: solve with a disposition, then one CSAT + NPS survey per case."""

import secrets
from datetime import datetime

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from community.models import Post
from community.solutions import accept_solution
from kb import service as kb_service
from kb.models import Article
from moderation.cases import clock, guest_mail
from moderation.cases.models import Case, CaseEvent, CaseStatus, Disposition, EventKind, Survey
from moderation.cases.service import _set_status, add_event
from moderation.cases.timeline import line
from moderation.rules import redact_personal_data
from portal import events, notifications
from portal.database import utcnow
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.i18n import N_
from portal.models import Tag, User
from portal.permissions import can_work_cases, require
from portal.urls import external_url

COMMENT_MAX = 2000


def nps_group(score: int) -> str:
    """Detractor (0–6), passive (7–8) or promoter (9–10)."""
    return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"


def latest_public_reply(session: Session, case: Case) -> CaseEvent | None:
    return session.scalar(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == EventKind.PUBLIC_REPLY.value)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )


def solve_case(
    session: Session,
    agent: User,
    case: Case,
    *,
    disposition: str,
    article_slug: str = "",
    accept_answer: bool = False,
    now: datetime | None = None,
) -> Survey:
    """Solve with a disposition (linking or drafting a KB article), then send the survey."""

    require(can_work_cases(agent), _("Only agents work cases."))
    now = now or utcnow()
    if not case.is_active:
        raise ValidationFailed(_("This case is already solved or closed."))
    try:
        chosen = Disposition(disposition)
    except ValueError:
        raise ValidationFailed(
            _("Choose how the case was answered."), field="disposition"
        ) from None
    if chosen == Disposition.EXISTING_ARTICLE:
        article = session.scalar(select(Article).where(Article.slug == article_slug.strip()))
        if article is None or article.status != "published":
            raise ValidationFailed(
                _("Choose the published article that answers it."), field="article"
            )
        case.article_id = article.id
    elif chosen == Disposition.NEW_ARTICLE:
        draft = kb_service.create_article(
            session,
            agent,
            title=case.subject,
            summary="",
            body=_draft_body(session, case, agent),
            tag_slugs=[tag.slug for tag in case.tags][:5] or _fallback_tag(session),
            note=_("Drafted from case #%(id)s", id=case.id),
        )
        case.article_id = draft.id
    if accept_answer:
        reply = latest_public_reply(session, case)
        if reply is None or reply.post_id is None or case.thread is None:
            raise ValidationFailed(
                _("There is no public answer to accept yet."), field="accept_answer"
            )

        accept_solution(session, agent, case.thread, session.get(Post, reply.post_id))
    case.disposition = chosen.value
    clock.responded(session, case, now)  # solving without a word answers the customer too
    _set_status(session, case, CaseStatus.SOLVED, agent, now)
    case.solved_at = now
    solved = line("solved", disposition=chosen.value)
    add_event(session, case, EventKind.SOLVED, agent, at=now, lines=[solved])
    survey = case.survey or Survey(case=case, token=secrets.token_urlsafe(24), sent_at=now)
    session.add(survey)
    session.flush()
    events.publish("cases.case_solved", case=case, actor=agent)
    if case.customer is None:
        guest_mail.send_survey(session, case, external_url("cases.survey", token=survey.token))
        return survey
    notifications.notify(
        session,
        case.customer,
        kind="case_solved",
        message=N_("Your request “%(subject)s” is solved. How did we do?"),
        params={"subject": case.subject},
        link=f"/support/survey/{survey.token}",
        actor=agent,
    )
    return survey


def latest_answer(session: Session, case: Case) -> CaseEvent | None:
    """The agent's last reply to the customer, public or private: what the article teaches."""
    return session.scalar(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.kind.in_([EventKind.PUBLIC_REPLY.value, EventKind.PRIVATE_REPLY.value]),
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )


def _draft_body(session: Session, case: Case, agent: User) -> str:
    """The draft article, in the language of the agent who writes it: the question as its
    subject says it (the customer's own text stays in the case) and the agent's answer,
    both without personal details (addresses, numbers, the customer's and agent's names)."""
    customer = case.customer
    names = [customer.display_name, customer.username, agent.display_name, agent.username]
    mask = _("[removed]")
    answer = latest_answer(session, case)
    answer_text = answer.body if answer is not None and answer.body.strip() else ""
    answer_text = redact_personal_data(answer_text, names, mask=mask)
    return "## {}\n\n{}\n\n## {}\n\n{}\n".format(
        _("The question"),
        redact_personal_data(case.subject, names, mask=mask) or case.title,
        _("The answer"),
        answer_text or _("(Write the answer here.)"),
    )


def _fallback_tag(session: Session) -> list[str]:
    tag = session.scalar(select(Tag).order_by(Tag.id).limit(1))
    if tag is None:
        raise ValidationFailed(_("Create a tag first: articles need one."), field="disposition")
    return [tag.slug]


def survey_by_token(session: Session, token: str) -> Survey:
    survey = session.scalar(select(Survey).where(Survey.token == token))
    if survey is None:
        raise NotFound(_("This survey link is not valid."))
    return survey


SCORE_MESSAGES = {
    "csat": N_("Choose a satisfaction score from %(low)s to %(high)s."),
    "nps": N_("Choose how likely you are to recommend us, from %(low)s to %(high)s."),
}


def _score(value, low: int, high: int, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise ValidationFailed(_(SCORE_MESSAGES[field], low=low, high=high), field=field)
    return number


def answer_survey(
    session: Session, token: str, *, csat, nps, comment: str = "", now: datetime | None = None
) -> Survey:
    """Record the one answer to a survey; a second answer or an out-of-range score is refused."""
    survey = survey_by_token(session, token)
    now = now or utcnow()
    if survey.answered_at is not None:
        raise Conflict(_("This survey was already answered. Thank you!"))
    csat = _score(csat, 1, 5, "csat")
    nps = _score(nps, 0, 10, "nps")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(
            _("Keep the comment under %(max)s characters.", max=format_decimal(COMMENT_MAX)),
            field="comment",
        )
    # Conditional update: two tabs submitting at once cannot both count.
    done = session.execute(
        update(Survey)
        .where(Survey.id == survey.id, Survey.answered_at.is_(None))
        .values(answered_at=now, csat=csat, nps=nps, comment=comment)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise Conflict(_("This survey was already answered. Thank you!"))
    session.refresh(survey)
    answered = line("survey", csat=csat, nps=nps)
    add_event(session, survey.case, EventKind.SURVEY, None, at=now, lines=[answered])
    session.flush()
    return survey
