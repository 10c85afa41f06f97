"""The literal prefilter: which line rules a block's words let through, for a whole document.

Every rule's trigger literals sit in a few Aho-Corasick automata (``ahocorasick_rs``), scanned
once per document over the UTF-8 bytes of its short blocks, lowercased and joined. The bytes
matter: the automaton walks bytes at gigabytes a second, while handing it a ``str`` costs a
conversion of every character and of every match offset (15 ms against 0.2 ms for 2.4 MB of
page text). Blocks are sorted by length and each automaton holds the literals whose rules
accept lines of its length tier, so it scans only a prefix of the blocks: a two-letter
literal for 80-character lines ("ad") never reports its hundreds of hits inside body
paragraphs. Cost is linear in the text and independent of the number of rules; the Python
work per block is a length test and a sort key, and per match a lookup.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, islice
from operator import attrgetter, le
from typing import Any, Protocol

import ahocorasick_rs

from .document import Block
from .matcher import split_trigger

# A tier takes the length limits up to this factor times its smallest (five tiers for the
# built-in rules: more tiers rescan short lines, fewer let short literals into long ones).
TIER_SPAN = 1.5
# Up to this many caseless literals of rules for lines longer than RARE_LIMIT are looked for
# with ``in`` rather than by the automata (see TriggerIndex).
RARE_TIER = 4
RARE_LIMIT = 1000
_TEXT = attrgetter("text")
# ASCII bytes that belong to a word, for the '\b' ends of triggers.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class Triggered(Protocol):
    """What the index needs of a matcher: its literals and the longest line it accepts."""

    triggers: tuple[str, ...]
    max_length: int


class TriggerIndex:
    """Compiled triggers of a rule set; ``scan`` maps blocks to the rules they let through.

    Line rules and the document kinds that take triggers (line runs) share one index, so a
    document is scanned once for all of them.
    """

    def __init__(self, matchers: Sequence[Triggered]) -> None:
        triggers = sorted({t for m in matchers for t in m.triggers})
        split = [split_trigger(t) for t in triggers]
        # Per trigger: 0, or 1 = must start a word, 2 = must end one, 3 = both.
        self._bounds = [left + 2 * right for _, left, right in split]
        # Per trigger: the rules it lets through, and the longest line any of them accepts.
        self._rules = [frozenset(m for m in matchers if trigger in m.triggers)
                       for trigger in triggers]
        limits = [max(m.max_length for m in rules) for rules in self._rules]
        self._limits = limits
        self._always = [m for m in matchers if not m.triggers]
        self._tiers: list[tuple[int, ahocorasick_rs.BytesAhoCorasick, list[int]]] = []
        remaining = sorted(set(limits))
        # A few caseless literals that must reach lines of thousands of characters (the markup
        # rules' "<", "![", "](") stay out of the automata, whose walk would then have to
        # lowercase and cover every paragraph: they are looked for with ``in`` in the raw
        # text, which most documents do not hold at all.
        rare = [i for i, (literal, _, _) in enumerate(split)
                if limits[i] > RARE_LIMIT and literal == literal.upper()]
        if len(rare) <= RARE_TIER:
            self._rare = [(split[i][0], i) for i in rare]
            remaining = sorted({limits[i] for i in range(len(limits)) if i not in rare})
        else:
            self._rare = []
        excluded = {i for _, i in self._rare}
        self._limit = max(
            [limits[i] for i in range(len(limits)) if i not in excluded]
            + [m.max_length for m in self._always], default=0,
        )
        while remaining:
            bound = max(x for x in remaining if x <= TIER_SPAN * remaining[0])
            members = [i for i, limit in enumerate(limits) if limit <= bound
                       and all(limit > t[0] for t in self._tiers) and i not in excluded]
            automaton = ahocorasick_rs.BytesAhoCorasick(
                [split[i][0].encode("utf-8") for i in members],
                matchkind=ahocorasick_rs.MatchKind.Standard,
                implementation=ahocorasick_rs.Implementation.DFA,
            )
            self._tiers.append((bound, automaton, members))
            remaining = [x for x in remaining if x > bound]


    def scan(self, blocks: Sequence[Block]) -> dict[int, set[Any]]:
        """Map ``Block.index`` to the rules whose triggers occur in that block (lowercased)."""
        limit = self._limit
        # C-level maps where they serve (a text of a million short lines has them all short).
        lengths = list(map(len, map(_TEXT, blocks)))
        if max(lengths, default=0) <= limit:
            short, sizes = list(blocks), lengths
        else:
            short = [b for b, size in zip(blocks, lengths, strict=True) if size <= limit]
            sizes = [size for size in lengths if size <= limit]
        fired: dict[int, set[Any]] = {}
        if self._rare:
            self._scan_rare(blocks, fired)
        for matcher in self._always:
            for block in short:
                if len(block.text) <= matcher.max_length:
                    fired.setdefault(block.index, set()).add(matcher)
        if not self._tiers or not short:
            return fired
        if not all(map(le, sizes, islice(sizes, 1, None))):  # a row of equal lines is sorted
            order = sorted(range(len(short)), key=sizes.__getitem__)
            short = list(map(short.__getitem__, order))
            sizes = list(map(sizes.__getitem__, order))
        # Lowercasing may change a text's length ("İ"), never its line breaks: block offsets
        # come from the lowered bytes themselves. Lone surrogates pass through as bytes.
        data = "\n".join(map(_TEXT, short)).lower().encode("utf-8", "surrogatepass")
        lines = data.split(b"\n")
        if len(lines) != len(short):  # a block held a line break (HTML text can): one by one
            lines = [b.text.lower().encode("utf-8", "surrogatepass") for b in short]
        starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))
        view = memoryview(data)
        rules, limits, bounds = self._rules, self._limits, self._bounds
        for bound, automaton, members in self._tiers:
            count = bisect_right(sizes, bound)
            if count == 0:
                continue
            haystack = view if count == len(short) else view[: starts[count] - 1]
            for number, start, end in automaton.find_matches_as_indexes(
                haystack, overlapping=True
            ):
                trigger = members[number]
                if bounds[trigger] and not _at_bounds(data, start, end, bounds[trigger]):
                    continue
                block = short[bisect_right(starts, start) - 1]
                if len(block.text) > limits[trigger]:
                    continue
                found = fired.get(block.index)
                if found is None:
                    fired[block.index] = set(rules[trigger])
                else:
                    found |= rules[trigger]
        return fired

    def _scan_rare(self, blocks: Sequence[Block], fired: dict[int, set[Any]]) -> None:
        """The rare literals, with ``in``: a look at the whole text, then at the lines."""
        text = "\n".join([b.text for b in blocks])
        for literal, trigger in self._rare:
            if literal not in text:
                continue
            limit, rules = self._limits[trigger], self._rules[trigger]
            for block in blocks:
                if literal in block.text and len(block.text) <= limit:
                    found = fired.get(block.index)
                    if found is None:
                        fired[block.index] = set(rules)
                    else:
                        found |= rules


def _is_word_at(data: bytes, position: int, backwards: bool) -> bool:
    """Whether the character at byte ``position`` (or the one ending there) is a word character.

    ASCII is a table lookup; otherwise the whole UTF-8 sequence is decoded (letters such as
    "é" are word characters, punctuation such as "’" is not).
    """
    byte = data[position]
    if byte < 0x80:
        return byte in _WORD_BYTES
    start = position
    if backwards:
        while start > 0 and 0x80 <= data[start] < 0xC0:
            start -= 1
    end = start + 1
    while end < len(data) and 0x80 <= data[end] < 0xC0:
        end += 1
    char = data[start:end].decode("utf-8", "replace")
    return char.isalnum()


def _at_bounds(data: bytes, start: int, end: int, bounds: int) -> bool:
    """Whether ``data[start:end]`` starts (bit 1) and ends (bit 2) a word where ``bounds`` asks."""
    if bounds & 1 and start > 0 and _is_word_at(data, start - 1, backwards=True):
        return False
    return not (bounds & 2 and end < len(data) and _is_word_at(data, end, backwards=False))
