"""Self-service: deflection (search.deflection's one definition), savings, the KB, gaps."""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.metrics_sql import in_period, make_kpi
from dashboard.results import ChartKind, Kpi, Period, Table, Unit
from kb.feedback import least_helpful
from kb.models import Article
from kb.queries import popular_articles
from moderation.cases.models import Case, Disposition
from portal.i18n import N_
from search.analytics import zero_result_queries
from search.deflection import DeflectionReport, deflection_rate

TOP_ARTICLES = 10
TOP_GAPS = 10
CREATED_LIST_MAX = 25
HOLDOUT_NEEDED = N_(
    "Contact rate with and without suggestions needs a holdout: set "
    "PORTAL_SEARCH_HOLDOUT_PERCENT (e.g. 10) so some sessions get no suggestions."
)
HOLDOUT_EMPTY = N_("A holdout is configured, but no holdout session started in this period yet.")


def _percent(rate: float | None) -> float | None:
    return None if rate is None else 100.0 * rate


def deflection_kpis(session: Session, period: Period, now: datetime) -> tuple[list[Kpi], list[str]]:
    """Deflection rate, deflected flows, estimated savings; holdout contact rates if any."""
    config = current_app.config
    window = float(config["DEFLECTION_WINDOW_HOURS"])
    reports: tuple[DeflectionReport, DeflectionReport] = tuple(
        deflection_rate(session, p.start, p.end, window, now=now)
        for p in (period, period.previous())
    )
    saving = float(config["ASSISTED_CONTACT_COST"]) - float(config["SELF_SERVICE_COST"])

    def both(read) -> tuple:
        return tuple(read(report) for report in reports)

    def kpi(key, label, values, unit, higher_is_better=True) -> Kpi:
        return make_kpi("deflection", key, label, values, unit, higher_is_better)

    kpis = [
        kpi(
            "deflection_rate_pct",
            pgettext("dashboard", "Deflection rate"),
            both(lambda r: _percent(r.rate)),
            Unit.PERCENT,
        ),
        kpi(
            "deflected_flows",
            pgettext("dashboard", "Deflected contacts"),
            both(lambda r: r.deflected),
            Unit.COUNT,
        ),
        kpi(
            "estimated_savings",
            pgettext("dashboard", "Estimated savings"),
            both(lambda r: round(r.deflected * saving, 2)),
            Unit.MONEY,
        ),
    ]
    holdout_configured = float(config["SEARCH_HOLDOUT_PERCENT"]) > 0
    if not holdout_configured and not any(r.holdout_flows for r in reports):
        return kpis, [_(HOLDOUT_NEEDED)]
    kpis += [
        kpi(
            "contact_rate_shown_pct",
            pgettext("dashboard", "Contact rate with suggestions"),
            both(lambda r: _percent(r.contact_rate)),
            Unit.PERCENT,
            higher_is_better=False,
        ),
        kpi(
            "contact_rate_holdout_pct",
            pgettext("dashboard", "Contact rate without suggestions (holdout)"),
            both(lambda r: _percent(r.holdout_contact_rate)),
            Unit.PERCENT,
            higher_is_better=False,
        ),
    ]
    return kpis, [] if reports[0].holdout_flows else [_(HOLDOUT_EMPTY)]


def kb_most_viewed(session: Session) -> Table:
    """The most read published articles (kb.queries.popular_articles)."""
    return Table(
        "kb_most_viewed",
        pgettext("dashboard", "Most viewed articles (all time)"),
        (pgettext("dashboard", "Article"), pgettext("dashboard", "Views")),
        tuple((a.title, a.view_count) for a in popular_articles(session, TOP_ARTICLES)),
        ChartKind.BAR,
        "kb",
        note=_(
            "Views are a running total per article: the portal does not store when each view "
            "happened, so this list is the same for every period."
        ),
    )


def kb_least_helpful(session: Session) -> Table:
    """kb.feedback.least_helpful, with the KB_LEAST_HELPFUL_MIN_VOTES threshold."""
    min_votes = int(current_app.config["KB_LEAST_HELPFUL_MIN_VOTES"])
    rows = least_helpful(session, min_votes=min_votes, limit=TOP_ARTICLES)
    return Table(
        "kb_least_helpful",
        pgettext("dashboard", "Least helpful articles (all time)"),
        (
            pgettext("dashboard", "Article"),
            pgettext("dashboard", "Helpful %"),
            pgettext("dashboard", "Votes"),
        ),
        tuple((article.title, votes.percent, votes.votes) for article, votes in rows),
        section="kb",
        note=_(
            "Published articles with at least %(votes)d “was this helpful?” votes, the lowest "
            "share of “yes” first.",
            votes=min_votes,
        ),
    )


def kb_created_from(session: Session, period: Period) -> Table:
    """Articles created in the period from a community thread or drafted from a case."""
    drafted_from = (
        select(Case.article_id, func.min(Case.id).label("case_id"))
        .where(Case.disposition == Disposition.NEW_ARTICLE.value, Case.article_id.is_not(None))
        .group_by(Case.article_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Article.title,
            Article.source_thread_id,
            drafted_from.c.case_id,
            Article.created_at,
            Article.status,
        )
        .outerjoin(drafted_from, drafted_from.c.article_id == Article.id)
        .where(
            in_period(Article.created_at, period),
            Article.source_thread_id.is_not(None) | drafted_from.c.case_id.is_not(None),
        )
        .order_by(Article.created_at.desc(), Article.id.desc())
        .limit(CREATED_LIST_MAX)
    ).all()
    return Table(
        "kb_created_from",
        pgettext("dashboard", "Articles created from threads and cases"),
        (
            pgettext("dashboard", "Article"),
            pgettext("dashboard", "Created from"),
            pgettext("dashboard", "Created"),
            pgettext("dashboard", "Status"),
        ),
        tuple(
            (
                title,
                _("thread #%(id)d", id=thread_id) if thread_id else _("case #%(id)d", id=case_id),
                created.date(),
                _article_status(status),
            )
            for title, thread_id, case_id, created, status in rows
        ),
        section="kb",
        note=_(
            "The latest %(count)d at most: threads promoted to the KB, and drafts an agent "
            "started when solving a case (“new article needed”).",
            count=CREATED_LIST_MAX,
        ),
    )


def _article_status(status: str) -> str:
    """kb.models.ArticleStatus in words."""
    words = {
        "draft": pgettext("dashboard", "draft"),
        "published": pgettext("dashboard", "published"),
        "archived": pgettext("dashboard", "archived"),
    }
    return words.get(status, status)


def content_gaps(session: Session, period: Period) -> Table:
    """The zero-result searches of the period, the most asked first (search's own rule)."""
    gaps = zero_result_queries(session, period.start, period.end, TOP_GAPS)
    return Table(
        "content_gaps",
        pgettext("dashboard", "Content gaps: searches with no result"),
        (
            pgettext("dashboard", "Search"),
            pgettext("dashboard", "Searches"),
            pgettext("dashboard", "Last searched"),
        ),
        tuple((gap.text, gap.searches, gap.last_seen.date()) for gap in gaps),
        section="kb",
        note=_("Write or retitle an article for these."),
    )
