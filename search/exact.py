"""Exact items: what a customer means literally, to be matched as written.

Meaning cannot tell order 55821 from order 55812, and BM25 weighs a code as one word among
many, so documents holding the query's codes, long numbers or quoted phrases are put first
(search.engine). Here: which parts of a query are such items, and the Whoosh query that
finds them as phrases in the text fields, as the index analysed them.
"""

import re
from collections.abc import Iterable, Mapping

from whoosh.query import Or, Phrase, Query, Term

from search.analysis import ANALYZERS, MAX_QUERY_CHARS

# Quoted phrases ("…", “…”, « … ») and words holding a digit.
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»')
EDGE_PUNCTUATION = ".,;:!?()[]{}'\"“”«»"
EXACT_MIN_CHARS = 4  # "v2" or "1st" single nothing out
LONG_NUMBER = re.compile(r"\d{5}")  # an identifier (order, contract, phone), not a price
EXACT_PHRASE_MAX_WORDS = 8  # longer "quotes" are mostly unbalanced quotation marks
EXACT_MAX_ITEMS = 5


def exact_items(query_text: str) -> list[str]:
    """What the customer means literally: short quoted phrases, codes mixing letters and
    digits ("E-1042", "X200") and long numbers ("55821"). Plain short numbers ("2013",
    "1500") are not items: prices, years and counts are said in words around them, and
    putting every thread that names the year first cost 0.8 MAP on SemEval dev."""
    text = query_text[:MAX_QUERY_CHARS]
    items = [next(part for part in match.groups() if part) for match in QUOTED.finditer(text)]
    items = [item for item in items if len(item.split()) <= EXACT_PHRASE_MAX_WORDS]
    for chunk in QUOTED.sub(" ", text).split():
        chunk = chunk.strip(EDGE_PUNCTUATION)
        digits = any(char.isdigit() for char in chunk)
        letters = any(char.isalpha() for char in chunk)
        if len(chunk) >= EXACT_MIN_CHARS and ((digits and letters) or LONG_NUMBER.search(chunk)):
            items.append(chunk)
    return list(dict.fromkeys(items))[:EXACT_MAX_ITEMS]


def phrase_query(item: str, fields: Mapping[str, Iterable[str]]) -> Query | None:
    """The item as a phrase (a term when one word) in every text field of each language
    (``fields``: language → its field names), analysed as that language's fields were."""
    alternatives: list[Query] = []
    for lang, field_names in fields.items():
        terms = [token.text for token in ANALYZERS[lang](item, mode="query")]
        if not terms:
            continue  # stop words only
        for field_name in sorted(field_names):
            if len(terms) == 1:
                alternatives.append(Term(field_name, terms[0]))
            else:
                alternatives.append(Phrase(field_name, terms))
    return Or(alternatives) if alternatives else None
