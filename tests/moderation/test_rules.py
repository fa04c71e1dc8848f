"""Each automatic moderation rule on its own, without a database."""

import time

import pytest

from moderation.rules import (
    Action,
    RuleSettings,
    Submission,
    WatchedTerm,
    compile_watched_term,
    content_fingerprint,
    count_links,
    evaluate,
    find_personal_data,
    luhn_valid,
)

SETTINGS = RuleSettings(
    new_account_held_posts=2, max_links=2, link_reputation_threshold=20, max_posts_per_window=5
)


def submission(text="My router keeps rebooting.", **facts):
    defaults = dict(
        author_reputation=50,
        author_visible_posts=10,
        posts_in_rate_window=0,
        identical_posts_elsewhere=0,
    )
    return Submission(text=text, **{**defaults, **facts})


def watched(term, action=Action.HOLD, is_regex=False, whole_word=True):
    return WatchedTerm(
        1, term, action, compile_watched_term(term, is_regex=is_regex, whole_word=whole_word)
    )


def test_a_plain_post_from_a_known_member_passes():
    assert evaluate(submission(), [], SETTINGS).action is Action.ALLOW


@pytest.mark.parametrize(
    "text, hit",
    [
        ("This is a SCAM, avoid", True),
        ("scammers everywhere", False),  # whole words by default
        ("scam.", True),
    ],
)
def test_watched_words_are_case_insensitive_whole_words(text, hit):
    verdict = evaluate(submission(text), [watched("scam", Action.BLOCK)], SETTINGS)
    assert (verdict.action is Action.BLOCK) is hit
    if hit:
        assert verdict.reasons() == ["Contains the watched term “scam”"]


def test_watched_regex_and_substring_mode():
    pattern = watched(r"free\s+(iphone|ipad)s?", Action.FLAG, is_regex=True)
    assert evaluate(submission("Get FREE   iPhones now"), [pattern], SETTINGS).action is Action.FLAG
    substring = watched("crypto", Action.HOLD, whole_word=False)
    assert evaluate(submission("cryptocurrency deals"), [substring], SETTINGS).action is Action.HOLD


def test_the_strictest_hit_decides():
    terms = [watched("refund", Action.FLAG), watched("idiot", Action.BLOCK)]
    verdict = evaluate(submission("refund me, idiot"), terms, SETTINGS)
    assert verdict.action is Action.BLOCK and len(verdict.hits) == 2


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("(unclosed", "does not compile"),
        ("(a+)+$", "too long"),
        ("(x+x+)+y", "too long"),
        ("a*", "empty text"),
        ("x" * 201, "under 200"),
        ("   ", "Give a word"),
    ],
)
def test_bad_patterns_are_refused_when_saved(pattern, message):
    with pytest.raises(ValueError, match=message):
        compile_watched_term(pattern, is_regex=True, whole_word=False)


def test_matching_time_is_bounded():
    # A pattern that slipped past the save-time probes still cannot hang a post.
    import regex

    slow = WatchedTerm(9, "slow", Action.BLOCK, regex.compile(r"(\w+\s?)+$"))
    started = time.perf_counter()
    verdict = evaluate(submission("word " * 2000 + "!"), [slow], SETTINGS)
    assert time.perf_counter() - started < 1
    assert verdict.action is Action.FLAG and "timed out" in verdict.hits[0].reason


def test_first_posts_of_new_accounts_are_held():
    assert evaluate(submission(author_visible_posts=0), [], SETTINGS).action is Action.HOLD
    assert evaluate(submission(author_visible_posts=1), [], SETTINGS).action is Action.HOLD
    assert evaluate(submission(author_visible_posts=2), [], SETTINGS).action is Action.ALLOW


def test_many_links_from_low_reputation_are_held():
    text = "see https://a.example https://b.example and www.c.example"
    assert count_links(text) == 3
    assert evaluate(submission(text, author_reputation=5), [], SETTINGS).action is Action.HOLD
    assert evaluate(submission(text, author_reputation=20), [], SETTINGS).action is Action.ALLOW
    assert (
        evaluate(
            submission("https://a.example https://b.example", author_reputation=0), [], SETTINGS
        ).action
        is Action.ALLOW
    )


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("mail me at jordan.lee+isp@example.com", ["e-mail address"]),
        ("call 06 12 34 56 78 after 6", ["phone number"]),
        ("my number is +44 20 7946 0958", ["phone number"]),
        ("US line (555) 010-4477", ["phone number"]),
        ("card 4539 1488 0343 6467 was charged twice", ["card number"]),
        ("card 4539-1488-0343-6467", ["card number"]),
        ("order 4539 1488 0343 6468", []),  # fails the Luhn check: not a card
        ("router IP 192.168.1.254, firmware 2.4.13, ticket 123456789", []),
        ("speed test 940 Mbps on 23/11/2026 at 19:30", []),
    ],
)
def test_personal_data_detection(text, kinds):
    assert find_personal_data(text) == kinds


def test_personal_data_holds_and_tells_why():
    verdict = evaluate(submission("reach me on 06 12 34 56 78"), [], SETTINGS)
    assert verdict.action is Action.HOLD
    assert "personal data (phone number)" in verdict.reasons()[0]


def test_luhn():
    assert luhn_valid("4539148803436467") and luhn_valid("79927398713")
    assert not luhn_valid("4539148803436468")


def test_duplicates_and_rate_limit():
    assert evaluate(submission(identical_posts_elsewhere=1), [], SETTINGS).action is Action.HOLD
    slowed = evaluate(submission(posts_in_rate_window=5), [], SETTINGS)
    assert slowed.action is Action.SLOW_DOWN and "Wait a few minutes" in slowed.reasons()[0]
    assert content_fingerprint("Buy NOW: cheap   routers!") == content_fingerprint(
        "buy now cheap routers"
    )
    assert content_fingerprint("Déjà vu") == content_fingerprint("deja vu")


def test_staff_skip_all_but_watched_terms():
    text = "Call our line 020 7946 0958 https://a.example https://b.example https://c.example"
    trusted = submission(text, author_visible_posts=0, author_reputation=0, author_is_trusted=True)
    assert evaluate(trusted, [], SETTINGS).action is Action.ALLOW
    assert evaluate(trusted, [watched("line", Action.FLAG)], SETTINGS).action is Action.FLAG


@pytest.mark.parametrize(
    "pattern",
    [
        "(q+)+$",  # passed the probes: none of them is a run of q's
        "(q*)*",
        "(?:ab+c)+",
        "(x+){2,}",
        "(x?y){1,9}z",
        "((a|b)+c)*d",
        r"(\d+-)+x",
        r"([a-z]+\s)+!",
        "(?<word>z+)+",
    ],
)
def test_nested_quantifiers_are_refused_with_a_clear_message(pattern):
    with pytest.raises(ValueError, match="repeated group contains a repetition"):
        compile_watched_term(pattern, is_regex=True, whole_word=False)


@pytest.mark.parametrize(
    "pattern",
    [
        r"free\s+(iphone|ipad)s?",
        "(colou?r)?s",  # an optional group runs at most once
        "(ab){2,3}",
        r"[(+*)]+x",  # quantifier characters inside a class are letters
        r"\(q+\)+",  # escaped parentheses are letters too
        r"\p{Lu}{2}(ab)+",
        "(?i)scam{1}(mer)*",
    ],
)
def test_patterns_without_nesting_are_kept(pattern):
    compile_watched_term(pattern, is_regex=True, whole_word=False)


def test_the_message_names_the_nested_part():
    with pytest.raises(ValueError, match=r"“\(q\+\)\+”"):
        compile_watched_term("order (q+)+$", is_regex=True, whole_word=True)
