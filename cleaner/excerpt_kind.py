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

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from difflib import Match, SequenceMatcher
from itertools import accumulate
from typing import NamedTuple

import ahocorasick_rs
import regex

from .document import Block
from .document_kinds import _OPENERS as _DUP_OPENERS
from .document_kinds import PREFIX
from .matcher import Claim, Context, DocumentMatcher, Hit, longest_line
from .place_kinds import (
    _ITEM_MARKS,
    _next_standing,
    _paragraph_bounds,
    _past_marks,
    _positions,
)
from .rule import Rule

_WORD = regex.compile(r"\w+")
# What a line that is not prose opens with: a heading, a table row, a list item, a link, a
# tag, the piece of a sentence (punctuation, an ellipsis).
_NOT_OPENING = frozenset("#|+•-![<,.;:)]}…")
_TAG = regex.compile(r"</?\w")
# Emphasis and quote marks a sentence may open with.
_OPENING_MARKS = "*_\"'“‘«"
# A capitalised word (a name, a heading's word).
_CAPITAL = regex.compile(r"^\p{Lu}")
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
# A paragraph by the measure of the kinds that judge what lies beyond the first and the
# last once a document (label-run and teaser-run: 150 characters, a sentence's end).
_PARAGRAPH = 150
# How a line that is no label or headline ends (label-run's stops and a sentence's ends).
_STOPS = frozenset(".!?:。！？：\"”’")
# The shortest line probed.
_LOW = 36
# A piece of a line probed in the paragraphs' folded text: long enough to be a sentence's
# own words, short enough to miss the quote marks and the speaker's name at the ends.
_PROBE = 20
# Characters searched piece by piece (candidates times text) before one automaton is built.
_SCAN = 300_000
# Lines of lengths within this ratio may be near-duplicates (DUP001 compares such).
_NEAR = 0.8
# The most paragraphs a piece may stand in and still point at a quote's paragraph.
_COMMON_PIECE = 8
# The shortest run of words in the same order that counts as the holder's own words.
_RUN = 3
# A quote and what follows its closing mark: the speaker ("” — Jane Doe, mayor").
_SAID = regex.compile(r"^(.{20,}?[\"”’'])[.,]?\s*(?:[-–—―]\s*)?\p{Lu}[^\"“”]{0,120}$")
# The most words a speaker's name and role run to after a quote with no mark between.
_NAME_WORDS = 10
# The marks a quote opens with.
_QUOTES = frozenset("\"'“‘«„")
# A sentence and its speaker after a dash ("... in a spreadsheet. — Jane Doe's Name").
_DASHED = regex.compile(r"^(.{20,}?[.!?…])\s+[-–—―]\s*\p{Lu}[^.!?\"“”]{0,100}$")


class ExcerptKind(DocumentMatcher):
    """``kind = "excerpt"``: a prose line whose words stand, in order, in a longer standing line.

    The line has at least ``min_words`` distinct words once the speaker's name or credit
    after the quote is set aside (whatever follows the closing quote mark or a dash after a
    sentence's end, else up to ``max_name_words`` capitalised words), and at most
    ``max_length`` characters. At least ``coverage`` of those words must stand in the
    holder in one run, or, when the line marks a cut ("…"), in runs of three or more words
    in the same order; or the same letters must (words a scraper glued together); or the
    holder's words run from the line's first to most of it and a name follows (a quote run
    on into its speaker). The holder has at least ``extra_words`` more words than the
    quote. A run of two or more such lines one after the other (a summary, a fact box, a
    quote of a quote) is left alone, as are lines whose words are mostly capitalised (a
    heading). The speaker's line under the quote, marks left alone on lines between them
    ("> "), and the rest of the quote broken onto the next line in lower case go with it.
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
        if not table.others:
            return
        claimed = ctx.claimed
        # The other rules settle first: while they still remove lines from pass to pass, a
        # paragraph a quote repeats may yet go (a near-duplicate, a section), and the quote
        # is judged on the pass after the one where nothing else changed.
        settled = f"{self.rule.code} settled"
        if claimed and ctx.memo.get(settled) != len(claimed):
            ctx.memo[settled] = len(claimed)
            return
        yield from self._quotes(ctx, table)
        ctx.memo[settled] = len(claimed)  # with this pass's quotes, taken as they came

    def _quotes(self, ctx: Context, table: _Table) -> Iterator[tuple[Block, Hit]]:
        """The pull quotes of a text whose other rules have settled."""
        blocks, claimed = ctx.blocks, ctx.claimed
        # The pass's shared table (None while every block stands at its index).
        position_of: Mapping[int, int] = _positions(ctx) or _Standing(len(blocks))
        found: dict[int, int] = {}  # position -> the holder's position
        twins = table.openings
        # Only a candidate that shares a piece with another paragraph is read further.
        for index, others in table.others.items():
            at = position_of.get(index)
            if at is None or index in claimed or at == ctx.title:
                continue
            # A line printed more than once is a list's or a template's (the near-duplicate
            # kind judges repeats); a pull quote is printed once. Counted among the standing
            # lines, so that what a pass leaves is judged as cleaning the cleaned text would.
            repeats = table.repeats.get(index)
            if repeats is not None and sum(
                    1 for i in repeats
                    if i not in claimed and position_of.get(i) is not None) > 1:
                continue
            if twins:
                others = [i for i in others if not _copy(i, twins, claimed)]
            holder = self._holder(blocks, at, others, table, position_of, claimed)
            if holder is not None:
                found[at] = holder
        if not found:
            return
        # The paragraphs that bound what label-run and teaser-run judge, once a document.
        bounds = _paragraph_bounds(ctx, _PARAGRAPH)
        first, last = bounds[1:] if bounds is not None else (0, 0)
        for at, holder in found.items():
            # A run of excerpts (of one paragraph or of several) is a summary or a fact box:
            # the text's own. Nor is the line under the title (a dek says the first
            # paragraph's sentence).
            if (at < _HEAD or (ctx.title is not None and at == ctx.title + 1)
                    or at - 1 in found or at + 1 in found):
                continue
            while holder in found:  # a quote of a quote: its words stand in the last one
                holder = found[holder]
            # The quote, the rest of it broken onto a line in lower case, its speaker's line.
            group = [blocks[at]]
            following = blocks[at + 1] if at + 1 < len(blocks) else None
            if (following is not None and following.index not in claimed
                    and _rest_of_quote(following.text, table.words.get(blocks[holder].index))):
                group.append(following)
            group += _speaker(blocks, at + len(group) - 1, claimed)
            # Beyond the text's first or last paragraph, label-run and teaser-run judge runs
            # of short lines once a document: a quote taken from between two such lines
            # would join their runs in the cleaned text, so there it needs sentences on
            # both sides.
            end = position_of[group[-1].index]
            if not first < at < last and not _among_sentences(blocks, claimed, at, end):
                continue
            hit = Hit(f"pull quote: its words stand in line {blocks[holder].line}")
            yield from ((b, hit) for b in group)

    def _table(self, ctx: Context) -> _Table:
        """The document's candidates and paragraphs, read once (every block stands).

        The paragraphs that may hold a quote end as a sentence does (a caption that
        repeats the text's sentence often has no full stop, and is not a paragraph of the
        text); they are folded into one text, searched at C speed. Each candidate is probed
        with a piece of the middle of the quote (less a speaker after its closing mark); a
        quote that marks a cut ("…") with a piece on each side of it, a third and two thirds
        of the way in.
        """
        least = self.min_words + self.extra_words
        longest, fewest = self.max_length, self.min_words
        long = [b for b in ctx.blocks if len(b.text) >= _LOW]
        counts = [b.text.count(" ") + 1 for b in long]  # words, near enough
        paragraphs = [b for b, n in zip(long, counts, strict=True) if n >= least
                      and (last := b.text[-1]) in _ENDINGS  # blocks are stripped
                      and (last in _ENDS or _ENDED.search(b.text) is not None)]
        # Folded line by line ("ß" folds to "ss": the offsets are the folded lines'): an
        # ASCII line folds at C speed, where folding the joined text would take the slow
        # path over all of it for one curly quote.
        folded = [b.text.casefold() for b in paragraphs]
        text = "\n".join(folded)
        offsets = [0, *accumulate([len(line) + 1 for line in folded])][:-1]
        probes: dict[int, tuple[str, ...]] = {}
        for block, n in zip(long, counts, strict=True):
            line = block.text
            # An indented line is code, a folded front-matter value, a nested list.
            if n < fewest or len(line) > longest or block.col > 2 or not _prose(line):
                continue
            # The quote's own span: not the speaker after its closing mark. A piece folds
            # as the line does (case folding maps character by character).
            span = _speaker_at(line) or len(line)
            if "…" in line or "..." in line:  # a piece on each side of the cut's place
                first, second = span // 3 - _PROBE // 2, 2 * span // 3 - _PROBE // 2
                probes[block.index] = (line[max(0, first):first + _PROBE].casefold(),
                                       line[second:second + _PROBE].casefold())
            else:
                middle = max(0, (span - _PROBE) // 2)
                probes[block.index] = (line[middle:middle + _PROBE].casefold(),)
        holders = [b.index for b in paragraphs]
        others = _others(probes, text, holders, offsets)
        # Each long line's opening, as the near-duplicate kind reads it, and its length;
        # kept for the lines whose opening another long line shares.
        # And the candidates printed more than once, with their copies among the candidates.
        openings: dict[int, tuple[int, list[tuple[int, int]]]] = {}
        repeats: dict[int, list[int]] = {}
        if others:
            lines: dict[str, list[tuple[int, int]]] = {}
            texts: dict[str, list[int]] = {}
            for b in long:
                lines.setdefault(b.text.lstrip(_DUP_OPENERS)[:PREFIX].casefold(), []).append(
                    (b.index, len(b.text)))
                if b.index in probes:
                    texts.setdefault(b.text, []).append(b.index)
            openings = {index: (size, group) for group in lines.values() if len(group) > 1
                        for index, size in group}
            repeats = {index: group for group in texts.values() if len(group) > 1
                       for index in group if index in others}
        return _Table(probes, others, {}, openings, repeats)

    def _holder(
        self, blocks: Sequence[Block], at: int, others: list[int], table: _Table,
        position_of: Mapping[int, int], claimed: Mapping[int, Claim],
    ) -> int | None:
        """The position of a longer standing paragraph of ``others`` holding the line's words."""
        block = blocks[at]
        words, total = _core(block.text, self.max_name_words)
        # Distinct words: a line of one word said over ("the the the") quotes nothing.
        if len(set(words)) < self.min_words or _headline(block.text):
            return None
        if total == len(words) and total <= _SHORT and not _ENDED.search(block.text):
            return None  # a short unpunctuated line: a name, a heading, a product
        cut = "…" in block.text or "..." in block.text
        # What the word runs must reach: a run of ``coverage`` of the words, or (a quote run
        # on into its speaker, ``_named_after``) one from the first word, in a line without
        # a sentence's end. A run is made of words the paragraph holds: where too few are
        # held, no run reaches, and the runs are not read.
        cover = self.coverage * len(words)
        named = (max(self.min_words, 2 * total // 3)
                 if _ENDED.search(block.text) is None else len(words) + 1)
        words_of = table.words
        for index in others:
            position = position_of.get(index)
            if position is None or index in claimed:
                continue
            held = words_of.get(index)
            if held is None:
                held = words_of[index] = [
                    w.casefold() for w in _WORD.findall(blocks[position].text)]
            if len(held) < len(words) + self.extra_words:
                continue
            vocabulary = set(held)
            inside = [word in vocabulary for word in words]
            runs: list[Match] | None = None
            if sum(inside) >= cover or _leading(inside) >= named:
                runs = SequenceMatcher(None, words, held, autojunk=False).get_matching_blocks()
                # Words left out of a quote are marked ("…", "[...]"): unmarked, the quote
                # is one run of the paragraph's words, not words that happen to recur in it.
                sizes = [run.size for run in runs if run.size >= _RUN]
                if not cut:
                    sizes = sizes and [max(sizes)]
                if sum(sizes) >= cover:
                    return position
            # Words a scraper glued together ("someradical") or split: the same letters,
            # when some word of the line is no word of the paragraph.
            if (self.coverage >= 1 and not set(words) <= vocabulary
                    and "".join(words) in "".join(held)):
                return position
            if runs is not None and _named_after(block.text, runs, total, self.min_words):
                return position
        return None


class _Table(NamedTuple):
    """What ``ExcerptKind`` reads once per document."""

    probes: dict[int, tuple[str, ...]]  # Block.index -> pieces of the line, folded
    others: dict[int, list[int]]  # a candidate's Block.index -> the paragraphs holding a piece
    words: dict[int, list[str]]  # Block.index -> a paragraph's words, folded, once read
    # Block.index -> a long line's length and the long lines (Block.index, length) that
    # open as it does, itself among them; only for openings that two or more lines share.
    openings: dict[int, tuple[int, list[tuple[int, int]]]]
    # A candidate's Block.index -> the candidates printed with its text, itself among them;
    # only for the candidates that share a piece with a paragraph and are printed twice.
    repeats: dict[int, list[int]]


class _Standing(Mapping[int, int]):
    """``Block.index`` to position while every block stands at its index (``_positions``).

    The blocks removed, if any, were the last ones: an index past the standing ones has
    no position. Answers without building a table of every block.
    """

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size

    def get(self, index: int, default: int | None = None) -> int | None:  # type: ignore[override]
        return index if 0 <= index < self.size else default

    def __getitem__(self, index: int) -> int:
        if 0 <= index < self.size:
            return index
        raise KeyError(index)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.size))

    def __len__(self) -> int:
        return self.size


def _copy(index: int, openings: Mapping[int, tuple[int, list[tuple[int, int]]]],
          claimed: Mapping[int, Claim]) -> bool:
    """Whether a standing long line opens as another standing line of about its length does.

    Such a paragraph may be the second copy the near-duplicate kind removes, once removed
    lines bring the two together: it holds no quote, which would go with it. Read among
    the lines still standing, as cleaning the cleaned text would read them; asked only of
    the paragraphs that hold a candidate's piece.
    """
    found = openings.get(index)
    if found is None or index in claimed:
        return False
    size, group = found
    return sum(1 for other, length in group
               if other not in claimed and _NEAR * size <= length <= size / _NEAR) > 1


def _others(probes: dict[int, tuple[str, ...]], text: str, holders: list[int],
            offsets: list[int]) -> dict[int, list[int]]:
    """For each candidate, the other paragraphs that hold one of its pieces.

    A short text is searched piece by piece (``str.count``, then ``str.find`` for the rare
    piece found twice); past ``_SCAN`` characters of searching, one Aho-Corasick scan
    (``ahocorasick_rs``, as the trigger scan) finds every piece at once, so the cost stays
    linear in the text however many candidates it has. Both give the same answer. A piece
    that many paragraphs hold is a template's phrase, not a quote's, and is not followed.
    """
    if not probes or not text:
        return {}
    holding: dict[str, set[int]] = {}
    if len(probes) * len(text) <= _SCAN:
        holder_set = set(holders)
        for index, pieces in probes.items():
            own = 1 if index in holder_set else 0  # a candidate that is a paragraph too
            for piece in pieces:
                if piece in holding or text.count(piece) <= own:
                    continue
                found = holding[piece] = set()
                offset = text.find(piece)
                while offset >= 0:
                    found.add(holders[bisect_right(offsets, offset) - 1])
                    offset = text.find(piece, offset + 1)
    else:
        every = sorted({piece for found in probes.values() for piece in found if piece})
        automaton = ahocorasick_rs.AhoCorasick(  # built per document: the NFA builds fastest
            every, matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.NoncontiguousNFA)
        for number, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
            holding.setdefault(every[number], set()).add(
                holders[bisect_right(offsets, start) - 1])
    others: dict[int, list[int]] = {}
    if not holding:  # most texts: no piece stands in another paragraph
        return others
    for index, pieces in probes.items():
        held: set[int] | None = None
        for piece in pieces:
            paragraphs = holding.get(piece)
            if paragraphs is not None and len(paragraphs) <= _COMMON_PIECE:
                held = set(paragraphs) if held is None else held | paragraphs
        if held is not None:
            held.discard(index)
            if held:
                others[index] = sorted(held)
    return others


def _among_sentences(
    blocks: Sequence[Block], claimed: Mapping[int, Claim], start: int, end: int,
) -> bool:
    """Whether the standing lines around ``start``..``end`` end as sentences or are long.

    Neither is then a label or a headline, the lines whose runs a removal between them
    would join.
    """
    for step, at in ((-1, start), (1, end)):
        position = _next_standing(blocks, claimed, at, step)
        if 0 <= position < len(blocks):
            text = blocks[position].text
            if len(text) < _PARAGRAPH and text[-1] not in _STOPS:
                return False
    return True


def _prose(text: str) -> bool:
    """Whether a line reads as a sentence, tested cheapest first.

    Not a heading, list item, table row, link, markup or code, nor the piece of a sentence
    broken at a link (it opens in lower case or with punctuation). A table of one cell
    ("| ... |", a quote box as a converter writes it) is read as its cell.
    """
    if "://" in text or "](" in text:
        return False
    # A table of one cell is a converter's frame around a quote box, read as its cell.
    if text[:2] == "| " and text[-2:] == " |" and "|" not in text[2:-2]:
        text = text[2:-2].strip()
    # The first word and the head are read without copying the line (``split``, ``lstrip``
    # of a long line): most lines open with a letter.
    body = text.lstrip(" >") if text[:1] in " >" else text
    if body[:2] in _ITEM_MARKS:
        return False
    if body[:1].isdigit():
        space = body.find(" ")
        if (body if space < 0 else body[:space])[-1:] in ".)":
            return False
    head = body[:1]
    if head in _OPENING_MARKS:
        head = body.lstrip(_OPENING_MARKS)[:1]
    if not head or head in _NOT_OPENING or head.islower():
        return False
    return "<" not in text or _TAG.search(text) is None


def _core(text: str, max_name_words: int) -> tuple[list[str], int]:
    """The line's words, folded, less the speaker's name or credit after the quote.

    Also the count of all its words. After a closing quote mark, or a sentence's end and a
    dash, what follows is the speaker ("” — Jane Doe, mayor of the city"); else capitalised
    words at the end that the sentence does not need ("... shoes Martin Bamford").
    """
    words = _WORD.findall(text)
    end = _speaker_at(text)
    if end is not None:
        core = _WORD.findall(text[:end])
    else:
        cut = 0
        while (cut < max_name_words and cut < len(words) - 1
               and _CAPITAL.match(words[len(words) - 1 - cut]) is not None):
            cut += 1
        core = words[: len(words) - cut] if cut >= 2 else words
    return [w.casefold() for w in core], len(words)


def _rest_of_quote(text: str, held: list[str] | None) -> bool:
    """Whether a line goes on a quote's sentence with the paragraph's words.

    It opens in lower case: the quote was broken onto two lines.
    """
    if held is None or not text[:1].islower():
        return False
    words = [w.casefold() for w in _WORD.findall(text)]
    return len(words) >= _RUN and f" {' '.join(words)} " in f" {' '.join(held)} "


def _leading(inside: list[bool]) -> int:
    """How many of the first words the paragraph holds, one after the other."""
    try:
        return inside.index(False)
    except ValueError:
        return len(inside)


def _named_after(text: str, runs: Sequence[Match], count: int, least: int) -> bool:
    """Whether the line is the paragraph's words from its start, then a speaker's name.

    "... within the first half of this year Zhu Congpeng, China Aerospace Science and
    Technology Corporation": the quote runs on into its speaker with no mark between. The
    run from the line's first word covers most of it, and what is left is a few words that
    open with a capital.
    """
    run = next((r for r in runs if r.a == 0 and r.size), None)
    if (run is None or run.size < max(least, 2 * count // 3) or count - run.size > _NAME_WORDS
            or _ENDED.search(text) is not None):  # a name has no full stop
        return False
    words = list(_WORD.finditer(text))
    if len(words) <= run.size:
        return False
    # The name follows the quote's last word with no sentence's end between: else the rest
    # is the next sentence ("... the spring. The work ...").
    between = text[words[run.size - 1].end():words[run.size].start()]
    return _CAPITAL.match(words[run.size].group()) is not None and not any(
        mark in between for mark in ".!?")


def _speaker_at(text: str) -> int | None:
    """Where a quote ends and its speaker begins, if the line names one after it."""
    end = None
    # A quote opens with its mark; the speaker after a dash follows " — ".
    head = text[:1]
    if head in " >*_":  # the line is copied only when it opens with marks
        head = text.lstrip(" >*_")[:1]
    if head in _QUOTES and (said := _SAID.match(text)):
        end = said.end(1)
    if (" — " in text or " – " in text or " - " in text) and (said := _DASHED.match(text)):
        dashed = said.end(1)
        end = dashed if end is None else min(end, dashed)
    return end


def _headline(text: str) -> bool:
    """Mostly capitalised words: a heading or a title, which may repeat a sentence's words."""
    words = _WORD.findall(text)
    return sum(_CAPITAL.match(w) is not None for w in words) * 2 > len(words)


def _speaker(blocks: Sequence[Block], at: int, claimed: Mapping[int, Claim]) -> list[Block]:
    """The speaker's line under a pull quote, and marks alone on the lines between."""
    position = _past_marks(blocks, at + 1)
    taken = list(blocks[at + 1:position])
    if position < len(blocks) and _SPEAKER.match(blocks[position].text) is not None:
        taken.append(blocks[position])
    elif not blocks[at].text.lstrip().startswith(">"):
        return []
    return [b for b in taken if b.index not in claimed]
