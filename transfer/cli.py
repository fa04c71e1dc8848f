"""`flask transfer ...`: imports (with progress bars and --dry-run), export, claiming.

What the commands print is in the terminal's language, as the other commands speak
(portal.i18n.in_terminal_language); their --help stays in English, like the docstrings.
"""

from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import N_, in_terminal_language
from portal.models import User
from transfer import archive, articles, searchable, sources, stackexchange
from transfer.accounts import claim, is_placeholder
from transfer.mapping import CREATE, SKIP, UPDATE, Report

transfer_cli = AppGroup("transfer", help="Bring content in, take the whole site out.")
# What each kind of item is called in a report and on its progress bar.
KINDS = {
    "user": N_("Members"),
    "tag": N_("Tags"),
    "question": N_("Questions"),
    "answer": N_("Answers"),
    "vote": N_("Votes"),
    "solution": N_("Accepted solutions"),
    "article": N_("Articles"),
}
LABEL_TEXTS = {
    "Users": N_("Members"),
    "Tags": N_("Tags"),
    "Questions": N_("Questions"),
    "Answers": N_("Answers"),
    "Votes": N_("Votes"),
    "Articles": N_("Articles"),
    "Records": N_("Records"),
}
PROBLEMS_SHOWN = 20

dry_run_option = click.option(
    "--dry-run",
    is_flag=True,
    help="Report what would be created, updated or skipped; write nothing.",
)
batch_option = click.option(
    "--batch-size", default=500, show_default=True, help="Items per transaction."
)
tag_option = click.option(
    "--default-tag", default="imported", show_default=True, help="For items without tags."
)


@contextmanager
def progress_bar(label: str, total: int):
    """A click progress bar under the stage's translated name."""
    with click.progressbar(length=max(total, 1), label=_(LABEL_TEXTS.get(label, label))) as bar:
        yield bar.update


def n(number: int) -> str:
    return format_decimal(number)


def print_report(report: Report, dry_run: bool) -> None:
    for kind in report.kinds():
        counts = {o: n(report.get(kind, o)) for o in (CREATE, UPDATE, SKIP)}
        name = _(KINDS.get(kind, kind))
        if dry_run:
            line = _(
                "%(kind)s: %(create)s to create, %(update)s to update, %(skip)s unchanged",
                kind=name, **counts,
            )  # fmt: skip
        else:
            line = _(
                "%(kind)s: %(create)s created, %(update)s updated, %(skip)s unchanged",
                kind=name, **counts,
            )  # fmt: skip
        click.echo(line)
        if report.get(kind, "counted"):
            counted = n(report.get(kind, "counted"))
            click.echo(_("  %(count)s kept as counts (no voter in the dump)", count=counted))
        if report.get(kind, "failed"):
            click.echo(_("  %(count)s not imported", count=n(report.get(kind, "failed"))))
    for item, message, params in report.problems[:PROBLEMS_SHOWN]:
        why = _(message, **params)
        click.echo(_("Not imported: %(item)s (%(why)s)", item=item, why=why), err=True)
    if len(report.problems) > PROBLEMS_SHOWN:
        more = len(report.problems) - PROBLEMS_SHOWN
        click.echo(_("…and %(count)s more.", count=n(more)), err=True)
    if dry_run:
        click.echo(_("Dry run: nothing was written."))


def finish(report: Report, dry_run: bool) -> None:
    """Print the report; after a real run, make what was imported searchable."""
    print_report(report, dry_run)
    if not dry_run and report.total(CREATE) + report.total(UPDATE):
        done = searchable.make_searchable()
        if done == "late":
            click.echo(_("The search index is still catching up with the import."), err=True)
        else:
            click.echo(_("Imported content is searchable."))


def find_author(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(_("No member is called %(name)s.", name=username))
    return user


@transfer_cli.command("import-stackexchange")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--source", help="A name for this dump (default: the folder's name).")
@dry_run_option
@batch_option
@tag_option
@in_terminal_language
def import_stackexchange_command(folder, source, dry_run, batch_size, default_tag):
    """Import a Stack Exchange data dump (Users.xml, Tags.xml, Posts.xml, Votes.xml)."""
    source = f"stackexchange:{source or folder.resolve().name}"
    try:
        report = stackexchange.import_dump(
            db.session, folder, source=source, commit=db.session.commit, dry_run=dry_run,
            batch_size=batch_size, default_tag=default_tag, progress=progress_bar,
        )  # fmt: skip
    except FileNotFoundError as error:
        raise click.ClickException(_("Missing file: %(path)s", path=error.args[0])) from None
    finally:
        db.session.rollback()  # a dry run's reads; a real run has committed its batches
    finish(report, dry_run)


def _import_articles(items, total, source, author, dry_run, batch_size, default_tag):
    user = find_author(author)
    try:
        report = articles.import_articles(
            db.session, items, source=source, author=user, commit=db.session.commit,
            total=total, dry_run=dry_run, batch_size=batch_size, default_tag=default_tag,
            progress=progress_bar,
        )  # fmt: skip
    except PermissionError:
        raise click.ClickException(
            _("%(name)s cannot write articles: choose an agent or an admin.", name=user.username)
        ) from None
    finally:
        db.session.rollback()
    finish(report, dry_run)


author_option = click.option(
    "--author", required=True, help="Username of the agent or admin the articles are by."
)


@transfer_cli.command("import-markdown")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@author_option
@click.option("--source", help="A name for these files (default: the folder's name).")
@dry_run_option
@batch_option
@tag_option
@in_terminal_language
def import_markdown_command(folder, author, source, dry_run, batch_size, default_tag):
    """Import Markdown files with YAML front matter into the knowledge base."""
    items = sources.markdown_items(folder)
    source = f"markdown:{source or folder.resolve().name}"
    _import_articles(items, len(items), source, author, dry_run, batch_size, default_tag)


@transfer_cli.command("import-csv")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@author_option
@click.option("--source", help="A name for this file (default: its name).")
@dry_run_option
@batch_option
@tag_option
@in_terminal_language
def import_csv_command(path, author, source, dry_run, batch_size, default_tag):
    """Import a CSV (id, title, summary, body, tags, lang, status) into the knowledge base."""
    items = sources.csv_items(path)
    source = f"csv:{source or path.stem}"
    _import_articles(items, len(items), source, author, dry_run, batch_size, default_tag)


@transfer_cli.command("import-zendesk")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@author_option
@click.option("--source", default="help-center", show_default=True, help="The Help Center's name.")
@dry_run_option
@batch_option
@tag_option
@in_terminal_language
def import_zendesk_command(paths, author, source, dry_run, batch_size, default_tag):
    """Import a Zendesk Help Center articles export (JSON pages) into the knowledge base."""
    try:
        items = list(sources.zendesk_items(list(paths)))
    except sources.NotAnExport as error:
        raise click.ClickException(
            _("%(path)s is not a Help Center articles export.", path=error.args[0])
        ) from None
    source = f"zendesk:{source}"
    _import_articles(items, len(items), source, author, dry_run, batch_size, default_tag)


@transfer_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@in_terminal_language
def export_command(path):
    """Write the whole site to a JSON Lines archive (.jsonl, or .jsonl.gz): docs/export.md."""
    db.session.rollback()
    archive.begin_snapshot(db.session)
    total = sum(archive.count_rows(db.session).values())
    with progress_bar("Records", total) as advance:
        counts = archive.export_site(db.session, path, advance)
    db.session.rollback()
    total = n(sum(counts.values()))
    click.echo(_("Exported %(count)s records to %(path)s.", count=total, path=path))


@transfer_cli.command("import-archive")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@in_terminal_language
def import_archive_command(path):
    """Load an archive written by `flask transfer export` into this EMPTY portal."""
    filled = archive.non_empty_tables(db.session)
    if filled:
        raise click.ClickException(
            _("This portal is not empty (%(tables)s): an archive goes into an empty one.",
              tables=", ".join(filled[:5]))
        )  # fmt: skip
    try:
        with progress_bar("Records", archive.count_lines(path)) as advance:
            counts = archive.import_site(db.session, path, advance)
        db.session.commit()
    except archive.ArchiveError as error:
        db.session.rollback()
        problem = _(error.message, **error.params)
        raise click.ClickException(_("Not imported: %(problem)s", problem=problem)) from None
    searchable.rebuild_after_import()
    click.echo(_("Imported %(count)s records.", count=n(sum(counts.values()))))
    click.echo(_("Members sign in once claimed: flask transfer claim USERNAME EMAIL."))


@transfer_cli.command("claim")
@click.argument("username")
@click.argument("email")
@click.password_option(help="Asked for when not given.")
@in_terminal_language
def claim_command(username, email, password):
    """Give an imported account its owner's e-mail address and a password."""
    user = find_author(username)
    if not is_placeholder(user):
        raise click.ClickException(_("%(name)s has a password already.", name=user.username))
    try:
        claim(db.session, user, email=email, password=password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(_("%(name)s can sign in now.", name=user.username))
