"""Demo articles for Brightwave; added by seed-demo through the "demo.seeding" event.

The texts live in demo_data/articles/, one Markdown file per article (see its README.md);
a translation names the title of the article it translates (``translation_of``).

Idempotent: an article whose title exists is skipped, and votes, view counts and
suggested edits are only added to articles created in the same run. Translation links are
made for every demo article that lacks its own, so an older demo database catches up.
"""

from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import feedback, service, suggestions
from kb.models import Article
from portal.database import utcnow
from portal.demo_files import DemoFile, load_folder
from portal.errors import ValidationFailed

ARTICLES_FOLDER = Path(__file__).parent / "demo_data" / "articles"
FIELDS = {
    "title": str,
    "status": ("published", "draft"),
    "author": str,
    "tags": list,
    "summary": str,
}
OPTIONAL = {"translation_of": str}

CUSTOMERS = ["jordan", "emma", "karim", "chloe", "oliver"]

# Articles readers found wanting, so the least-helpful list has something to show.
COMPLAINTS = {
    "Give a device a fixed address or open a port": [
        ("jordan", "Which port does my console need? A table for common games would help."),
        ("karim", "The admin page looks different on my Hub (firmware 4.1)."),
        ("oliver", ""),
    ],
    "Too many motion alerts from your camera": [
        ("emma", "I still get alerts for my cat with person detection on."),
        ("chloe", ""),
    ],
    "Get a refund": [("karim", "How do I get a refund if I paid by bank transfer?")],
}


@cache
def demo_articles() -> tuple[DemoFile, ...]:
    """Every demo article in seeding order (the file names' order, which spreads the dates)."""
    files = tuple(load_folder(ARTICLES_FOLDER, FIELDS, OPTIONAL))
    languages = {file.fields["title"]: file.fields["lang"] for file in files}
    for file in files:
        original = file.fields.get("translation_of")
        if original is not None and original not in languages:
            raise file.error("translation_of", f"no demo article has the title {original!r}")
        if original is not None and languages[original] == file.fields["lang"]:
            raise file.error("translation_of", f"{original!r} is in the same language")
    return files


def _backdate(article: Article, index: int) -> None:
    """Spread the demo articles over the last few months so lists look lived in."""
    created = utcnow() - timedelta(days=120 - (index * 3) % 110, hours=index)
    article.created_at = article.published_at = created
    article.updated_at = created + timedelta(days=(index * 5) % 20)
    article.view_count = 60 + (index * 977) % 1900


def _add_votes(session: Session, article: Article, index: int, users: dict) -> None:
    complaints = dict(COMPLAINTS.get(article.title, []))
    for position, username in enumerate(CUSTOMERS):
        if username not in complaints and (index + position) % 3 == 0:
            continue  # not every customer votes on every article
        feedback.record_vote(
            session,
            article,
            user=users[username],
            voter_key=None,
            helpful=username not in complaints,
            comment=complaints.get(username, ""),
        )


def _add_suggestions(session: Session, created: dict[str, Article], users: dict) -> None:
    mesh = created.get("Add a mesh satellite")
    if mesh is not None:
        suggestions.suggest_edit(
            session,
            users["priya"],
            mesh,
            base_version=mesh.version,
            title=mesh.title,
            summary=mesh.summary,
            body=mesh.body
            + "\n## Two satellites\n\nPlace the second one no further than the first from "
            "the Hub: a chain of satellites halves the speed at each hop.\n",
            note="Add advice for homes with two satellites",
        )
    schedule = created.get("Set a heating schedule on the Brightwave thermostat")
    if schedule is not None:
        suggestion = suggestions.suggest_edit(
            session,
            users["lucas"],
            schedule,
            base_version=schedule.version,
            title=schedule.title,
            summary=schedule.summary,
            body=schedule.body.replace(
                "## Early start",
                "## Holidays\n\n**Thermostat › Away until…** holds 15 °C and resumes the "
                "schedule the day you come back.\n\n## Early start",
            ),
            note="Mention the holiday mode",
        )
        suggestions.accept_suggestion(session, users["theo"], suggestion, "Thanks, Lucas!")


def _link_translations(session: Session, users: dict) -> None:
    """Link each translation to its original, unless a writer already linked it."""
    by_title = {article.title: article for article in session.scalars(select(Article))}
    for file in demo_articles():
        article = by_title.get(file.fields["title"])
        original = by_title.get(file.fields.get("translation_of", ""))
        if article is None or original is None or article.translation_of_id is not None:
            continue
        try:
            service.link_translation(session, users[file.fields["author"]], article, original)
        except ValidationFailed:
            continue  # a writer gave the original another translation in that language


def seed_articles(sender, *, session: Session, users: dict, tags: dict) -> None:
    """Create the demo articles that do not exist yet, with votes and suggested edits."""
    existing = set(session.scalars(select(Article.title)))
    created = {}
    for index, file in enumerate(demo_articles()):
        data = file.fields
        if data["title"] in existing:
            continue
        published = data["status"] == "published"
        article = service.create_article(
            session,
            users[data["author"]],
            title=data["title"],
            summary=data["summary"],
            body=file.body,
            tag_slugs=data["tags"],
            language=data["lang"],
            publish=published,
        )
        _backdate(article, index)
        if published:
            _add_votes(session, article, index, users)
        created[article.title] = article
    _add_suggestions(session, created, users)
    _link_translations(session, users)
    session.flush()
