"""The moderation settings as the rules page shows them: a sentence each, not a name.

The values come from the configuration (``PORTAL_MODERATION_…`` variables, README); the
people reading the page run the community, so each setting reads as what it does.
"""

from flask import Config

from portal.i18n import N_

# Setting → what it means, with its value as %(value)s (the page's language).
SETTING_LABELS = {
    "MODERATION_NEW_ACCOUNT_HELD_POSTS": N_("A new member's first %(value)s posts wait for review"),
    "MODERATION_REVIEW_HOURS": N_(
        "Members whose post waits are promised a review within %(value)s hours"
    ),
    "MODERATION_FLAG_THRESHOLD": N_(
        "Reports weighing %(value)s hide a post until a moderator looks"
    ),
    "MODERATION_FLAG_NEW_ACCOUNT_DAYS": N_(
        "A report counts fully from members registered %(value)s days ago with a published post"
    ),
    "MODERATION_FLAG_NEW_ACCOUNT_WEIGHT": N_("A report from anyone else weighs %(value)s"),
    "MODERATION_MAX_LINKS": N_("New members may put up to %(value)s links in a post"),
    "MODERATION_LINK_REPUTATION_THRESHOLD": N_(
        "Members with %(value)s reputation points may post more links"
    ),
    "MODERATION_RATE_LIMIT_POSTS": N_(
        "A member may post %(value)s times in a row before “slow down”"
    ),
    "MODERATION_RATE_WINDOW_MINUTES": N_("… within %(value)s minutes"),
    "MODERATION_DUPLICATE_THRESHOLD": N_(
        "The same text in %(value)s other threads is held (0: off)"
    ),
    "MODERATION_DUPLICATE_WINDOW_HOURS": N_("… posted within %(value)s hours"),
    "MODERATION_DUPLICATE_MIN_WORDS": N_("Texts shorter than %(value)s words are never duplicates"),
    "MODERATION_ITEMS_PER_PAGE": N_("The queue shows %(value)s items a page"),
    "MODERATION_AUDIT_PER_PAGE": N_("The audit log shows %(value)s entries a page"),
}


def described_settings(config: Config) -> list[tuple[str, str, object]]:
    """(setting name, its sentence's message id, value) for the settings the page explains."""
    return [(key, label, config[key]) for key, label in SETTING_LABELS.items() if key in config]
