"""Languages: which one a page speaks, the catalogs it reads, the switcher that changes it.

Every string a person reads goes through Flask-Babel's gettext (``_`` in Python and in
templates, ``ngettext`` for plurals, ``lazy_gettext`` for text defined at import, such as
form labels). Each package keeps its own catalog in ``<package>/translations/`` (the
packages' rooms stay separate, and two people translating two packages never edit the
same file); ``add_catalog(app, folder)`` in a package's init_app adds it to the app.

The page's language, first that applies:
1. the signed-in user's saved preference (``users.locale``);
2. the language chosen with the footer's switcher (a cookie: it works signed out);
3. the browser's Accept-Language;
4. the site default: the admins' choice (``site_settings``), else DEFAULT_LOCALE.

E-mails and other work done for someone outside their request speak the recipient's
language: ``with force_locale(locale_of(user)): ...``. Commands (``flask seed-demo``,
``flask jobs``, ``flask backup``) speak the terminal's language, as command-line tools do
(``@in_terminal_language``), without reading the database (a restore may run on an empty
one).

To add a third language: add it to LANGUAGES with its own name, run
``make translations-update`` (new ``messages.po`` files in every package's
``translations/<code>/LC_MESSAGES/``), translate them, ``make translations-compile``.
"""

import os
import unicodedata
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, force_locale, format_decimal, get_babel, get_locale, refresh
from flask_login import current_user
from sqlalchemy.orm import object_session

from portal.site_settings import site_setting

babel = Babel()


def N_(message: str) -> str:  # noqa: N802 - the name pybabel looks for
    """Mark a message for the catalogs without translating it now (it is translated where
    it is shown, in the reader's language: notifications, labels kept in tables)."""
    return message


COOKIE = "portal_lang"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365
# Each language under its own name, as a switcher shows them.
LANGUAGES = {"en": "English", "fr": "Français"}


def init_app(app: Flask) -> None:
    """Flask-Babel with the portal's locale selector, the foundation's catalog, helpers."""
    babel.init_app(
        app,
        default_locale=app.config["DEFAULT_LOCALE"],
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    # Flask-Babel keeps the locale on the app context, which a request shares with an
    # outer one (a CLI command, the tests): every request chooses afresh.
    app.before_request(refresh)
    # Counts in the page's language: {{ total|number }} reads "12,345" or "12 345".
    app.add_template_filter(format_decimal, "number")
    app.add_template_filter(small_number, "decimalformat")
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_form"] = language_form


def small_number(number, format=None) -> str:
    """Flask-Babel's decimalformat, without Babel for a whole number under 1,000: it is
    written alike in every language (a list page prints ~80 of them; issue #22)."""
    if format is None and type(number) is int and 0 <= number < 1000:
        return str(number)
    return format_decimal(number, format)


def add_catalog(app: Flask, folder: Path) -> None:
    """Read this package's translations too (``<package>/translations``)."""
    directories = get_babel(app).translation_directories
    if str(folder) not in directories:
        directories.append(str(folder))


def sort_key(text: str) -> str:
    """Sort text as a reader expects in English and French: "Élise" beside "Elise", not
    after "Zoé", and case ignored."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def site_default(session=None) -> str:
    """The admins' default language if they chose one, else DEFAULT_LOCALE."""
    chosen = site_setting("default_locale", session)
    return chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LOCALE"]


def select_locale() -> str:
    """The language of this request (see the module's docstring for the order).

    Flask-Babel asks once per request and keeps the answer.
    """
    if not has_request_context():
        return site_default()
    saved = getattr(current_user, "locale", None) if current_user else None
    if saved in LANGUAGES:
        return saved
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or site_default()


def current_language() -> str:
    """The two-letter code of the language this page speaks (for ``<html lang>``)."""
    return str(get_locale() or current_app.config["DEFAULT_LOCALE"])


def language_form():
    """The members' switcher form in the footer, set to this page's language."""
    from portal.forms import LanguageForm

    return LanguageForm(formdata=None, locale=current_language(), next=request.full_path)


def terminal_language() -> str:
    """The language of a command's output: the terminal's (LC_ALL, LC_MESSAGES, then LANG,
    as gettext reads them, e.g. "fr_FR.UTF-8") when the site speaks it, else
    DEFAULT_LOCALE."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in LANGUAGES else current_app.config["DEFAULT_LOCALE"]
    return current_app.config["DEFAULT_LOCALE"]


def in_terminal_language(command: Callable) -> Callable:
    """Decorate a click command (under its app context) to speak terminal_language()."""

    @wraps(command)
    def speaking(*args, **kwargs):
        with force_locale(terminal_language()):
            return command(*args, **kwargs)

    return speaking


def locale_of(user) -> str:
    """The language to write to this user in outside their requests (e-mails)."""
    saved = getattr(user, "locale", None)
    return saved if saved in LANGUAGES else site_default(object_session(user))
