"""Kinds that judge a line by where it stands in the text.

A bare name is a signature under the last paragraph and a list item anywhere else: the line
alone cannot tell, its place can. These look at a few blocks at the text's edges, so their
cost does not grow with the document.
"""

from __future__ import annotations

from collections.abc import Iterator

from .document import Block
from .matcher import Context, DocumentMatcher, Hit
from .rule import Rule


class EdgeLineKind(DocumentMatcher):
    """``kind = "edge-line"``: the last line left standing, when it has the rule's shape.

    "Vũ Hoàng" or "Kyle Kucharski" alone under an article's last paragraph is its signature;
    the same line inside the text is a list item or a subheading. Only the last standing line
    is judged, and at most one line a document goes: the line that becomes last once the
    signature is gone is not judged again (a run of names closing a text is a list).
    ``after`` asks the line before it to be at least that long, so the last item of a closing
    list of short lines is not taken for a signature.
    """

    kind = "edge-line"
    keys = frozenset({"pattern", "max_length", "after", "reason"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.pattern = p.get_pattern("pattern")
        self.max_length = p.get_int("max_length", 40)
        self.after = p.get_int("after", 0)
        self.reason = p.get_str("reason", rule.name.replace("-", " "))

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        code = self.rule.code
        if code in ctx.memo:  # this document's edge line is already gone
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        position = len(blocks) - 1
        while position >= 0 and blocks[position].index in claimed:
            position -= 1
        if position < 2:  # a text of one or two lines has no signature to tell apart
            return
        block = blocks[position]
        text = ctx.text_of(block).strip()
        if not text or len(text) > self.max_length:
            return
        previous = position - 1
        while previous >= 0 and blocks[previous].index in claimed:
            previous -= 1
        if previous < 0 or len(ctx.text_of(blocks[previous]).strip()) < self.after:
            return
        if self.search(self.pattern, text, block) is None:
            return
        ctx.memo[code] = True
        yield block, Hit(self.reason)
