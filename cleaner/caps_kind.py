"""Headlines of other stories printed in capitals between an article's paragraphs.

Some publishers (Fox News and its sister sites, tabloids) splice links to other stories into
the body as lines in capitals: "SEAN SPICER ELIMINATED FROM 'DANCING WITH THE STARS'", next to
their "CLICK HERE TO GET THE FOX NEWS APP". An extractor keeps them as lines of their own.
No literal marks them, only their shape: every letter a capital, the length of a headline, no
full stop, alone between paragraphs in ordinary case. A subheading can have that shape too,
so one such line is not enough: the document must print several lines in capitals of that
length (the teasers, or a teaser and the app promo a rule already took), none of them in a
run of capital lines (a notice or a post written in capitals), and a paragraph must stand
above each.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress
from operator import attrgetter

import regex

from .document import Block
from .matcher import Context, DocumentMatcher, Hit, longest_line
from .place_kinds import _next_standing
from .rule import Rule

# Marks a Markdown converter puts around a line, and the quotation marks that make a line in
# capitals a quotation (a pull quote, a slogan) rather than a headline.
_MARKS = "#>*_ \t"
_QUOTES = ("“", '"', "«", "„", "‘‘")
_ENDS = frozenset(".,;:?!")
_TEXT = attrgetter("text")
_WORD = regex.compile(r"\p{L}+")
_NUMBERED = regex.compile(r"\d{1,2}[.):]\s")
# How many of a line's words (by their first ``_STEM`` letters) the paragraph under a
# subheading repeats (``_introduces``).
INTRODUCES = 2
_STEM = 5


def _stems(text: str) -> set[str]:
    """The words of four letters or more, folded and cut to their first five letters."""
    return {word[:_STEM] for word in _WORD.findall(text.casefold()) if len(word) >= 4}


def _introduces(line: str, below: str) -> bool:
    """Whether the line under a line in capitals goes on with ``INTRODUCES`` of its words.

    A subheading in capitals names what the section under it is about ("STEP BY STEP
    PROCESS FOR TEACHING A PUPPY TO HEEL", then "To teach your puppy to heel ..."); another
    story's headline spliced between two paragraphs has nothing to do with the next one.
    Words are compared by their first five letters ("teaching", "teach").
    """
    return len(_stems(line) & _stems(below)) >= INTRODUCES


def _caps(text: str, min_words: int, max_words: int, max_length: int) -> bool:
    """A headline's length with every cased letter a capital and letters for most of it."""
    # Most lines have a small letter: answered at C speed before any copy of the line.
    if not text.isupper():
        return False
    text = text.strip(_MARKS)
    # Columns set apart by runs of spaces are a table's header, not a headline.
    if not text or len(text) > max_length or "  " in text:
        return False
    words = text.count(" ") + 1
    if not min_words <= words <= max_words:
        return False
    letters = sum(map(str.isalpha, text))
    return letters * 3 >= len(text.replace(" ", "")) * 2


class CapsTeaserKind(DocumentMatcher):
    """``kind = "caps-teaser"``: lines in capitals of a headline's length between paragraphs.

    A standing line of ``min_words`` to ``max_words`` words (at most ``max_length``
    characters), every cased letter a capital and two thirds of it letters, not ending in a
    stop, a colon, a question or an exclamation mark (subheadings ask, calls shout) and not
    opening with a quotation mark; the lines standing right above and below it not in
    capitals; a paragraph of ``paragraph_words`` words above it; and at least ``min_count``
    lines of that shape and of ``anchor_words`` words or more in the document, removed ones
    included: a headline's length, which subheadings in capitals rarely reach. The
    document's title never goes.
    """

    kind = "caps-teaser"
    keys = frozenset({"min_words", "anchor_words", "max_words", "max_length", "paragraph_words",
                      "min_count"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_words = p.get_int("min_words", 6)
        self.anchor_words = p.get_int("anchor_words", 8)
        self.max_words = p.get_int("max_words", 25)
        self.max_length = p.get_int("max_length", 200)
        self.paragraph_words = p.get_int("paragraph_words", 25)
        self.min_count = p.get_int("min_count", 2)

    def _shaped(self, ctx: Context) -> frozenset[int]:
        """``Block.index`` of every line of the shape, read once from the first pass's blocks."""
        found: frozenset[int] | None = ctx.memo.get(self.rule.code)
        if found is None:
            shape = (self.min_words, self.max_words, self.max_length)
            # Lines with a small letter (nearly all) are passed over at C speed.
            upper = compress(ctx.blocks, map(str.isupper, map(_TEXT, ctx.blocks)))
            shaped = [b for b in upper if _caps(b.text, *shape)]
            anchors = sum(1 for b in shaped
                          if _caps(b.text, self.anchor_words, self.max_words, self.max_length))
            found = frozenset(b.index for b in shaped) if anchors >= self.min_count else (
                frozenset())
            ctx.memo[self.rule.code] = found
        return found

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        # A text of short lines has no paragraph for a teaser to stand under.
        if longest_line(ctx) < 2 * self.paragraph_words:
            return
        shaped = self._shaped(ctx)
        if not shaped:
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        hit: Hit | None = None
        above = False  # a paragraph stands above the current position
        for position, block in enumerate(blocks):
            if block.index in claimed:
                continue
            if block.index not in shaped:
                if not above and block.text.count(" ") + 1 >= self.paragraph_words:
                    above = True
                continue
            text = block.text.strip(_MARKS)
            # A numbered line in capitals is a section of the text ("2. LEAD THE VIEW ..."):
            # another story's headline carries no number.
            if (not above or position == ctx.title or text[-1] in _ENDS
                    or text.startswith(_QUOTES) or _NUMBERED.match(text) is not None):
                continue
            before = _next_standing(blocks, claimed, position, -1)
            after = _next_standing(blocks, claimed, position, 1)
            if (before >= 0 and _caps(blocks[before].text, 1, 10**6, 10**6)) or (
                    after < len(blocks) and _caps(blocks[after].text, 1, 10**6, 10**6)):
                continue  # a run of lines in capitals: a notice, a post, a menu
            if after < len(blocks) and _introduces(text, blocks[after].text):
                continue  # a subheading: the paragraph under it goes on with its words
            if hit is None:
                hit = Hit(f"a headline in capitals between paragraphs, one of {len(shaped)} "
                          "such lines: another story's link")
            yield block, hit
