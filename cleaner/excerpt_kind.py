"""A line whose words all stand inside a longer paragraph of the same text: a pull quote.

Magazines lift a sentence out of a paragraph and print it again in large type between the
paragraphs, sometimes before the paragraph it comes from, often in quote marks or a block
quote, often with the speaker's name after it. In the scraped text the copy is a line of its
own, and it repeats words the paragraph already says: removing it loses none of the text.
It is not the near-duplicate kind's case (two copies of one block): the copy is a part of a
longer line, so it is found by containment, and the shorter copy goes whichever comes first.

A summary printed above an article (a tabloid's bullet points, a fact box) is also made of
sentences of the paragraphs below it; it comes as a run of such lines, one after the other,
and a run is left alone. So are headings (a quote made a subheading), list items and lines
of links or code, whose repeats are the text's own, and the text's first two lines: a
standfirst is the first paragraph's sentence said again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from difflib import SequenceMatcher
from typing import NamedTuple

import regex

from .document import Block
from .matcher import Claim, Context, DocumentMatcher, Hit, longest_line
from .rule import Rule

_WORD = regex.compile(r"\w+")
# What a line that is not prose opens with: a heading, a table row, a list item, a link, a
# tag, the piece of a sentence (punctuation, an ellipsis).
_NOT_OPENING = frozenset("#|+•-![<,.;:)]}…")
_TAG = regex.compile(r"</?\w")
_LIST_MARKS = frozenset({"* ", "+ ", "• ", "- "})
# What a pull quote opens with: a block quote marker, quote marks, emphasis.
_OPENERS = "> \t\"'“”‘’«»„*_"
# A speaker's name after the quote: capitalised words, maybe after a dash or comma.
_CAPITAL = regex.compile(r"^\p{Lu}")
# A line of markup alone ("> ", "**") between a quote and its speaker's line.
_MARK = 5
# The speaker's line under a pull quote: "- Name, role", "— Name", "Name Surname"; not an
# embedded post's signature ("— Name (@handle) October 9, 2018"), which has a handle or a date.
_SPEAKER = regex.compile(
    r"^[>\s]*(?:[-–—―]\s*[_*]*\p{Lu}[^\n@\d]{0,80}(?<![.!?:;])"
    r"|[_*]*\p{Lu}[\p{L}\p{M}'’-]+(?:\s+\p{Lu}[\p{L}\p{M}'’.-]*){1,3}(?:,\s*[^\n.!?]{1,60})?)"
    r"[_*]*\s*$"
)
# A sentence's end, maybe inside its closing quote marks or emphasis.
_ENDED = regex.compile(r"(?:[.!?…][\"'”’»)*_]*|[\"”’»])\s*$")
# The characters ``_ENDED`` may find a line ending with (its one-character pre-check).
_ENDINGS = frozenset(".!?…\"'”’»)*_")
_ENDS = frozenset(".!?…\"”’»")  # those that end a sentence alone
# Lines of at most this many words without a sentence's end read as names and headings.
_SHORT = 8
# The standing lines at the top of a text that may say what the first paragraph says again
# (a standfirst, a lead printed above the text).
_HEAD = 2
# The shortest line probed.
_LOW = 36
# A piece of a line probed in the paragraphs' folded text: long enough to be a sentence's
# own words, short enough to miss the quote marks and the speaker's name at the ends.
_PROBE = 20
# How many standing lines away from a pull quote its paragraph may be.
_REACH = 30
# The shortest run of words in the same order that counts as the holder's own words.
_RUN = 3
# A quote and what follows its closing mark: the speaker ("” — Jane Doe, mayor").
_SAID = regex.compile(r"^(.{20,}?[\"”’'])[.,]?\s*(?:[-–—―]\s*)?\p{Lu}[^\"“”]{0,120}$")
# A sentence and its speaker after a dash ("... in a spreadsheet. — Jane Doe's Name").
_DASHED = regex.compile(r"^(.{20,}?[.!?…])\s+[-–—―]\s*\p{Lu}[^.!?\"“”]{0,100}$")


class ExcerptKind(DocumentMatcher):
    """``kind = "excerpt"``: a prose line whose words stand, in order, in a longer standing line.

    The line has at least ``min_words`` words once the speaker's name or credit after the
    quote is set aside (``max_name_words`` capitalised words, or whatever follows the
    closing quote mark), and at most ``max_length`` characters. At least ``coverage`` of
    those words must stand in the holder in one run, or, when the line marks a cut ("…"),
    in runs of three or more words in the same order, and the holder has at least
    ``extra_words`` more words than the whole line. A run of two such lines one after the
    other (a summary, a fact box) is left alone, as are lines whose words are mostly
    capitalised (a heading). The speaker's line under the quote, and marks left alone on
    lines between them ("> "), go with it.
    """

    kind = "excerpt"
    keys = frozenset({"min_words", "extra_words", "max_length", "max_name_words", "coverage"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_words = p.get_int("min_words", 6)
        self.extra_words = p.get_int("extra_words", 1)
        self.max_length = p.get_int("max_length", 400)
        self.max_name_words = p.get_int("max_name_words", 6)
        self.coverage = p.get_float("coverage", 0.8)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        if longest_line(ctx) < _LOW:
            return
        table: _Table | None = ctx.memo.get(self.rule.code)
        if table is None:  # the first pass: every block stands, texts never change
            table = ctx.memo[self.rule.code] = self._table(ctx)
        if not table.probes:
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        position_of = {b.index: p for p, b in enumerate(blocks)}
        found: dict[int, int] = {}  # position -> the holder's position
        # A line printed more than once is a list's or a template's (the near-duplicate kind
        # judges repeats); a pull quote is printed once. Counted among the standing lines,
        # so that what a pass leaves is judged as cleaning the cleaned text would judge it.
        standing = [(index, at) for index in table.probes
                    if (at := position_of.get(index)) is not None and index not in claimed]
        seen = Counter(blocks[at].text for _, at in standing)
        alone = table.alone
        for index, at in standing:
            if index in alone or at == ctx.title or seen[blocks[at].text] > 1:
                continue
            holder = self._holder(blocks, at, table, position_of, claimed)
            if holder is not None:
                found[at] = holder
            elif _whole(blocks, at, table.holders):
                # Paragraphs only go in later passes: no holder in reach of every one of
                # them now is none ever. With some out of reach it is judged again, since
                # removed lines bring them closer, as they would in the cleaned text.
                alone.add(index)
        for at, holder in found.items():
            # A run of excerpts of one paragraph is a summary or a fact box: the text's own.
            # Nor is the line under the title (a dek says the first paragraph's sentence).
            if (at < _HEAD or (ctx.title is not None and at == ctx.title + 1)
                    or holder in (found.get(at - 1), found.get(at + 1))):
                continue
            hit = Hit(f"pull quote: its words stand in line {blocks[holder].line}")
            yield blocks[at], hit
            yield from ((b, hit) for b in _speaker(blocks, at, claimed))

    def _table(self, ctx: Context) -> _Table:
        """The document's candidates and paragraphs, read once (every block stands).

        The paragraphs that may hold a quote end as a sentence does (a caption that
        repeats the text's sentence often has no full stop, and is not a paragraph of the
        text); they are folded into one text, searched at C speed. Each candidate is probed
        with a piece of the middle of the quote (less a speaker after its closing mark); a
        quote that marks a cut ("…") with a piece on each side of it, a third and two thirds
        of the way in.
        """
        probes: dict[int, tuple[str, ...]] = {}
        held: list[str] = []
        holders: list[int] = []
        offsets: list[int] = []
        offset = 0
        least = self.min_words + self.extra_words
        longest = self.max_length
        for block in [b for b in ctx.blocks if len(b.text) >= _LOW]:
            text = block.text
            size = len(text)
            words = text.count(" ") + 1
            folded: str | None = None
            last = text[-1]  # blocks are stripped
            if words >= least and last in _ENDINGS and (
                    last in _ENDS or _ENDED.search(text) is not None):
                folded = text.casefold()
                holders.append(block.index)
                offsets.append(offset)
                held.append(folded)
                offset += len(folded) + 1
            # An indented line is code, a folded front-matter value, a nested list.
            if (size > longest or words < self.min_words or block.col > 2
                    or not _prose(text)):
                continue
            if folded is None:
                folded = text.casefold()
            # The quote's own span: not the speaker after its closing mark.
            span = _speaker_at(text) or size
            if "…" in text or "..." in text:  # a piece on each side of the cut's place
                first, second = span // 3 - _PROBE // 2, 2 * span // 3 - _PROBE // 2
                probes[block.index] = (folded[max(0, first):first + _PROBE],
                                       folded[second:second + _PROBE])
            else:
                middle = max(0, (span - _PROBE) // 2)
                probes[block.index] = (folded[middle:middle + _PROBE],)
        return _Table(probes, "\n".join(held), holders, offsets, set(), {},
                      frozenset(holders))

    def _holder(
        self, blocks: Sequence[Block], at: int, table: _Table, position_of: Mapping[int, int],
        claimed: Mapping[int, Claim],
    ) -> int | None:
        """The position of a longer standing block holding the block's words, if one does.

        Only the paragraphs within ``_REACH`` lines of it are searched: a pull quote is
        printed near the paragraph it comes from, and the search stays linear in the text.
        """
        block = blocks[at]
        text, offsets, holders = table.text, table.offsets, table.holders
        low, high = _reach(blocks, at, holders)
        if low >= high:
            return None
        start = offsets[low]
        end = offsets[high] if high < len(offsets) else len(text)
        others: set[int] = set()
        # A candidate that is a paragraph too holds its own pieces once.
        own = 1 if block.index in table.holding else 0
        for piece in table.probes[block.index]:
            if text.count(piece, start, end) <= own:  # one C call for the common case
                continue
            offset = text.find(piece, start, end)
            while offset >= 0:
                index = holders[bisect_right(offsets, offset) - 1]
                position = position_of.get(index)
                if position is not None and position != at and index not in claimed:
                    others.add(position)
                offset = text.find(piece, offset + 1, end)
        if not others:
            return None
        words, total = _core(block.text, self.max_name_words)
        # Distinct words: a line of one word said over ("the the the") quotes nothing.
        if len(set(words)) < self.min_words or _headline(block.text):
            return None
        if total == len(words) and total <= _SHORT and not _ENDED.search(block.text):
            return None  # a short unpunctuated line: a name, a heading, a product
        cut = "…" in block.text or "..." in block.text
        words_of = table.words
        for position in sorted(others):
            other = blocks[position]
            held = words_of.get(other.index)
            if held is None:
                held = words_of[other.index] = [w.casefold() for w in _WORD.findall(other.text)]
            if len(held) < total + self.extra_words:
                continue
            runs = SequenceMatcher(None, words, held, autojunk=False).get_matching_blocks()
            # Words left out of a quote are marked ("…", "[...]"): unmarked, the quote is
            # one run of the paragraph's words, not words that happen to recur in it.
            sizes = [run.size for run in runs if run.size >= _RUN]
            if not cut:
                sizes = sizes and [max(sizes)]
            if sum(sizes) >= self.coverage * len(words):
                return position
        return None


class _Table(NamedTuple):
    """What ``ExcerptKind`` reads once per document."""

    probes: dict[int, tuple[str, ...]]  # Block.index -> pieces of the line, folded
    text: str  # the paragraphs that may hold a quote, folded, one per line
    holders: list[int]  # their Block.index, in the order of ``text``
    offsets: list[int]  # where each starts in ``text``
    alone: set[int]  # the candidates no standing paragraph holds (grows pass by pass)
    words: dict[int, list[str]]  # Block.index -> a paragraph's words, folded, once read
    holding: frozenset[int]  # ``holders`` as a set


def _reach(blocks: Sequence[Block], at: int, holders: list[int]) -> tuple[int, int]:
    """The slice of ``holders`` (block indexes, in order) within ``_REACH`` lines of ``at``."""
    low = bisect_left(holders, blocks[max(0, at - _REACH)].index)
    high = bisect_right(holders, blocks[min(len(blocks) - 1, at + _REACH)].index)
    return low, high


def _whole(blocks: Sequence[Block], at: int, holders: list[int]) -> bool:
    """Whether every paragraph of the text is in reach of the line at ``at``."""
    low, high = _reach(blocks, at, holders)
    return low == 0 and high == len(holders)


def _prose(text: str) -> bool:
    """Whether a line reads as a sentence, tested cheapest first.

    Not a heading, list item, table row, link, markup or code, nor the piece of a sentence
    broken at a link (it opens in lower case or with punctuation).
    """
    if "://" in text or "](" in text:
        return False
    body = text.lstrip(" >")
    first = body.split(" ", 1)[0]
    if body[:2] in _LIST_MARKS or (first[:1].isdigit() and first[-1:] in ".)"):
        return False
    head = body.lstrip("*_\"'“‘«")[:1]
    if not head or head in _NOT_OPENING or head.islower():
        return False
    return "<" not in text or _TAG.search(text) is None


def _core(text: str, max_name_words: int) -> tuple[list[str], int]:
    """The line's words, folded, less the speaker's name or credit after the quote.

    Also the count of all its words. After a closing quote mark, or a sentence's end and a
    dash, what follows is the speaker ("” — Jane Doe, mayor of the city"); else capitalised
    words at the end that the sentence does not need ("... shoes Martin Bamford").
    """
    stripped = text.strip(_OPENERS)
    words = _WORD.findall(stripped)
    end = _speaker_at(stripped)
    if end is not None:
        core = _WORD.findall(stripped[:end])
    else:
        cut = 0
        while (cut < max_name_words and cut < len(words) - 1
               and _CAPITAL.match(words[len(words) - 1 - cut]) is not None):
            cut += 1
        core = words[: len(words) - cut] if cut >= 2 else words
    return [w.casefold() for w in core], len(words)


def _speaker_at(text: str) -> int | None:
    """Where a quote ends and its speaker begins, if the line names one after it."""
    ends = []
    if ("”" in text or '"' in text or "’" in text) and (said := _SAID.match(text)):
        ends.append(said.end(1))
    if ("—" in text or "–" in text or " - " in text) and (said := _DASHED.match(text)):
        ends.append(said.end(1))
    return min(ends) if ends else None


def _headline(text: str) -> bool:
    """Mostly capitalised words: a heading or a title, which may repeat a sentence's words."""
    words = _WORD.findall(text)
    return sum(_CAPITAL.match(w) is not None for w in words) * 2 > len(words)


def _speaker(blocks: Sequence[Block], at: int, claimed: Mapping[int, Claim]) -> list[Block]:
    """The speaker's line under a pull quote, and marks alone on the lines between."""
    taken: list[Block] = []
    position = at + 1
    while (position < len(blocks) and len(blocks[position].text) <= _MARK
           and not any(ch.isalnum() for ch in blocks[position].text)):
        taken.append(blocks[position])
        position += 1
    if position < len(blocks) and _SPEAKER.match(blocks[position].text) is not None:
        taken.append(blocks[position])
    elif not blocks[at].text.lstrip().startswith(">"):
        return []
    return [b for b in taken if b.index not in claimed]
