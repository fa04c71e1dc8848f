"""Why the automatic rules acted, kept as the catalog's message and its values, written out
in the reader's language each time it is shown.

A rule's reason is read by two people who may not share a language: the moderators in the
queue and, for a hold or a block, the post's author ("Awaiting review: …"). Translating it
once, when the rule fires, would fix it in one language — the moderators' site default
would show a French author an English reason, the author's language would show it to an
English-speaking moderator in French — and every later change of the wording or of the
translation would leave the stored rows behind. So a hit is stored as its message exactly
as the catalog knows it (``N_("Contains the watched term “%(term)s”")``) with its values
in ``moderation_rule_hits.params`` (``{"term": "scam"}``), and ``describe`` translates and
fills it in whoever's language the page or notification speaks. A value may itself be a
list of catalog words (the kinds of personal data: joined the reader's way, "an e-mail
address and a phone number") or a nested reason (``{"message": …, "params": …}``: an
edit's hits wrap the rule's own reason). Rows stored before migration 0016 without values
were free English text; the migration turned the known shapes into messages and values,
anything else is shown as stored.
"""

from babel.lists import format_list
from flask_babel import get_locale, gettext


def describe(message: str, params: dict | None = None) -> str:
    """The reason in the current language (a request's, or one set with force_locale)."""
    values = {name: _value(value) for name, value in (params or {}).items()}
    # Without values nothing is formatted: a stored free text may contain a "%".
    return gettext(message, **values) if values else gettext(message)


def _value(value):
    if isinstance(value, dict) and "message" in value:
        return describe(value["message"], value.get("params"))
    if isinstance(value, list):
        return format_list([gettext(item) for item in value], locale=str(get_locale() or "en"))
    return value
