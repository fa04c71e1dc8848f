"""Articles into the knowledge base: Markdown with front matter, a CSV and a Zendesk Help
Center export (each in tests/transfer/fixtures, written for these tests)."""

import json

from sqlalchemy import func, select

from kb.models import Article, ArticleRevision
from portal.permissions import Role
from search import service as search_service
from tests.factories import make_user
from tests.transfer.conftest import FIXTURES
from transfer.models import TransferMapping


def invoke(runner, *args):
    result = runner.invoke(args=["transfer", *args])
    assert result.exit_code == 0, result.output
    return result.output


def article(db, title) -> Article:
    db.session.expire_all()
    return db.session.scalar(select(Article).where(Article.title == title))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def agent(db):
    user = make_user(db.session, "writer", role=Role.AGENT)
    db.session.commit()
    return user


def test_markdown_files_with_front_matter(runner, db, own_index):
    agent(db)
    folder = FIXTURES / "markdown" / "guides"

    output = invoke(runner, "import-markdown", str(folder), "--author", "writer")

    assert "Articles: 2 created, 0 updated, 0 unchanged" in output
    assert "Not imported: broken.md (it does not start with front matter" in output
    reset = article(db, "Reset the router to its factory settings")
    assert reset.is_published and reset.language == "en"
    assert reset.summary == "Two minutes and a paper clip."
    assert [tag.slug for tag in reset.tags] == ["router", "troubleshooting"]
    assert reset.created_at.isoformat() == "2024-03-05T14:02:11+00:00"
    assert "## Afterwards" in reset.body
    parental = article(db, "Régler le contrôle parental")
    assert (parental.status, parental.language) == ("draft", "fr")
    assert [tag.slug for tag in parental.tags] == ["famille", "routeur"]
    found = search_service.search(db.session, None, "paper clip reset")
    assert not found.from_database
    assert [result.key for result in found.results] == [f"article:{reset.id}"]

    again = invoke(runner, "import-markdown", str(folder), "--author", "writer")

    assert "Articles: 0 created, 0 updated, 2 unchanged" in again
    assert count(db, Article) == 2 and count(db, ArticleRevision) == 2


def test_a_changed_file_becomes_a_new_revision(runner, db, tmp_path):
    agent(db)
    (tmp_path / "one.md").write_text("---\ntitle: Pair the remote\ntags: [tv]\n---\nHold OK.\n")
    invoke(runner, "import-markdown", str(tmp_path), "--author", "writer")
    (tmp_path / "one.md").write_text(
        "---\ntitle: Pair the remote\ntags: [tv]\nstatus: draft\n---\nHold OK and Back.\n"
    )

    output = invoke(runner, "import-markdown", str(tmp_path), "--author", "writer")

    assert "Articles: 0 created, 1 updated, 0 unchanged" in output
    remote = article(db, "Pair the remote")
    assert remote.body == "Hold OK and Back.\n" and remote.version == 2
    assert remote.status == "archived"  # a draft in the source: off the public site
    notes = [r.note_text for r in db.session.scalars(select(ArticleRevision))]
    assert sorted(notes) == [
        f"Imported from markdown:{tmp_path.name}",
        f"Updated from markdown:{tmp_path.name}",
    ]


def test_csv(runner, db):
    agent(db)

    dry = invoke(
        runner, "import-csv", str(FIXTURES / "articles.csv"), "--author", "writer", "--dry-run"
    )

    assert "Articles: 2 to create" in dry and count(db, Article) == 0
    output = invoke(runner, "import-csv", str(FIXTURES / "articles.csv"), "--author", "writer")

    assert "Articles: 2 created" in output
    bill = article(db, "Read your first bill")
    assert (
        bill.body
        == "Your first bill covers **part of a month**.\n\nEach line is explained in the app.\n"
    )
    assert [tag.slug for tag in bill.tags] == ["billing", "invoices"] and bill.is_published
    assert article(db, "Change the payment card").status == "draft"


def test_zendesk_help_center_export(runner, db, own_index):
    agent(db)
    export = FIXTURES / "zendesk.json"

    output = invoke(runner, "import-zendesk", str(export), "--author", "writer")

    assert "Articles: 2 created" in output and "1 not imported" in output
    assert "Not imported: article-360003 (the language de is not one of the site's)" in output
    forwarding = article(db, "Set up call forwarding")
    assert forwarding.is_published and forwarding.language == "en"
    assert {tag.slug for tag in forwarding.tags} == {"phone", "forwarding", "phone-service"}
    assert "## Stop it" in forwarding.body and "`*21*`" in forwarding.body
    assert "alert" not in forwarding.body
    assert forwarding.updated_at.isoformat() == "2023-10-02T09:00:00+00:00"
    french = article(db, "Transférer les appels")
    assert (french.status, french.language) == ("draft", "fr")
    assert [tag.slug for tag in french.tags] == ["phone-service"]
    found = search_service.search(db.session, None, "call forwarding")
    assert f"article:{forwarding.id}" in [result.key for result in found.results]
    assert not found.from_database

    again = invoke(runner, "import-zendesk", str(export), "--author", "writer")

    assert "Articles: 0 created, 0 updated, 2 unchanged" in again
    assert count(db, TransferMapping) == 2


def test_only_writers_import_articles_and_bad_json_is_refused(runner, db, tmp_path):
    make_user(db.session, "reader")
    db.session.commit()
    refused = runner.invoke(
        args=["transfer", "import-zendesk", str(FIXTURES / "zendesk.json"), "--author", "reader"]
    )
    assert refused.exit_code != 0 and "cannot write articles" in refused.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"articles": "nope"}))
    agent(db)
    result = runner.invoke(args=["transfer", "import-zendesk", str(bad), "--author", "writer"])
    assert result.exit_code != 0 and "is not a Help Center articles export" in result.output
    assert count(db, Article) == 0
