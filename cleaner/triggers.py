"""The literal prefilter: which line rules a block's words let through, for a whole document.

Every rule's trigger literals sit in one Aho-Corasick automaton (``ahocorasick_rs``), scanned
once per document over the UTF-8 bytes of its short blocks, lowercased and joined. The bytes
matter: the automaton walks bytes at gigabytes a second, while handing it a ``str`` costs a
conversion of every character and of every match offset (15 ms against 0.2 ms for 2.4 MB of
page text). A literal found in a line longer than its rules accept is dropped by a length
test. The literals used to be split over nine automata by length tier, each scanning the
blocks short enough for it, so that a two-letter literal for 80-character lines ("ad")
never reported its hits inside body paragraphs; but between documents the rest of the
cleaning evicts the automata from the CPU caches, and nine large tables walked over the
short lines nine times cost more in cache misses than the extra hits cost to drop (on the
Zyte page texts one automaton scans a quarter faster with the caches flushed between
documents, a tenth faster inside ``clean``). The automaton is the compact (contiguous NFA)
form: with 3,100 literals a DFA takes 19.5 MB in every process that builds a cleaner (1.0 MB
compact), for a scan 9 ms faster over 2.4 MB warm and no difference measurable inside
``clean``; three processes of ``clean -j 2`` paid it three times. Cost is linear in the text
and independent of the number of rules; the Python work per block is a length, and per match
a lookup.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from operator import attrgetter
from typing import Any, Protocol

import ahocorasick_rs

from . import accel
from .document import Block
from .matcher import split_trigger

# A tier takes the length limits up to this factor times its smallest: tiers no longer have
# automata of their own, but still order the blocks ``scan`` reports (see TriggerIndex).
TIER_SPAN = 1.5
# Up to this many caseless literals of rules for lines longer than RARE_LIMIT are looked for
# with ``in`` rather than by the automata (see TriggerIndex).
RARE_TIER = 4
RARE_LIMIT = 1000
_TEXT = attrgetter("text")


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
        # Gathered in one pass over the rules (asking every rule about every literal was a
        # tenth of building a Cleaner once the packs held 2,400 literals).
        holders: dict[str, list[Triggered]] = {trigger: [] for trigger in triggers}
        for m in matchers:
            for trigger in set(m.triggers):
                holders[trigger].append(m)
        self._rules = [frozenset(holders[trigger]) for trigger in triggers]
        # No line is longer than ``sys.maxsize``: a user's rule may give more (100**10), and
        # the compiled hit map keeps the limits as C integers.
        limits = [min(max(m.max_length for m in rules), sys.maxsize) for rules in self._rules]
        self._limits = limits
        self._always = [m for m in matchers if not m.triggers]
        remaining = sorted(set(limits))
        # A few caseless literals that must reach lines of thousands of characters (the markup
        # rules' "<", "![", "](") stay out of the automaton, whose walk would then have to
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
        # Tiers of length limits: no longer one automaton each (see the module docstring),
        # but still the order in which ``scan`` reports blocks, as it did when they were.
        self._tier_of = [0] * len(triggers)
        bounds: list[int] = []
        while remaining:
            bound = max(x for x in remaining if x <= TIER_SPAN * remaining[0])
            for i, limit in enumerate(limits):
                if limit <= bound and all(limit > b for b in bounds) and i not in excluded:
                    self._tier_of[i] = len(bounds)
            bounds.append(bound)
            remaining = [x for x in remaining if x > bound]
        self._members = [i for i in range(len(triggers)) if i not in excluded]
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [split[i][0].encode("utf-8") for i in self._members],
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        ) if self._members else None
        # The per-pattern columns the hit loop reads, indexed by the automaton's pattern number.
        members = self._members
        self.columns = (
            [self._bounds[i] for i in members], [limits[i] for i in members],
            [self._tier_of[i] for i in members], [self._rules[i] for i in members],
        )
        self._hits = accel.hit_map(*self.columns)

    def scan(
        self, blocks: Sequence[Block], lengths: list[int] | None = None
    ) -> dict[int, set[Any]]:
        """Map ``Block.index`` to the rules whose triggers occur in that block (lowercased).

        ``lengths`` are the blocks' text lengths, if the caller has them already.
        """
        limit = self._limit
        # C-level maps where they serve (a text of a million short lines has them all short).
        if lengths is None:
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
        automaton = self._automaton
        if automaton is None or not short:
            return fired
        # A text met before in the document (a menu repeated down a page dump, a row of
        # one-character lines) is scanned once: what a line lets through depends on its
        # text alone (its neighbours in the joined bytes are line breaks either way).
        texts = list(map(_TEXT, short))
        distinct = list(dict.fromkeys(texts))
        # Each text is lowered and encoded on its own, then the bytes joined: an ASCII line
        # takes the ASCII fast paths of both, where one joined string holding a single curly
        # quote is lowered character by character through the Unicode tables (a quarter of
        # the scan). The bytes are the same: "\n" is neither cased nor case-ignorable, so it
        # bounds the one context-dependent mapping (final sigma) as a string's end does.
        # Lowercasing may change a text's length ("İ"): offsets come from the lowered bytes,
        # which also keeps a text holding a line break (HTML text can) in one piece. Lone
        # surrogates pass through as bytes.
        # A kernel of the line table: compiled, an ASCII text is lowered into the bytes as
        # they are built, with no string of its own.
        data, starts = accel.lowered(distinct)
        text_sizes = list(map(len, distinct))
        # Per distinct text: the rules let through, and the lowest tier of a literal found
        # (the per-hit loop is a kernel of the line table, ``cleaner.accel``).
        found, tiers = self._hits.assign(
            automaton.find_matches_as_indexes(data, overlapping=True), data, starts, text_sizes
        )
        if not found:
            return fired
        of_line: list[int] | None = None
        if len(distinct) != len(texts):  # lines of one text must not share its set
            numbers = dict(zip(distinct, range(len(distinct)), strict=True))  # C-level
            of_line = list(map(numbers.__getitem__, texts))
        self._hits.spread(found, tiers, of_line, sizes, short, fired)
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
