"""`flask search reindex`: build a new index generation from the database and switch to it."""

import os
import time

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from portal.extensions import db
from search import documents, encoding, indexing

search_cli = AppGroup("search", help="Search indexes.")


@search_cli.command("reindex")
@click.option(
    "--if-needed",
    is_flag=True,
    help="Only when there is no usable index (e.g. after seed-demo on a new install).",
)
def reindex_command(if_needed: bool) -> None:
    """Build the full-text index and the vectors from the database, with a progress bar.

    Searches keep reading the current index until the new one is complete; the jobs
    worker's keeper does the same by itself when the index is missing or damaged.
    """
    current = indexing.current_generation()
    if if_needed and current is not None and not indexing.is_damaged(current):
        click.echo("The search index is there and usable.")
        return
    with Session(db.engine) as session:
        total = documents.count_documents(session)
    encoding.export_encoder_if_needed()
    problem = encoding.semantic_problem(writing=True)  # this process embeds the documents
    if problem:
        click.echo(f"Keyword-only: {problem}", err=True)
    stages = ["text"] if problem else ["text", "vectors"]
    bars = {
        stage: click.progressbar(length=total, label=f"{stage:<8}", show_pos=True)
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
    click.echo(f"Indexed {count} documents in {time.perf_counter() - started:.1f} s.")


@search_cli.command("export-encoder")
@click.option("--force", is_flag=True, help="Export again even if the export is up to date.")
def export_encoder_command(force: bool) -> None:
    """Export the embedding model (EMBEDDING_MODEL) to ONNX into SEARCH_ENCODER_DIR, offline.

    Searches and indexing run the export with ONNX Runtime; the jobs worker and `search
    reindex` export it themselves when it is missing or the model's files changed.
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
