"""A throwaway portal for the benchmarks: its own instance folder, database and index."""

import os
import tempfile
from pathlib import Path

from portal import create_app
from portal.extensions import db
from search import documents, encoding
from search.documents import Source
from search.fulltext import Document

# The model's ONNX export, made once and shared by the benchmarks' throwaway portals.
ENCODER_DIR = os.environ.get("BENCH_ENCODER_DIR") or os.path.join(
    tempfile.gettempdir(), "careportal-bench-encoders"
)


def throwaway_app(instance: Path, **settings):
    """A portal app living in ``instance`` (SQLite, index, secret), the model exported."""
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.db'}",
            "SEARCH_INDEX_DIR": str(instance / "search"),
            "SEARCH_ENCODER_DIR": ENCODER_DIR,
            **settings,
        }
    )
    with app.app_context():
        db.create_all()
        encoding.export_encoder_if_needed()  # as the jobs worker does when it starts
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
    """A fresh portal whose community holds the SemEval candidate threads (question + replies).

    Rows are written directly: forum subjects may be shorter than the ask form allows, and
    the benchmark measures ranking, not the form. Returns (app, candidate number → doc key).
    """
    from community.models import Post, Thread
    from portal.models import Tag, User

    app = throwaway_app(instance)
    keys = {}
    with app.app_context():
        member = User(username="qatarliving", email="bench@example.com", password_hash="-")
        tag = Tag(slug="forum", name="Forum")
        db.session.add_all([member, tag])
        seen = set()
        for question in questions:
            for c in question.candidates:
                if c.number in seen:
                    continue
                seen.add(c.number)
                thread = Thread(title=c.subject or "(no subject)", author=member, tags=[tag])
                thread.posts.append(Post(author=member, is_question=True, body=c.body))
                thread.posts.extend(Post(author=member, body=text) for text in c.comments)
                db.session.add(thread)
                db.session.flush()
                keys[c.number] = documents.doc_key("thread", thread.id)
        db.session.commit()
    return app, keys
