"""HTML kept beside Markdown, so pages show a body without rendering it on every view.

A package registers a model whose rows carry Markdown and their rendered HTML
(``register(Post, ("body",), render_post)``); ``render(row)`` returns the columns to store,
``html_version`` among them. Before each flush, every new row of the model and every row
whose watched columns changed gets fresh HTML in the same transaction, whichever code
wrote the body (services, imports, the demo, moderation's edits, erasure): the HTML can
never say something the body no longer does. A bulk ``update(Model).values(body=...)``
clears ``html_version`` in the same statement; bulk inserts (the archive) and migrations
leave it NULL. A NULL or other version is rendered when shown.

Pages show ``fragment(html, version)`` when the stored version is today's
``markdown.RENDERER_VERSION``, and render the Markdown on the fly otherwise — never writing
during a read. ``flask markdown rerender`` stores fresh HTML for those rows in batches
(after an upgrade that changes the renderer, or an import).
"""

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from portal.markdown import RENDERER_VERSION


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    watched: tuple[str, ...]
    render: Callable[[object], dict]


KINDS: dict[type, Kind] = {}


def register(name: str, model: type, watched: tuple[str, ...], render: Callable) -> None:
    """Keep model's HTML in step with its ``watched`` columns; the model has html_version."""
    KINDS[model] = Kind(name, model, watched, render)
    if not event.contains(Session, "before_flush", _render_changed):
        event.listen(Session, "before_flush", _render_changed)
        event.listen(Session, "do_orm_execute", _forget_html_on_bulk_update)


def _render_changed(session: Session, flush_context, instances) -> None:
    for row in [*session.new, *session.dirty]:
        kind = KINDS.get(type(row))
        if kind is None:
            continue
        state = inspect(row)
        if state.pending or any(state.attrs[name].history.has_changes() for name in kind.watched):
            for column, value in kind.render(row).items():
                setattr(row, column, value)


def _forget_html_on_bulk_update(execute_state) -> None:
    """``update(Post).values(body=...)`` skips the flush: the rows' HTML becomes stale, so
    their version is cleared in the same statement (they render when shown until rerender)."""
    if not execute_state.is_update:
        return
    statement, mapper = execute_state.statement, execute_state.bind_mapper
    kind = KINDS.get(mapper.class_) if mapper is not None else None
    if kind is None:
        return
    # SQLAlchemy keeps an UPDATE's SET clause in _values (no public accessor).
    written = {getattr(key, "key", key) for key in (statement._values or {})}
    if written & set(kind.watched) and "html_version" not in written:
        execute_state.statement = statement.values(html_version=None)


def fragment(html: str | None, version: str | None) -> Markup | None:
    """The stored fragment when today's renderer made it; None means: render it now."""
    if html is None or version != RENDERER_VERSION:
        return None
    return Markup(html)  # made by render_markdown (the nh3 allowlist) when it was stored


def rerender_stale(session: Session, limit: int) -> dict[str, int]:
    """Store fresh HTML for up to ``limit`` rows of each kind that lack today's; how many."""
    done = {}
    for kind in KINDS.values():
        stale = or_(kind.model.html_version.is_(None), kind.model.html_version != RENDERER_VERSION)
        rows = session.scalars(select(kind.model).where(stale).order_by(kind.model.id).limit(limit))
        done[kind.name] = 0
        for row in rows:
            for column, value in kind.render(row).items():
                setattr(row, column, value)
            done[kind.name] += 1
    return done
