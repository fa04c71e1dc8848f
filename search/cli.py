"""`flask search reindex`: build a new index generation from the database and switch to it."""

import os
import time

import click
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from portal.extensions import db
from search import documents, indexing

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
    problem = indexing.semantic_problem()
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
