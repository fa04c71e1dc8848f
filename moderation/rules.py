"""The automatic moderation rules as pure functions: text and facts in, a verdict out.

The moderation service gathers the facts (the author's reputation, post count, recent
posts, duplicates) from the database and the watched terms admins saved, then asks
``evaluate``. Keeping the rules free of I/O makes each one testable on its own.

A hit's reason is the catalog's message and its values, not a sentence in one language:
it is written out in the reader's language when shown (moderation/reasons.py says why).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum

import regex

from moderation.nesting import nested_quantifier
from moderation.reasons import describe
from portal.i18n import N_

# How long one watched pattern may run on one post. The `regex` module enforces it;
# the standard `re` module cannot be interrupted.
MATCH_TIMEOUT_SECONDS = 0.05
# Strings that make badly nested patterns backtrack; a pattern must get through each fast.
_BACKTRACKING_PROBES = [
    "a" * 3000 + "!",
    "x" * 3000 + "!",
    "ab" * 1500 + "!",
    " " * 3000 + "!",
    "1" * 3000 + "!",
]
MAX_PATTERN_LENGTH = 200


class Action(IntEnum):
    """What a rule wants done, ordered by severity: the strictest hit decides."""

    ALLOW = 0
    FLAG = 1  # published, queued for a moderator
    HOLD = 2  # published only after approval
    SLOW_DOWN = 3  # refused for now: posting too fast
    BLOCK = 4  # refused: the text comes back to the author


# The rules by name, as moderators read them in the queue.
RULE_LABELS = {
    "watched_term": N_("watched term"),
    "rate_limit": N_("rate limit"),
    "new_account": N_("new account"),
    "links": N_("links"),
    "personal_data": N_("personal data"),
    "duplicate": N_("duplicate"),
    "unverified_email": N_("unconfirmed e-mail address"),
}


@dataclass(frozen=True)
class RuleHit:
    rule: str  # which rule fired, e.g. "watched_term", "personal_data"
    action: Action
    # Said to moderators, and to the author for holds and blocks: the catalog's text
    # (marked with N_) whose %(name)s placeholders params fill, stored as both.
    message: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in the current language."""
        return describe(self.message, self.params)


class PatternRefused(ValueError):
    """Why a watched term cannot be saved: the catalog's message and its values."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@dataclass(frozen=True)
class WatchedTerm:
    """An admin's watched word or pattern, compiled once."""

    id: int
    term: str
    action: Action
    pattern: "regex.Pattern"


@dataclass(frozen=True)
class Submission:
    """What a post is, and the facts about its author the rules look at."""

    text: str
    author_reputation: int
    author_visible_posts: int  # posts of the author already published
    posts_in_rate_window: int  # the author's posts in the last RATE_WINDOW
    identical_posts_elsewhere: int  # same content in other threads recently
    author_is_trusted: bool = False  # staff: rules other than watched terms do not apply
    author_email_verified: bool = True


@dataclass(frozen=True)
class RuleSettings:
    new_account_held_posts: int = 2
    max_links: int = 2
    link_reputation_threshold: int = 20
    max_posts_per_window: int = 5
    duplicate_threshold: int = 1
    require_verified_email: bool = False


@dataclass
class Verdict:
    hits: list[RuleHit] = field(default_factory=list)

    @property
    def action(self) -> Action:
        return max((hit.action for hit in self.hits), default=Action.ALLOW)

    def reasons(self, at_least: Action = Action.FLAG) -> list[str]:
        return [hit.reason for hit in self.hits if hit.action >= at_least]


def compile_watched_term(term: str, *, is_regex: bool, whole_word: bool = True) -> "regex.Pattern":
    """Compile a watched term case-insensitively; refuse (PatternRefused) patterns that fail
    or backtrack badly."""
    term = term.strip()
    if not term:
        raise PatternRefused(N_("Give a word or a pattern."))
    if len(term) > MAX_PATTERN_LENGTH:
        raise PatternRefused(N_("Keep patterns under %(max)d characters."), max=MAX_PATTERN_LENGTH)
    nested = nested_quantifier(term) if is_regex else None
    if nested:
        # Probes only catch what they happen to contain: (q+)+$ is fast on every one of them.
        raise PatternRefused(
            N_(
                "This pattern could take too long on some texts: a repeated group contains a "
                "repetition (“%(group)s”). Repeat the inside or the group, not both: a+ "
                "instead of (a+)+."
            ),
            group=nested,
        )
    source = term if is_regex else regex.escape(term)
    if whole_word:
        source = rf"(?<!\w)(?:{source})(?!\w)"
    try:
        pattern = regex.compile(source, regex.IGNORECASE | regex.UNICODE)
    except regex.error as error:
        raise PatternRefused(
            N_("This pattern does not compile: %(error)s."), error=str(error)
        ) from error
    for probe in _BACKTRACKING_PROBES:
        try:
            pattern.search(probe, timeout=MATCH_TIMEOUT_SECONDS)
        except TimeoutError:
            raise PatternRefused(
                N_("This pattern could take too long on some texts; simplify it.")
            ) from None
    if pattern.search("", timeout=MATCH_TIMEOUT_SECONDS) is not None:
        raise PatternRefused(N_("This pattern matches empty text, so it would match every post."))
    return pattern


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?!\w)", re.IGNORECASE)
# Phone numbers in the shapes people write them: international (+33 6 12 34 56 78),
# national with a leading 0 (06 12 34 56 78, 020 7946 0958) and North American
# ((555) 010-4477). Bare digit runs are left alone: they are order or model numbers.
PHONE = re.compile(
    r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\w)"
    r"|(?<![\w.])0\d(?:[\s.-]?\d{2}){4}(?![\w.])"
    r"|(?<![\w.])0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}(?![\w.])"
    r"|(?<![\w.])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w.])"
)
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that payment card numbers carry."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def find_personal_data(text: str) -> list[str]:
    """Which kinds of personal data the text shows: e-mail address, phone number, card number
    (the catalog's words for them, translated where shown)."""
    found = []
    if EMAIL.search(text):
        found.append(N_("e-mail address"))
    cards = [re.sub(r"\D", "", match) for match in CARD.findall(text)]
    if any(13 <= len(number) <= 19 and luhn_valid(number) for number in cards):
        found.append(N_("card number"))
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 9 <= len(digits) <= 15:
            found.append(N_("phone number"))
            break
    return found


def redact_personal_data(text: str, names: list[str], *, mask: str) -> str:
    """The text without e-mail addresses, phone and card numbers, nor these people's names:
    a short line naming one (a greeting, a signature) goes, other mentions become ``mask``."""
    text = EMAIL.sub(mask, text)
    text = CARD.sub(lambda m: mask if luhn_valid(re.sub(r"\D", "", m.group())) else m.group(), text)
    text = PHONE.sub(
        lambda m: mask if 9 <= len(re.sub(r"\D", "", m.group())) <= 15 else m.group(), text
    )
    names = [name for name in names if name and len(name) > 1]
    if not names:
        return text
    naming = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in names), re.IGNORECASE)
    lines = [
        line for line in text.splitlines() if not (naming.search(line) and len(line.strip()) <= 80)
    ]
    return naming.sub(mask, "\n".join(lines)).strip()


def count_links(text: str) -> int:
    return len(LINK.findall(text))


def content_fingerprint(text: str) -> str:
    """A hash of the text with case, accents, punctuation and spacing folded away."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", folded)
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def check_watched_terms(text: str, terms: list[WatchedTerm]) -> list[RuleHit]:
    hits = []
    for term in terms:
        try:
            matched = term.pattern.search(text, timeout=MATCH_TIMEOUT_SECONDS)
        except TimeoutError:
            # A pattern that runs away on this text: let a person look rather than guess.
            message = N_("Watched pattern “%(term)s” timed out")
            hits.append(RuleHit("watched_term", Action.FLAG, message, {"term": term.term}))
            continue
        if matched:
            message = N_("Contains the watched term “%(term)s”")
            hits.append(RuleHit("watched_term", term.action, message, {"term": term.term}))
    return hits


def evaluate(submission: Submission, terms: list[WatchedTerm], settings: RuleSettings) -> Verdict:
    """Run every rule on a submission; the verdict's action is the strictest hit."""
    verdict = Verdict(check_watched_terms(submission.text, terms))
    if submission.author_is_trusted:
        return verdict
    hits = verdict.hits
    if submission.posts_in_rate_window >= settings.max_posts_per_window:
        hits.append(
            RuleHit(
                "rate_limit",
                Action.SLOW_DOWN,
                N_("You are posting very quickly. Wait a few minutes, then try again."),
            )
        )
    if settings.require_verified_email and not submission.author_email_verified:
        # Held, not refused: published by itself when the address is confirmed
        # (moderation/verification.py), or by a moderator before that.
        hits.append(
            RuleHit(
                "unverified_email",
                Action.HOLD,
                N_("Posts wait until their author confirms their e-mail address"),
            )
        )
    if submission.author_visible_posts < settings.new_account_held_posts:
        hits.append(
            RuleHit(
                "new_account",
                Action.HOLD,
                N_("Posts from new members are reviewed before they appear"),
            )
        )
    links = count_links(submission.text)
    if (
        links > settings.max_links
        and submission.author_reputation < settings.link_reputation_threshold
    ):
        hits.append(
            RuleHit(
                "links",
                Action.HOLD,
                N_("Contains %(links)d links (more than %(max)d for new members)")
                if links > 1
                else N_("Contains a link (new members may not post any)"),
                {"links": links, "max": settings.max_links},
            )
        )
    personal_data = find_personal_data(submission.text)
    if personal_data:
        hits.append(
            RuleHit(
                "personal_data",
                Action.HOLD,
                N_("Seems to show personal data (%(kinds)s); a moderator checks it to protect you"),
                {"kinds": personal_data},
            )
        )
    if submission.identical_posts_elsewhere >= settings.duplicate_threshold:
        message = N_("The same text was posted in another thread")
        hits.append(RuleHit("duplicate", Action.HOLD, message))
    return verdict
