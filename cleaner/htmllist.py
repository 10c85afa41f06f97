"""The list a page is made of, for pages with no article: a job board, a front page, a shop.

The main-content choice looks for paragraphs, and a listing has none: its text is dozens of
items of a few short fields each (a headline and its summary, a job's title, company and
salary, a product's name and price), mostly link text. Read as an article, such a page kept
its one-sentence introduction and nothing else (WCXB's listing and collection pages: 35 of
the 50 pages where clean_html returned under a tenth of trafilatura's text).

``item_list`` finds the element whose children repeat one shape (the same tag and class) at
least ``MIN_ITEMS`` times and hold most of its text, the one whose items hold the most text,
outside landmarks, comment threads and elements named as furniture. ``clean_html`` turns to
it only when the article it found is short and the list holds several times more text; each
item is then one line (its fields joined as a Markdown row), so the text rules judge a job
or a headline, not each of its labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from .htmlblocks import HtmlBlock, furniture_reason, names_comment, tag_of

# Fewer items of one shape than this is a box, not the page's list.
MIN_ITEMS = 10
# The items of that shape hold at least this share of their parent's text.
ITEM_SHARE = 0.6
# And this many characters an item on average: a headline, a job, a product with its price,
# not a blogroll's or a menu's one-word links.
MIN_ITEM_CHARS = 30


@dataclass(frozen=True, slots=True)
class ItemList:
    """The list chosen: its element, its items in order, and the text they hold."""

    element: etree._Element
    items: tuple[etree._Element, ...]
    chars: int


def item_list(found: Sequence[HtmlBlock]) -> ItemList | None:
    """The page's longest list of items of one shape, or None."""
    # Per (parent, child) on the blocks' paths: the text beneath the child.
    held: dict[etree._Element, dict[etree._Element, int]] = {}
    page = 0
    for block in found:
        if block.in_landmark or block.in_figure:
            continue
        size = len(block.text)
        page += size
        path = block.path
        for at in range(len(path) - 1):
            children = held.setdefault(path[at], {})
            children[path[at + 1]] = children.get(path[at + 1], 0) + size
    best: ItemList | None = None
    refused: dict[etree._Element, bool] = {}
    totals = {element: sum(children.values()) for element, children in held.items()}
    for parent, children in held.items():
        if len(children) < MIN_ITEMS:
            continue
        shapes: dict[tuple[str, str], list[etree._Element]] = {}
        for child in children:
            shapes.setdefault((tag_of(child), child.get("class") or ""), []).append(child)
        items = max(shapes.values(), key=len)
        if len(items) < MIN_ITEMS:
            continue
        chars = sum(children[item] for item in items)
        if chars < ITEM_SHARE * totals[parent] or chars < MIN_ITEM_CHARS * len(items):
            continue
        if (best is None or chars > best.chars) and not _refused(
                parent, items[0], totals, page, refused):
            best = ItemList(parent, tuple(items), chars)
    return best


def _refused(parent: etree._Element, item: etree._Element, totals: dict[etree._Element, int],
             page: int, refused: dict[etree._Element, bool]) -> bool:
    """Whether an item, its list or an element around it is furniture or a comment thread.

    Above the list, up to the first element holding half the page's text: a wrapper that
    holds the page is not furniture whatever its class says (``<body class="has-sidebar">``).
    """
    element: etree._Element | None = item
    while element is not None:
        if (element is not item and element is not parent
                and 2 * totals.get(element, 0) >= page):
            return False
        known = refused.get(element)
        if known is None:
            known = refused[element] = bool(
                names_comment(element) or furniture_reason(element, tag_of(element)))
        if known:
            return True
        element = element.getparent()
    return False


def item_lines(found: Sequence[HtmlBlock], listing: ItemList) -> list[tuple[str, int]]:
    """Each item's text as one line (fields joined as a Markdown row) with its source line."""
    of_item: dict[etree._Element, list[HtmlBlock]] = {item: [] for item in listing.items}
    for block in found:
        path = block.path
        if listing.element in path:
            at = path.index(listing.element)
            if at + 1 < len(path) and path[at + 1] in of_item and not block.in_figure:
                of_item[path[at + 1]].append(block)
    lines = []
    for item in listing.items:
        fields = [block.text for block in of_item[item]]
        if not fields:
            continue
        text = fields[0] if len(fields) == 1 else "| " + " | ".join(fields) + " |"
        lines.append((text, of_item[item][0].line))
    return lines
