"""Calibrated confidence: whether anything a search found is a real match.

The fused score is scaled per query (min-max), so the best result of "how do I do it" scores
as high as the best result of a precise question: junk ranked confidently. The raw cosine
alone does not tell either: a vague query is close to every support text (with e5, "how do I
do it" reaches 0.85 with some article, as high as most real questions).

What tells is a comparison with small talk. ``SMALL_TALK`` holds sentences that answer
nothing ("it doesn't work", "merci beaucoup"), embedded as documents by the same model
(``search.vectors.small_talk``). A query whose best document is not clearly closer to it
than the nearest small-talk sentence found nothing certain:

    margin = best cosine with a document − best cosine with small talk
    uncertain when margin < SEARCH_CONFIDENT_MARGIN (measured per model)

On our sets (docs/benchmarks.md, "Calibrated confidence"; bench/calibrate.py) this keeps
98 % of real questions and hides every filler query, where a threshold on the raw cosine
that keeps as many questions hides about half of them. The small-talk sentences here are
not the bench's filler queries (those are other wordings, kept for measuring).

Keyword evidence the cosine cannot see is kept: a query with a code or number ("E-4012",
"order 88123") or a quoted phrase is never called uncertain (the keyword side ranks those,
search.fulltext), and neither is a keyword-only ranking (no model: no measure of meaning).
"""

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.engine import Ranked

# English and French, as the portal's content. Short and generic on purpose.
SMALL_TALK = (
    "how can I do that",
    "it doesn't work",
    "please help me",
    "I need help",
    "what do I do",
    "any idea?",
    "hi everyone",
    "thank you very much",
    "same here",
    "is this normal",
    "ok",
    "question",
    "comment faire",
    "ça ne fonctionne pas",
    "aidez-moi",
    "j'ai besoin d'aide",
    "que faire",
    "une idée ?",
    "bonjour à tous",
    "merci beaucoup",
    "moi aussi",
    "c'est normal ?",
    "d'accord",
    "une question",
)
# A word holding a digit, or a quoted phrase: what a reader copies exactly.
_EXACT = re.compile(r"\w*\d\w*|\"[^\"]+\"|“[^”]+”|«[^»]+»")


def margin(ranked: "Ranked") -> float | None:
    """Best cosine with a document minus best cosine with small talk (None: not known)."""
    if not ranked.semantic or not ranked.cosines or ranked.small_talk is None:
        return None
    return max(ranked.cosines.values()) - ranked.small_talk


def is_uncertain(text: str, ranked: "Ranked", threshold: float) -> bool:
    """Whether nothing in the ranking is close enough in meaning to be shown as an answer."""
    value = margin(ranked)
    if value is None or not ranked.hits:
        return False
    if _EXACT.search(text):
        return False  # an exact token: the keyword side's evidence, which cosines cannot see
    return value < threshold
