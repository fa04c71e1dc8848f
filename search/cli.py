"""`flask search reindex`: rebuild both indexes from the database."""

import os
import time

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from portal.extensions import db
from search import documents
from search.indexing import get_index, reindex_all

search_cli = AppGroup("search", help="Search indexes.")


@search_cli.command("reindex")
@click.option(
    "--if-needed",
    is_flag=True,
    help="Only when the index is missing, unusable or was never filled (e.g. after seed-demo).",
)
def reindex_command(if_needed: bool) -> None:
    """Rebuild the full-text index and the vectors from the database, with a progress bar."""
    index = get_index()
    index.fulltext  # noqa: B018 - opening it notices a missing or corrupt directory
    if if_needed and not index.needs_rebuild:
        click.echo("The search index is up to date.")
        return
    with Session(db.engine) as session:
        total = documents.count_documents(session)
    problem = index.semantic_error()
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
        count = reindex_all(
            lambda stage, n: bars[stage].update(n) if stage in bars else None,
            threads=os.cpu_count(),  # embedding is most of a rebuild: use every core
        )
    finally:
        for bar in bars.values():
            bar.__exit__(None, None, None)
    click.echo(f"Indexed {count} documents in {time.perf_counter() - started:.1f} s.")
