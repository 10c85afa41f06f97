"""A caption printed twice: once as a picture's alt text, once as the line beside it.

Page-to-Markdown converters keep a picture as ``![alt](address)`` and its caption as the
next (or previous) line. Sites fill the alt text with the caption itself, so the caption's
words stand in the text twice; the line goes, the picture's line is the image-embed rule's.
The words must be the caption's, nearly all of them, and of about the alt text's length: a
headline or a book title beside a cover (mostly capitalised words), a heading, a list item
or a link is the text's own even when a picture is named after it.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from .document import Block
from .excerpt_kind import _headline
from .matcher import Context, DocumentMatcher, Hit
from .rule import Rule

_WORD = regex.compile(r"\w+")
# A picture's alt text; the "Image 3: " some converters number pictures with is not its words.
_ALT = regex.compile(
    r"!\[(?:Image\s+\d+:\s*)?([^\]\n]{0,3000})\]\([^)\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)"
)
# Lines that are the text's own whatever their words: headings, list items, table rows,
# links, block quotes.
_OWN = ("#", "|", "* ", "- ", "+ ", "• ", "[", ">")
# A line that says it is a caption: a figure's number, a photo's label, emphasis around it.
_MARKED = regex.compile(
    r"^(?:[*_]+\S|\W*(?i:fig(?:ure)?|photo(?:graph)?|image|picture|pic|chart|graph|map|table|"
    r"graphic|illustration|source|credit)\b)"
)
# More words than these: a paragraph, not a caption (unless it says it is one).
_LONGEST_CAPTION = 60
_LONGEST_ALT = 80


class AltEchoKind(DocumentMatcher):
    """``kind = "alt-echo"``: the line beside a picture that says its alt text again.

    The picture's line holds nothing but pictures and links; the line just below it (above
    it only when it says it is a caption: "Figure 2.", "Photo:", in emphasis) has
    ``min_words`` words or more (the alt text too, at most 80), at least ``coverage`` of them
    in the alt text and at least ``size_ratio`` times as many words as it has, at most 60
    words unless marked as a caption, at most ``max_length`` characters, and is not the
    title, a heading, a list item, a link or a line of mostly capitalised words.
    """

    kind = "alt-echo"
    keys = frozenset({"min_words", "coverage", "size_ratio", "max_length"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_words = p.get_int("min_words", 4)
        self.coverage = p.get_float("coverage", 0.9)
        self.size_ratio = p.get_float("size_ratio", 0.5)
        self.max_length = p.get_int("max_length", 2000)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        pictures = ctx.memo.get(self.rule.code)
        if pictures is None:  # a C-level look, once a document: most texts hold no picture
            pictures = ctx.memo[self.rule.code] = "![" in ctx.source
        if not pictures:
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        for position, block in enumerate(blocks):
            text = block.text
            # Nothing of it a reader sees but pictures: its markup-free view is empty.
            if "![" not in text or ctx.text_of(block).strip(" *_|"):
                continue
            for alt in _ALT.findall(text):
                words = {w.casefold() for w in _WORD.findall(alt)}
                count = len(_WORD.findall(alt))
                if count < self.min_words:
                    continue
                for near in (position + 1, position - 1):
                    if not 0 <= near < len(blocks) or near == ctx.title:
                        continue
                    other = blocks[near]
                    # Above the picture only a line that says it is a caption ("Figure 2.").
                    if other.index in claimed or (
                        near < position and _MARKED.match(other.text) is None
                    ) or not self._caption(other.text, words, count):
                        continue
                    yield other, Hit(f"caption printed twice: the alt text of the picture on "
                                     f"line {block.line}")

    def _caption(self, text: str, alt: set[str], alt_count: int) -> bool:
        """Whether ``text`` says the alt text again, in about as many words."""
        if len(text) > self.max_length or text.startswith(_OWN) or "![" in text:
            return False
        words = [w.casefold() for w in _WORD.findall(text)]
        if len(words) < self.min_words or len(words) < self.size_ratio * alt_count:
            return False
        if (len(words) > _LONGEST_CAPTION or alt_count > _LONGEST_ALT) and (
            _MARKED.match(text) is None
        ):
            return False  # a caption is a sentence or two (a figure's may run longer): a
            # paragraph copied into the alt text is the text's own
        if _headline(text):  # a title beside its cover
            return False
        return sum(w in alt for w in words) >= self.coverage * len(words)
