"""Find nested quantifiers in a watched pattern: a repeated group that repeats inside.

`(q+)+$` takes exponential time on "qqqq…q!" and slips past any probe text that does not
happen to contain a run of q's, so the save-time check reads the pattern itself: a group
repeated more than once (`*`, `+`, `{2,}`, `{1,5}`…) that contains any quantifier
(`*`, `+`, `?`, `{…}`) is refused. A group that is merely optional (`(a+)?`) is allowed.
The scan knows escapes (`\\+`, `\\p{L}`), character classes (`[+*]`) and group openers
(`(?:`, `(?<name>`, `(?i)`); it reads the `regex` module's syntax as well as `re`'s.
"""

import re

# A quantifier at a position: *, + or ?, or {n}, {n,}, {,m}, {n,m}; then an optional lazy
# (?) or possessive (+) mark. A "{" that is not one of these shapes is a literal brace.
QUANTIFIER = re.compile(r"(?:[*+?]|\{(\d*)(,?)(\d*)\})[?+]?")
BRACED_ESCAPES = frozenset("pPNxXgk")  # \p{L}, \N{NAME}, \x{263a}, \g{1}, \k{name}


def quantifier_at(source: str, index: int) -> re.Match | None:
    match = QUANTIFIER.match(source, index)
    if match and match.group(0).startswith("{") and not (match.group(1) or match.group(3)):
        return None  # "{}" or "{,}": a literal
    return match


def repeats(quantifier: re.Match) -> bool:
    """Whether the quantifier lets its atom match more than once."""
    text = quantifier.group(0)
    if text[0] in "*+":
        return True
    if text[0] == "?":
        return False
    low, comma, high = quantifier.groups()
    if not comma:
        return int(low) > 1
    return not high or int(high) > 1


def _skip_escape(source: str, index: int) -> int:
    """The index after the escape sequence that starts at index (a backslash)."""
    if source[index + 1 : index + 2] in BRACED_ESCAPES and source[index + 2 : index + 3] == "{":
        end = source.find("}", index + 3)
        return len(source) if end < 0 else end + 1
    return index + 2


def _skip_class(source: str, index: int) -> int:
    """The index after the character class that starts at index (an opening bracket)."""
    index += 1
    if source[index : index + 1] == "^":
        index += 1
    if source[index : index + 1] == "]":  # a leading ] is a member, not the end
        index += 1
    while index < len(source) and source[index] != "]":
        index = _skip_escape(source, index) if source[index] == "\\" else index + 1
    return index + 1


def nested_quantifier(source: str) -> str | None:
    """The first repeated group that contains a quantifier, as written; None when there is none."""
    open_groups: list[list] = []  # [where the group starts, whether it holds a quantifier]
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index = _skip_escape(source, index)
        elif char == "[":
            index = _skip_class(source, index)
        elif char == "(":
            open_groups.append([index, False])
            # "(?:", "(?P<", "(?=", "(?i)": the "?" opens the group, it quantifies nothing.
            index += 2 if source[index + 1 : index + 2] == "?" else 1
        elif char == ")":
            start, holds_quantifier = open_groups.pop() if open_groups else (index, False)
            quantifier = quantifier_at(source, index + 1)
            after = quantifier.end() if quantifier else index + 1
            if quantifier and holds_quantifier and repeats(quantifier):
                return source[start:after]
            if open_groups and (holds_quantifier or quantifier):
                open_groups[-1][1] = True
            index = after
        elif quantifier := quantifier_at(source, index):
            if open_groups:
                open_groups[-1][1] = True
            index = quantifier.end()
        else:
            index += 1
    return None
