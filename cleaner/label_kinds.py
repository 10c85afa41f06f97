"""Lines that say what the lines under them are: a field's label, a section's title.

Templates print a field's label and its value on two lines: "Written by" then the author's
name, "Source:" then a bare link. Each line alone is ambiguous (a name is a list item, a link
is a reference the article gives), the pair is not: a label that says what the next line is,
and a next line of exactly that shape. A section title says it of everything under it:
"10 thoughts on “Title”" heads the readers' comments, which read like any other prose.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .document import Block
from .document_kinds import triggered_blocks
from .matcher import Context, DocumentMatcher, Hit
from .normalise import word_list
from .place_kinds import _claimed_positions, _may_claim, _past_marks, _positions
from .rule import Rule

# What a line that goes on a sentence looks like: it opens with punctuation or in lower case.
_CONTINUES = regex.compile(r"^[\s*_]*(?:[,.;:)\]}”’]|\p{Ll})")
# A rule drawn across the page: "---", "***", "* * *", "___".
_RULE = regex.compile(r"^(?:-{3,}|\*(?:\s*\*){2,}|_{3,})$")


class LabelValueKind(DocumentMatcher):
    """``kind = "label-value"``: a ``label`` line and up to ``max_values`` ``value`` lines under it.

    Either may have been removed already by another rule (a bare "By:" in the head, an
    author link taken as a teaser): the pair explains what is left of it. The values follow
    the label directly (a quote marker or "**" alone on a line between them goes too) and
    are at most ``max_length`` characters. When the line after the values goes on a
    sentence (",", lower case), the label was a sentence's words broken at a link ("Created
    by" / "[Jane](...)" / ", the tool ..."), and nothing is taken; so too when more value
    lines follow than ``max_values`` (a list of references, of contributors). ``triggers``
    find the labels in the engine's one scan.
    """

    kind = "label-value"
    keys = frozenset({"label", "value", "max_values", "max_length", "label_length", "triggers"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.label = p.get_pattern("label")
        self.value = p.get_pattern("value")
        self.max_values = max(1, p.get_int("max_values", 1))
        self.value_length = p.get_int("max_length", 80)
        # The trigger scan's length limit is the label's: the scan looks for labels only.
        self.max_length = p.get_int("label_length", 40)
        self.triggers = p.get_triggers() if "triggers" in p.rule.params else ()

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        labels: list[int] | None = ctx.memo.get(self.rule.code)
        if labels is None:  # a block's text never changes: its labels are read once
            labels = ctx.memo[self.rule.code] = self._labels(ctx)
        if not labels:
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        # Where each label stands: the pass's shared table (None while the standing blocks
        # are the first ones, each at its index), not a table of every block per kind.
        position_of = _positions(ctx)
        size = len(blocks)
        for index in labels:
            at = ((index if index < size else None) if position_of is None
                  else position_of.get(index))
            if at is None:
                continue
            label = blocks[at]
            said = ctx.text_of(label)
            # A quote marker or emphasis left alone on a line ("> ", "**") between the two.
            position = _past_marks(blocks, at + 1)
            values = list(blocks[at + 1:position])
            marks = len(values)
            while position < len(blocks) and len(values) - marks < self.max_values:
                block = blocks[position]
                text = ctx.text_of(block)
                if len(text) > self.value_length or self.search(self.value, text, block) is None:
                    break
                values.append(block)
                position += 1
            if len(values) == marks:
                continue
            # One more line of the value's shape: a list (of names, of links) the text means.
            if (len(values) - marks == self.max_values and position < len(blocks)
                    and self.search(self.value, ctx.text_of(blocks[position]),
                                    blocks[position]) is not None):
                continue
            if position < len(blocks) and _CONTINUES.match(ctx.text_of(blocks[position])):
                continue
            named = len(values) - marks
            hit = Hit(f"{said.strip()[:30]!r} and the {named} line{'s' if named > 1 else ''} "
                      "it labels")
            for block in (label, *values):
                if block.index not in claimed:
                    yield block, hit

    def _labels(self, ctx: Context) -> list[int]:
        """The indexes of the blocks that are labels, in order (first pass: all stand)."""
        found = []
        for block in triggered_blocks(self, ctx):
            said = ctx.text_of(block)
            if len(said) <= self.max_length and self.search(self.label, said, block):
                found.append(block.index)
        return sorted(found)


class SectionKind(DocumentMatcher):
    """``kind = "section"``: every line under a section title that a ``headers`` rule removed.

    The section runs to the end of the text, or up to a line an ``ends`` rule removed (the
    thread's "Comments are closed", its reply form), at most ``max_lines`` lines, and a rule
    ("---") drawn right above the title; taken only
    when a paragraph of ``paragraph_words`` words stands above the title and at least
    ``min_position`` of the lines do, so a title printed in a page's head (a link to the
    comments, an author box before the article) takes nothing.
    """

    kind = "section"
    keys = frozenset({"headers", "ends", "max_lines", "paragraph_words", "min_position"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.headers = frozenset(p.get_strs("headers", ()))
        self.ends = frozenset(p.get_strs("ends", ()))
        self.max_lines = p.get_int("max_lines", 500)
        self.paragraph_words = p.get_int("paragraph_words", 25)
        # The share of standing lines that must stand above the title (0: anywhere).
        self.min_position = p.get_float("min_position", 0.0)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        if not _may_claim(ctx, self.headers):
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        for position in _claimed_positions(ctx, self.headers):
            block = blocks[position]
            if position < self.min_position * len(blocks) or not any(
                b.text.count(" ") + 1 >= self.paragraph_words
                for b in blocks[:position] if b.index not in claimed
            ):
                continue  # a title in the head; the section's own may come further down
            hit = Hit(f"in the section under the removed title on line {block.line}")
            # A rule drawn across the page right above the title opens the section.
            if (position > 0 and blocks[position - 1].index not in claimed
                    and _RULE.match(blocks[position - 1].text) is not None):
                yield blocks[position - 1], hit
            for member in blocks[position + 1:position + 1 + self.max_lines]:
                taken = claimed.get(member.index)
                if taken is not None:
                    if taken.rule.code in self.ends:
                        break
                    continue
                yield member, hit
            return


class BoxTitleKind(DocumentMatcher):
    """``kind = "box-title"``: the title and pitch standing over a widget the rules removed.

    A sign-up box prints its title ("Morning Briefing") and a pitch ("Our best stories,
    every weekday.") above the lines the rules know (the e-mail field, the button, the
    consent note). Those lines go; the title and the pitch are short lines like a subheading
    or a one-line paragraph and stay. Right above a run of at least ``min_run`` lines that
    ``boxes`` rules removed, up to ``max_lines`` standing lines of at most ``max_words``
    words go too, each holding one of the box's ``words`` ("briefing", "newsletter",
    "daily"), read upwards until a line fails; the document's title never goes.
    """

    kind = "box-title"
    keys = frozenset({"boxes", "min_run", "max_lines", "max_words", "words"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.boxes = frozenset(p.get_strs("boxes", ()))
        self.min_run = max(1, p.get_int("min_run", 3))
        self.max_lines = p.get_int("max_lines", 2)
        self.max_words = p.get_int("max_words", 12)
        self.words = frozenset(w.casefold() for s in p.get_strs("words", ()) for w in s.split())

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        if not _may_claim(ctx, self.boxes):
            return
        positions = _claimed_positions(ctx, self.boxes)
        start = previous = -2
        for position in [*positions, -1]:
            if position == previous + 1:
                previous = position
                continue
            if start >= 0 and previous - start + 1 >= self.min_run:
                yield from self._titles(ctx, start)
            start = previous = position

    def _titles(self, ctx: Context, start: int) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed = ctx.blocks, ctx.claimed
        hit: Hit | None = None
        for position in range(start - 1, max(-1, start - 1 - self.max_lines), -1):
            block = blocks[position]
            if block.index in claimed or position == ctx.title:
                return
            words = word_list(ctx.text_of(block).casefold())
            if not words or len(words) > self.max_words or self.words.isdisjoint(words):
                return
            if hit is None:
                hit = Hit(f"the title of the box removed from line {blocks[start].line}")
            yield block, hit
