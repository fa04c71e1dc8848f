"""A confirmation step before a destructive action, without JavaScript.

The action's button posts as before; the view asks ``confirmation_page(...)`` first. Unless
the post says ``confirmed=1``, it gets a page that names what will happen and posts the
same fields again with ``confirmed=1`` (and a fresh CSRF token), or goes back. Asked after
the form is validated, so a refused form still comes back with its errors first.
"""

from flask import render_template, request
from markupsafe import Markup

CONFIRMED_FIELD = "confirmed"


def is_confirmed() -> bool:
    return request.form.get(CONFIRMED_FIELD) == "1"


def confirmation_page(
    *,
    title: str,
    question: str | Markup,
    button: str,
    cancel_url: str,
    quote: str = "",
):
    """None when the person confirmed; otherwise the confirmation page to return (200)."""
    if is_confirmed():
        return None
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", CONFIRMED_FIELD)
    ]
    page = render_template(
        "portal/confirm.html",
        title=title,
        question=question,
        button=button,
        cancel_url=cancel_url,
        quote=quote,
        action=request.path,
        fields=fields,
    )
    return page, 200
