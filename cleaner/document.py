"""The document model: raw text split into line blocks that remember where they came from.

Every later stage talks about blocks, never about raw offsets, so a removal can always be
traced back to a 1-based line number and a character span of the original text. A block is one
non-blank line: scraped text puts one paragraph per line far more often than it hard-wraps, and
a line is the unit a linter reports and an editor jumps to.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import accel

BOM = "\ufeff"


@dataclass(slots=True)
class Block:
    """One non-blank line of the input (treat as read-only).

    ``blank_before`` records whether a blank line separated it from the previous block, so the
    renderer can keep paragraph breaks where the input had them and nowhere else. Not frozen:
    a frozen dataclass costs 1.4 µs to build against 0.26 µs, and parse builds one per line.
    """

    index: int
    line: int
    col: int
    start: int
    end: int
    text: str
    raw: str
    blank_before: bool


@dataclass(frozen=True, slots=True)
class Document:
    """The input split into blocks, with what is needed to write it back the way it came.

    ``items`` holds the ``Block.index`` of blocks the source marks as list items where their
    text does not show it: the HTML path's ``<li>`` blocks, written without a bullet. Plain
    text shows its items (``- ``, ``1. ``) and leaves it empty.
    """

    source: str
    blocks: tuple[Block, ...]
    newline: str
    bom: bool
    final_newline: bool
    items: frozenset[int] = frozenset()


def detect_newline(text: str) -> str:
    """Return the document's newline style, so output and in-place fixes keep it."""
    # "\r" first: most texts lack it, and one character is a memchr where "\r\n" is a
    # slower two-character search of the whole text.
    if "\r" in text and "\r\n" in text:
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def parse(text: str) -> Document:
    r"""Split ``text`` into blocks.

    Only ``\n``, ``\r\n`` and a lone-``\r`` convention count as line breaks (not the
    exotic separators ``str.splitlines`` honours), so line numbers agree with editors and git.
    A leading byte-order mark is remembered and left out of the first block.
    """
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    newline = detect_newline(body)
    # The line loop is a kernel of the line table (``cleaner.accel``): compiled when built.
    blocks, final_newline = accel.parse_lines(body, newline, 1 if bom else 0, Block)
    return Document(
        source=text,
        blocks=tuple(blocks),
        newline=newline,
        bom=bom,
        final_newline=final_newline,
    )


def render(document: Document, removed: set[int] | frozenset[int]) -> str:
    """Write the kept blocks back in order, deleting whole lines and nothing else.

    Two kept blocks are joined by one blank line if any blank line separated them in the input
    (one paragraph break, however many blank or removed lines stood between), and by a single
    newline otherwise, so one-paragraph-per-line text and hard-wrapped paragraphs both survive.
    The byte-order mark is not re-added: that belongs to whoever writes the bytes. A kept
    line that opens with U+FEFF (the removed lines above it gone, or a second mark after the
    text's own) would open the output, where every reader takes it for a byte-order mark
    and drops it: such an output starts with a line break instead, so the character stays
    the line's own and cleaning the output again changes nothing.
    """
    newline = document.newline
    out: list[str] = []
    pending_break = False
    for block in document.blocks:
        pending_break = pending_break or block.blank_before
        if block.index in removed:
            continue
        if out:
            out.append(newline + newline if pending_break else newline)
        elif block.raw.startswith(BOM):
            out.append(newline)
        out.append(block.raw)
        pending_break = False
    if out and document.final_newline:
        out.append(newline)
    return "".join(out)
