"""Files attached to posts, support requests and messages, and articles.

The store is a folder (ATTACHMENTS_DIR, instance/attachments by default) of files named by
a random key; the database row says what the file is and what it belongs to. A file is
written before its row is flushed, so a row never names a missing file (a failed commit
leaves an unnamed file behind, harmless).

Who may fetch a file is who may see its owner: each package registers a predicate for the
kinds it owns in its init_app (``register_owner(app, "post", check)``), asking
portal/permissions.py; a kind nobody registered is served to nobody.
"""

import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from portal.errors import ValidationFailed
from portal.models import Attachment, User
from portal.uploads import CleanFile, inspect

OwnerCheck = Callable[[Session, object, int], bool]  # (session, viewer, owner id) → may see


def store_dir() -> Path:
    configured = current_app.config["ATTACHMENTS_DIR"]
    path = Path(configured) if configured else Path(current_app.instance_path) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(storage_key: str) -> Path:
    return store_dir() / storage_key


def write_file(data: bytes) -> str:
    """Store the bytes under a new random key; the key."""
    key = secrets.token_hex(16)
    path_of(key).write_bytes(data)
    return key


def megabytes(size: int) -> str:
    return _("%(size)s MB", size=format_decimal(round(size / 1_000_000, 1)))


def read_uploads(files: Iterable[FileStorage]) -> list[CleanFile]:
    """The files a form sent, checked and cleaned; ValidationFailed names the first refused.

    An empty file input (nothing chosen) sends one nameless, empty part: it is skipped.
    """
    config = current_app.config
    # Text sent in place of a file (a script's form, JSON) is no file: nothing to attach.
    chosen = [f for f in files if isinstance(f, FileStorage) and (f.filename or "").strip()]
    if len(chosen) > config["ATTACHMENTS_MAX_FILES"]:
        raise ValidationFailed(
            _("Attach at most %(num)d files.", num=config["ATTACHMENTS_MAX_FILES"]),
            field="attachments",
        )
    cleaned = []
    for upload in chosen:
        data = upload.stream.read(config["ATTACHMENT_MAX_BYTES"] + 1)
        if len(data) > config["ATTACHMENT_MAX_BYTES"]:
            raise ValidationFailed(
                _(
                    "“%(name)s” is larger than %(size)s.",
                    name=upload.filename,
                    size=megabytes(config["ATTACHMENT_MAX_BYTES"]),
                ),
                field="attachments",
            )
        cleaned.append(inspect(upload.filename, data))
    return cleaned


def attach(
    session: Session, uploader: User, kind: str, owner_id: int, files: list[CleanFile]
) -> list[Attachment]:
    """Store cleaned files as attachments of (kind, owner_id); flushed, not committed."""
    rows = []
    for clean in files:
        row = Attachment(
            owner_kind=kind,
            owner_id=owner_id,
            uploader_id=uploader.id,
            filename=clean.filename,
            content_type=clean.content_type,
            size=len(clean.data),
            width=clean.width,
            height=clean.height,
            storage_key=write_file(clean.data),
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def attachments_of(session: Session, kind: str, owner_id: int) -> list[Attachment]:
    return list(
        session.scalars(
            select(Attachment)
            .where(Attachment.owner_kind == kind, Attachment.owner_id == owner_id)
            .order_by(Attachment.id)
        )
    )


def attachments_by_owner(session: Session, kind: str, owner_ids) -> dict[int, list[Attachment]]:
    """{owner id: its attachments} for many owners in one query (a thread's posts)."""
    found: dict[int, list[Attachment]] = {}
    if owner_ids:
        query = select(Attachment).where(
            Attachment.owner_kind == kind, Attachment.owner_id.in_(list(owner_ids))
        )
        for attachment in session.scalars(query.order_by(Attachment.id)):
            found.setdefault(attachment.owner_id, []).append(attachment)
    return found


def register_owner(app: Flask, kind: str, can_see: OwnerCheck) -> None:
    """Let a package say who may see the attachments of the things of one kind it owns."""
    app.extensions.setdefault("attachment_owners", {})[kind] = can_see


def can_see(session: Session, viewer, attachment: Attachment) -> bool:
    """Whether the viewer may see what the file is attached to (its package's predicate)."""
    check = current_app.extensions.get("attachment_owners", {}).get(attachment.owner_kind)
    return check is not None and bool(check(session, viewer, attachment.owner_id))


def accepts_uploads(view):
    """Mark a view whose form takes attachments: its requests may be larger (see init_app)."""
    view.accepts_uploads = True
    return view


def init_app(app: Flask) -> None:
    """A larger request limit for the views that take files, set before the body is read
    (and so before CSRFProtect reads the form): MAX_CONTENT_LENGTH stays small elsewhere."""

    @app.before_request
    def allow_uploads() -> None:
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "accepts_uploads", False):
            config = app.config
            request.max_content_length = (
                config["MAX_CONTENT_LENGTH"]
                + config["ATTACHMENTS_MAX_FILES"] * config["ATTACHMENT_MAX_BYTES"]
            )


def register_template_helpers(app: Flask) -> None:
    """attachments_of(kind, id), sizes and limits in the reader's language, avatar_url(user)."""
    from flask import url_for

    from portal.extensions import db

    app.jinja_env.globals.update(
        attachments_of=lambda kind, owner_id: attachments_of(db.session, kind, owner_id),
        attachment_size=lambda size: (
            megabytes(size)
            if size >= 100_000
            else _("%(size)s kB", size=format_decimal(max(1, round(size / 1000))))
        ),
        attachment_size_limit=lambda: megabytes(app.config["ATTACHMENT_MAX_BYTES"]),
        # The key in the address: a new picture is a new address, so no cache shows the old.
        # A deleted account's is the same for all: no address names the account.
        avatar_url=lambda user: (
            url_for("static", filename="avatar-deleted.svg")
            if user.is_deleted
            else url_for("files.avatar", username=user.username, v=(user.avatar_key or "0")[:8])
        ),
    )
