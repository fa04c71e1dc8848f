"""A throwaway portal for the benchmarks: its own instance folder, database and index."""

from pathlib import Path

from portal import create_app
from portal.extensions import db
from search import documents
from search.documents import Source
from search.fulltext import Document


def throwaway_app(instance: Path, **settings):
    """A portal app living entirely in ``instance`` (SQLite, index, secret)."""
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.db'}",
            "SEARCH_INDEX_DIR": str(instance / "search"),
            **settings,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def register_documents(kind: str, docs: dict[int, Document]) -> None:
    """Serve these documents as the public content of a kind (until its package is merged)."""
    documents.register(
        Source(
            kind,
            kind.capitalize(),
            load=lambda session, ids: {i: docs[i] for i in ids if i in docs},
            all_ids=lambda session: list(docs),
            visible_ids=lambda session, viewer, ids: {i for i in ids if i in docs},
        )
    )


def portal_with_threads(questions, instance: Path):
    """The SemEval candidate threads as community threads of a fresh portal."""
    threads = {}
    for question in questions:
        for c in question.candidates:
            threads[c.number] = Document(
                documents.doc_key("thread", c.number),
                "thread",
                c.subject,
                c.body,
                replies="\n".join(c.comments),
            )
    register_documents("thread", threads)
    return throwaway_app(instance)
