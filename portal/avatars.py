"""Profile pictures: uploaded (cropped square, re-encoded, portal/uploads.py) or drawn.

A drawn picture is the member's initials on a colour chosen from their id (the same
colour everywhere, different for neighbours), dark enough for white text at 4.5:1.
"""

import colorsys

from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy.orm import Session

from portal.attachments import path_of, write_file
from portal.models import User
from portal.permissions import can_edit_profile, require
from portal.uploads import square_avatar

GOLDEN_ANGLE = 137.508  # degrees: successive ids land far apart on the colour wheel


def _luminance(rgb: list[float]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def colour(user_id: int) -> str:
    """A hex colour for this id on which white text has a contrast of at least 4.5:1."""
    hue = (user_id * GOLDEN_ANGLE) % 360 / 360
    lightness = 0.45
    while True:
        rgb = [round(c * 255) / 255 for c in colorsys.hls_to_rgb(hue, lightness, 0.55)]
        if 1.05 / (_luminance(rgb) + 0.05) >= 4.5 or lightness <= 0.2:
            return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
        lightness -= 0.02


def initials(user: User) -> str:
    """Up to two letters from the name ("Ada Lovelace" → "AL"); "?" for a deleted account."""
    if user.is_deleted:
        return "?"
    words = [w for w in user.name.replace("_", " ").replace("-", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or user.username[:1]
    return letters.upper()


def drawn(user: User) -> str:
    """The SVG of a drawn picture (decorative: pages show it with alt="")."""
    fill = "#5a6476" if user.is_deleted else colour(user.id)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" fill="{fill}"/>'
        '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
        f'font-size="26" font-weight="600">{escape(initials(user))}</text></svg>'
    )


def set_avatar(
    session: Session, actor: User, user: User, *, filename: str, data: bytes
) -> str | None:
    """Replace the user's picture with this upload, cropped square and re-encoded; the key
    of the file it replaces, for discard_file() once the change is committed."""
    require(can_edit_profile(actor, user), _("You can only edit your own profile."))
    old = user.avatar_key
    user.avatar_key = write_file(square_avatar(filename, data))
    session.flush()
    return old


def remove_avatar(session: Session, actor: User, user: User) -> str | None:
    """Back to the drawn picture; the key of the uploaded file, for discard_file()."""
    require(can_edit_profile(actor, user), _("You can only edit your own profile."))
    old, user.avatar_key = user.avatar_key, None
    session.flush()
    return old


def discard_file(storage_key: str | None) -> None:
    """Delete a picture nobody points at any more (after the commit that let it go)."""
    if storage_key:
        path_of(storage_key).unlink(missing_ok=True)
