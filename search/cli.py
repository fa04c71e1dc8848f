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
def reindex_command() -> None:
    """Rebuild the full-text index and the vectors from the database, with a progress bar."""
    with Session(db.engine) as session:
        total = documents.count_documents(session)
    index = get_index()
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
