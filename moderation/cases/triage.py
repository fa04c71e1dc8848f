"""Case triage as pure functions: priority from words, VIP and tone; routing by skill.

The case service feeds these with the case text, the customer and the admins' rules;
keeping them free of I/O lets each rule be tested with plain values.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum


class Priority(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class PriorityRule:
    """An admin's rule: any of these keywords raises the case to this priority."""

    keywords: tuple[str, ...]
    priority: Priority
    name: str = ""


# Defaults the demo starts with; admins edit them. English and French on purpose.
DEFAULT_PRIORITY_RULES = (
    PriorityRule(
        (
            "outage",
            "internet down",
            "line down",
            "no internet",
            "panne",
            "coupure",
            "plus d'internet",
        ),
        Priority.URGENT,
        "Outage",
    ),
    PriorityRule(
        ("refund", "charged twice", "overcharged", "rembours", "prélevé deux fois"),
        Priority.HIGH,
        "Money",
    ),
    PriorityRule(
        ("cancel", "terminate", "résili", "resili", "annuler"), Priority.HIGH, "Churn risk"
    ),
)

# A small lexicon of angry tone. Two signals or more make the tone angry.
ANGRY_WORDS = (
    "unacceptable", "ridiculous", "furious", "worst", "disgusting", "scandal", "useless",
    "fed up", "sick of", "joke", "lawyer", "inadmissible", "honte", "scandale",
    "ras le bol", "marre", "inacceptable", "furieux", "avocat", "arnaque", "scam",
)  # fmt: skip


def fold(text: str) -> str:
    """Lowercase without accents, so 'Résilier' and 'resilier' compare equal."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def mentions(text: str, keyword: str) -> bool:
    """True when a word of the text starts with the keyword ('cancel' finds 'cancellation')."""
    return re.search(r"(?<!\w)" + re.escape(fold(keyword)), fold(text)) is not None


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
    priority: Priority
    reasons: tuple[str, ...]


def assess_priority(
    text: str, *, customer_is_vip: bool, rules=DEFAULT_PRIORITY_RULES
) -> Assessment:
    """The priority a new case deserves, with the reasons (shown on the case timeline)."""
    priority, reasons = Priority.NORMAL, []
    for rule in rules:
        hit = next((keyword for keyword in rule.keywords if mentions(text, keyword)), None)
        if hit:
            reasons.append(f"{rule.name or 'Rule'}: mentions “{hit}”")
            priority = max(priority, rule.priority)
    if customer_is_vip:
        reasons.append("VIP customer")
        priority = max(priority, Priority.HIGH)
    if angry_signals(text) >= 2:
        reasons.append("Angry tone")
        priority = min(Priority.URGENT, Priority(priority + 1))
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
