"""Case triage as pure functions: priority from words, VIP and tone; routing by skill.

The case service feeds these with the case text, the customer and the admins' rules;
keeping them free of I/O lets each rule be tested with plain values.

Customers write in English and in French, so both are read the same way: the default
rules and the angry-tone lexicon carry words of both languages, and text is compared
folded — without case, accents, apostrophe style (’ or ') or hyphens — so "Résilier",
"resilier", "ras-le-bol" and "ras le bol", "plus d’internet" and "plus d'internet" match
alike. A keyword matches the start of a word ("rembours" finds "remboursement",
"remboursez"), and the words of a longer keyword may take a French ending ("débité deux
fois" finds "débitée deux fois"), which covers French inflections without a stemmer.
Admins add words of any language to their rules (/desk/rules); the tone lexicon is here.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from portal.i18n import N_


class Priority(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3


@dataclass(frozen=True)
class PriorityRule:
    """An admin's rule: any of these keywords raises the case to this priority."""

    keywords: tuple[str, ...]
    priority: Priority
    name: str = ""


# Defaults the demo starts with; admins edit them. English and French on purpose. The
# names are written in the site's language when the rules are first saved
# (routing.seed_default_rules): from then on they are the admins' text.
DEFAULT_PRIORITY_RULES = (
    PriorityRule(
        (
            "outage", "internet down", "line down", "no internet",
            "panne", "coupure", "plus d'internet", "pas d'internet", "plus de connexion",
        ),
        Priority.URGENT,
        N_("Outage"),
    ),
    PriorityRule(
        (
            "refund", "charged twice", "overcharged",
            "rembours", "prélevé deux fois", "débité deux fois", "double prélèvement",
        ),
        Priority.HIGH,
        N_("Money"),
    ),
    PriorityRule(
        ("cancel", "terminate", "résili", "annuler", "mettre fin"),
        Priority.HIGH,
        N_("Churn risk"),
    ),
)  # fmt: skip

# A small lexicon of angry tone, English then French. Two signals or more make the tone
# angry (a word each, shouting, "!!!").
ANGRY_WORDS = (
    "unacceptable", "ridiculous", "furious", "worst", "disgusting", "scandal", "useless",
    "fed up", "sick of", "joke", "lawyer", "scam", "rip-off", "incompetent", "pathetic",
    "inadmissible", "inacceptable", "honte", "honteux", "scandale", "ras le bol", "marre",
    "en ai assez", "furieux", "furieuse", "avocat", "arnaque", "lamentable", "n'importe quoi",
    "incompétent", "inutile", "que choisir", "médiateur", "vous moquez", "foutage",
)  # fmt: skip
# Apostrophes and hyphens as people type them: all read as one.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "-": " ", "‐": " "})


def fold(text: str) -> str:
    """Lowercase without accents, apostrophe style or hyphens, so 'Résilier' and
    'resilier', "d’internet" and "d'internet", 'ras-le-bol' and 'ras le bol' compare equal."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return text.encode("ascii", "ignore").decode().lower()


# What may follow each word of a keyword but its last: French gender and number endings
# ("débité deux fois" finds "débitée deux fois"), and nothing else ("no internet" must
# not find "now internet").
_INFLECTION = r"(?:e?s?|x)\s+"


def mentions(text: str, keyword: str) -> bool:
    """True when the text says the keyword: its last word may start a longer word
    ('cancel' finds 'cancellation'), the others may take a French ending."""
    words = fold(keyword).split()
    if not words:
        return False
    pattern = r"(?<!\w)" + _INFLECTION.join(re.escape(word) for word in words)
    return re.search(pattern, fold(text)) is not None


def angry_signals(text: str) -> int:
    """How many signs of anger the text shows: lexicon words, shouting, '!!!'."""
    signals = sum(1 for word in ANGRY_WORDS if mentions(text, word))
    letters = [char for char in text if char.isalpha()]
    if len(letters) >= 20 and sum(char.isupper() for char in letters) / len(letters) > 0.6:
        signals += 1
    if "!!!" in text:
        signals += 1
    return signals


@dataclass(frozen=True)
class Assessment:
    """The priority and why: (timeline code, parameters) pairs, see moderation.cases.timeline."""

    priority: Priority
    reasons: tuple[tuple[str, dict], ...]


def assess_priority(
    text: str, *, customer_is_vip: bool, rules=DEFAULT_PRIORITY_RULES
) -> Assessment:
    """The priority a new case deserves, with the reasons (shown on the case timeline)."""
    priority, reasons = Priority.NORMAL, []
    for rule in rules:
        hit = next((keyword for keyword in rule.keywords if mentions(text, keyword)), None)
        if hit:
            reasons.append(("priority_rule", {"rule": rule.name, "keyword": hit}))
            priority = max(priority, rule.priority)
    if customer_is_vip:
        reasons.append(("priority_vip", {}))
        priority = max(priority, Priority.HIGH)
    if angry_signals(text) >= 2:
        reasons.append(("priority_angry", {}))
        priority = Priority(min(priority + 1, Priority.URGENT))
    return Assessment(priority, tuple(reasons))


@dataclass(frozen=True)
class AgentLoad:
    """What routing knows of an agent."""

    agent_id: int
    skills: frozenset[str]  # tag slugs
    available: bool
    open_cases: int


def choose_agent(case_tags: set[str], agents: list[AgentLoad]) -> int | None:
    """An available agent whose skills match the case, fewest open cases first; else None."""
    matching = [agent for agent in agents if agent.available and agent.skills & case_tags]
    if not matching:
        return None
    best = min(matching, key=lambda a: (a.open_cases, -len(a.skills & case_tags), a.agent_id))
    return best.agent_id
