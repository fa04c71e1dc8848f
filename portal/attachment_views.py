"""Serving attachments (with their owner's permissions) and profile pictures."""

from flask import Blueprint, Response, abort, send_file
from flask_login import current_user
from sqlalchemy import select

from portal import avatars
from portal.attachments import can_see, path_of
from portal.extensions import db
from portal.models import Attachment, User

bp = Blueprint("files", __name__)

# A served file is never a page: no script, no style, no frame, even if a browser sniffed.
FILE_POLICY = "default-src 'none'; img-src 'self'; sandbox"


@bp.get("/attachments/<int:attachment_id>/<path:name>")
def attachment(attachment_id: int, name: str):
    """The file, to whoever may see what it is attached to; 404 to anyone else (a hidden
    or held post's file does not even say it exists)."""
    row = db.session.get(Attachment, attachment_id)
    if row is None or not can_see(db.session, current_user, row):
        abort(404)
    if not path_of(row.storage_key).is_file():
        abort(404)
    response = send_file(
        path_of(row.storage_key),
        mimetype=row.content_type,
        as_attachment=not row.is_image,  # PDFs and text are downloaded, never shown here
        download_name=row.filename,
        conditional=True,
    )
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response


@bp.get("/u/<username>/avatar")
def avatar(username: str):
    """The member's uploaded picture, else their initials drawn on their colour."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        abort(404)
    if user.avatar_key and not user.is_deleted and path_of(user.avatar_key).is_file():
        response = send_file(path_of(user.avatar_key), mimetype="image/webp", conditional=True)
    else:
        response = Response(avatars.drawn(user), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response
