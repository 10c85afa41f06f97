"""Lines that still carry markup: feed descriptions, half-converted pages, Markdown scrapes.

RSS and Atom items store their text as HTML, and page-to-Markdown converters wrap it in
links and emphasis: the cruft is the same ("Continue reading", a photo credit, "The post X
appeared first on Y") but inside tags, entities, ``[text](url)`` and ``**`` that no anchored
pattern expects. The engine tries the line rules on a block as written and then on its text
alone, which this module makes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import regex

from .document import Block

# A tag as HTML writes it: a lower-case (or all-capital) name and name=value attributes, a
# closing tag, a comment or a doctype. "<The Palace: Jang Noksu>" (a title in brackets) is not.
_TAG = regex.compile(
    r"<(?:/?(?:[a-z][a-z0-9-]*|[A-Z][A-Z0-9]*)(?=[\s/>])"
    r"(?:\s+[A-Za-z_:@][\w:.@-]*(?:\s*=\s*(?:\"[^\"]{0,3000}\"|'[^']{0,3000}'|[^\s\"'=<>`]{1,3000}))?)*"
    r"\s*/?|!--.{0,3000}?--|![A-Za-z][^<>]{0,200})>"
)
_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Markdown: an image goes, a link keeps its text; emphasis markers and the screen-reader
# note that converters copy from link titles go too.
_MD_IMAGE = regex.compile(r"!\[[^\]]{0,3000}\]\([^)\s]{0,2000}(?:\s+\"[^\"]{0,200}\")?\)")
_MD_LINK = regex.compile(r"\[([^\]]{0,500})\]\([^)\s]{0,2000}(?:\s+\"[^\"]{0,200}\")?\)")
# ``(?<!\s)``: the spaces before "(opens ..." are tried from the first of them only; a bare
# ``\s*\(`` retried from every space of a long run (23,000 spaces: 1.2 s, found by fuzzing).
# Two emphasis markers between words are one span closing and the next opening where a
# converter dropped the space between them ("Subscribe to Acme's_[_Outbreak newsletter_](u)_for"):
# read as a space, or the words run together and no rule knows them.
_MD_JOIN = regex.compile(r"(?<=[\w’'.,;:!?)])(?:__|_\*|\*_)(?=\w)")
_MD_NOISE = regex.compile(
    r"\*\*|__|^[_*](?=\S)|(?<=\S)[_*]$|(?<=[\w.,;:!?’'\")])[_*](?=\s)|(?<=\s)[_*](?=[\w\"“‘(])"
    r"|(?<!\s)\s*\((?i:opens\s+in\s+(?:a\s+)?new\s+(?:window|tab))\)"
)


def markup_views(blocks: Sequence[Block], source: str) -> dict[int, Block]:
    """Blocks whose text changes once markup is dropped and entities decoded, by index.

    A document without "<", "&", "](", "**" or "_" costs five C-level scans and nothing else;
    one with them, a look at each line's markup characters. A block made only of tags or
    images gets an empty view: no rule matches it there, and MKP001 / CAP004 decide on the
    markup as written.
    """
    # A two-character literal only in a text holding its first character (a ``memchr``,
    # 25 times faster over a page than a two-character search).
    if (
        "<" not in source and "&" not in source and ("]" not in source or "](" not in source)
        and ("*" not in source or "**" not in source) and "_" not in source
    ):
        return {}
    views: dict[int, Block] = {}
    # A text met before in this document (a menu of links repeated down a page dump) is not
    # rewritten again: its view is a dictionary look-up, not four regex passes.
    seen: dict[str, str] = {}
    for block in blocks:
        text = block.text
        if (
            "<" not in text and "&" not in text and ("]" not in text or "](" not in text)
            and ("*" not in text or "**" not in text) and text[0] != "_" and text[-1] != "_"
        ):
            continue
        plain = seen.get(text)
        if plain is None:
            plain = seen[text] = plain_text(text)
        if plain != text:
            # Positional (as in ``parse``): ``dataclasses.replace`` costs 5 µs a block.
            views[block.index] = Block(block.index, block.line, block.col, block.start,
                                       block.end, plain, block.raw, block.blank_before)
    return views


def _link_words(match: regex.Match[str]) -> str:
    """A link's words, apart from the words run on to it without a space.

    "[Reply](u)66 replies" is a button and a counter, "by [Jane Doe](u)on May 1" a byline:
    read as "Reply66 replies" neither meets its rule; nor does "provided by[FACTSET](u)and"
    read with its words run together. A link before punctuation ("[Acme](u)'s")
    keeps its place, and so does a link before another link: a row of links run together
    reads as one long word, which is how the menu rules know it (a space between them would
    turn a menu bar into a ten-word sentence).
    """
    words = match.group(1)
    start, end = match.start(), match.end()
    if start and match.string[start - 1].isalnum():
        words = " " + words
    after = match.string[end:end + 1]
    return words + " " if after.isalnum() else words


def plain_text(text: str) -> str:
    """A line's text without tags, images, link targets, emphasis markers and entities."""
    plain = _TAG.sub(" ", text) if "<" in text else text
    if "](" in plain:
        plain = _MD_LINK.sub(_link_words, _MD_IMAGE.sub(" ", plain))
    if "**" in plain or "_" in plain or "*" in plain or "(opens" in plain:
        if "__" in plain or "_*" in plain or "*_" in plain:
            plain = _MD_JOIN.sub(" ", plain)
        plain = _MD_NOISE.sub("", plain)
    if "&" in plain and _ENTITY.search(plain) is not None:
        plain = html.unescape(plain)
    return " ".join(plain.split())
