"""A picture's caption standing right above the credit a rule removed.

Pages print a picture's caption and then its credit on the next line ("Lotus Elite - Paris
2010" over "FOTO: Novinky", "Wyatt Russell in *Falcon*" over "Chuck Zlotnick—Marvel
Studios"). With the picture gone the credit is plain to a rule; the caption is only a short
line, often without a stop, that no wording marks. What marks it is where it stands: right
above a line a credit rule took, and right below the picture's place. A paragraph of the
article can stand above a credit too (a credit printed after the paragraph the picture sat
in, with no caption: CleanEval's and Dragnet's gossip items end that way), so the line above
the caption must be one a rule removed (the image itself) or there must be none; the line
must be caption-sized, no heading, lead-in or quotation; and the credit must name someone
and not hold its own caption ("Image copyright X Image caption Y").
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .document import Block
from .matcher import Context, DocumentMatcher, Hit
from .place_kinds import _claimed_positions, _may_claim
from .rule import Rule

# A credit names someone: a capitalised name after a label's colon, "by", a slash or a dash
# ("Photo: Jane Doe", "Photo by Jane Doe", "Jane Doe/AFP"); a bare "IMAGE", "Photos" or a
# gallery's "1 / 23" marks a picture's place, after whatever text stood above it.
_NAMED = regex.compile(r"(?:[:：]|\bby\b|/|—|–)\s*\p{Lu}\p{L}")


class AboveCreditKind(DocumentMatcher):
    """``kind = "above-credit"``: a caption-sized line right above a removed credit line.

    The line below it was claimed by one of the ``credits`` rules, is at most
    ``credit_length`` characters without the word "caption", and names someone (a
    capitalised name after a colon, "by", a slash or a dash); the line above it was
    claimed too (the picture's place) or there is none; the line itself is standing,
    not the title, at most ``max_length`` characters, opens with a capital (not a heading's,
    quotation's or list's mark, not a digit: a line opening in lower case is a paragraph's
    piece) and does not end with a colon or an ellipsis (a lead-in to what follows).
    """

    kind = "above-credit"
    keys = frozenset({"credits", "max_length", "credit_length"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.credits = frozenset(p.get_strs("credits"))
        if not self.credits:
            raise p._fail("credits", "a non-empty list of rule codes")
        self.max_length = p.get_int("max_length", 100)
        self.credit_length = p.get_int("credit_length", 80)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed, credits = ctx.blocks, ctx.claimed, self.credits
        # Most texts have no credit line: the claims tell, without a walk over the blocks.
        if not _may_claim(ctx, credits):
            return
        for below_at in _claimed_positions(ctx, credits):
            position = below_at - 1
            if position < 0:
                continue
            block = blocks[position]
            if block.index in claimed or position == ctx.title:
                continue
            below = blocks[below_at]
            credit = ctx.text_of(below)
            if (len(credit) > self.credit_length or "caption" in credit.lower()
                    or _NAMED.search(credit) is None):
                continue
            # The picture stood above its caption: a line a rule removed (the image, the
            # previous picture's credit) or the text's first line. A paragraph above is the
            # article going on, whose last sentence a credit printed after it follows.
            if position > 0 and blocks[position - 1].index not in claimed:
                continue
            text = ctx.text_of(block).strip()
            # A caption opens with a capital: not a heading's, quotation's or list's mark, a
            # digit or a paragraph's piece in lower case.
            if (not text or len(text) > self.max_length or not text[0].isupper()
                    or text.endswith((":", "...", "…"))):
                continue
            yield block, Hit(f"caption above the picture credit on line {below.line}")
