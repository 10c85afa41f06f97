"""Text normalisers used before comparing: never applied to what cleaner outputs.

Two copies of a caption differ in quote style and a trailing credit; two promos differ in the
brand, the number and the period ("The Telegraph", 1 month / "The Times", 30 days). Comparing
normalised forms lets one fuzzy threshold cover those variants without a rule per site.
"""

from __future__ import annotations

from unicodedata import category

import regex

_QUOTE_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2033": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\u00a0": " ",
}
_QUOTE_CHARS = regex.compile("|".join(regex.escape(ch) for ch in _QUOTE_MAP))
# Edge punctuation, matched at the start and (reverse search) at the end only: one pattern
# with both alternatives would be tried at every position of the line.
_LEAD_PUNCT = regex.compile(r"[\p{P}\p{S}\s]+")
_TRAIL_PUNCT = regex.compile(r"(?r)[\p{P}\p{S}\s]+$")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}'’]+(?:-[\p{L}\p{M}\p{N}]+)*")
PERIODS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "mo", "yr"}
)
_SENTENCE_END = frozenset(".!?:;")
# The length from which a line that opens in lower case or runs on into the next is read as a
# piece of a paragraph cut at a fixed width (a mail, a text-mode dump): a menu's label or a
# promo's button is shorter. Shared by the phrase kind and main-region's wrapped-line test.
WRAPPED_CHARS = 40


def fold(text: str) -> str:
    """Fold quotes, dashes and spacing, casefold, trim edge punctuation: a comparison key."""
    folded = " ".join(fold_quotes(text).casefold().split())
    lead = _LEAD_PUNCT.match(folded)
    if lead is not None:
        folded = folded[lead.end() :]
    if not folded or category(folded[-1])[0] not in "PSZ":
        return folded
    trail = _TRAIL_PUNCT.search(folded)
    return folded[: trail.start()] if trail is not None else folded


def fold_quotes(text: str) -> str:
    """Curly quotes, primes and dashes to ASCII.

    A regex scan with a callback per quote: ``str.translate`` with a mapping walks a non-ASCII
    string character by character (10 µs for a 100-character line).
    """
    if text.isascii():
        return text.replace("`", "'") if "`" in text else text
    return _QUOTE_CHARS.sub(_quote_for, text)


def _quote_for(match: regex.Match[str]) -> str:
    return _QUOTE_MAP[match.group()]


def phrase_tokens(text: str) -> list[str]:
    """Tokenise for the phrase library, abstracting what varies between copies of a promo.

    Numbers become ``0``, periods (days, weeks, months, years) become ``month``, and a run of
    capitalised words that does not open a sentence becomes ``name``: "Try The Times free for
    30 days" and "Try The Telegraph free for 1 month" both read "try name free for 0 month".
    """
    tokens: list[str] = []
    sentence_start = True
    in_name = False
    last_end = 0
    for match in _WORD.finditer(text):
        gap = text[last_end : match.start()]
        if not _SENTENCE_END.isdisjoint(gap):  # a C-level walk: no generator per word
            sentence_start = True
        last_end = match.end()
        word = match.group()
        if word[0].isdigit():
            tokens.append("0")
            in_name = sentence_start = False
            continue
        lower = word.casefold()
        if word[0].isupper() and not sentence_start:
            if not in_name:
                tokens.append("name")
            in_name = True
            continue
        in_name = False
        sentence_start = False
        tokens.append("month" if lower in PERIODS else lower)
    return tokens


_CAPITAL_OR_DIGIT = regex.compile(r"[\p{Uppercase}\p{Lt}\p{N}]")
# Every word of the tokeniser, as a C-level findall for cheap bounds before tokenising.
word_list = _WORD.findall


def count_capitals_and_digits(text: str) -> int:
    """Characters that could open a capitalised or numeric word (an over-count, by design)."""
    return len(_CAPITAL_OR_DIGIT.findall(text))


def hashtag_words(text: str) -> list[str]:
    """Split hashtags into casefolded words, CamelCase too (``#NorthKorea`` -> north, korea)."""
    words: list[str] = []
    for tag in text.split():
        body = tag.lstrip("#")
        for part in regex.findall(r"\p{Lu}?[\p{Ll}\p{M}\p{N}]+|\p{Lu}+(?!\p{Ll})|\p{Lo}+", body):
            words.append(part.casefold())
    return words


def words(text: str) -> list[str]:
    """Casefolded words of ``text``, for overlap tests against a title."""
    return [w.casefold() for w in _WORD.findall(text)]
