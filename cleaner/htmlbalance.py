"""End tags libxml2 ignores, written out where an HTML5 parser would close the elements.

libxml2 closes an element at its end tag only if nothing it ranks higher is still open inside
it, and it ranks ``<div>`` above every element outside tables: one ``<div>`` left unclosed
inside a ``<header>``, ``<button>``, ``<nav>`` or ``<section>`` makes it ignore that element's
end tag, and the rest of the page is parsed as the header's (or the button's) content. A
browser's HTML5 parser pops everything opened inside the element instead. The page then loses
its article to a landmark or a control (a WCXB page: 16 KB of a tax guide inside ``<header
role="banner">``; four sites of one publisher: the whole article inside the menu button).

``close_blocks`` follows the tags with a stack of open elements and, where the end tag of a
block container arrives while a ``<div>`` opened inside it is still open, writes the end tags
of everything opened since just before it: what HTML5 does for those end tags ("pop elements
until the element has been popped"). It does the same before a list item's start tag that
closes the item before it with a ``<div>`` still open there (libxml2 nests the new item
inside). It leaves tables alone (their end tags rank above ``<div>`` in libxml2 too),
formatting elements (``</a>``, ``</b>``: HTML5 reopens them, a different repair), tags
written self-closed (``<div/>``: libxml2 closes them at once) and every text whose ``<div>``
tags balance outside its scripts and comments (most pages: it reads no further than the
counts).
"""

from __future__ import annotations

import re

# HTML5's end tags that close their element whatever is open inside it (the "address,
# article, aside, ..." end tag rule, and those of list items and description terms).
CONTAINERS = frozenset({
    "address", "article", "aside", "blockquote", "button", "center", "details", "dialog",
    "dir", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
    "listing", "main", "menu", "nav", "ol", "pre", "search", "section", "summary", "ul",
    "li", "dd", "dt",
})
# What an end tag's search for its element stops at (HTML5's "in scope" boundaries).
_SCOPE = frozenset({"applet", "caption", "html", "table", "td", "th", "marquee", "object",
                    "template", "body", "svg", "math"})
# Elements with no end tag.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen",
                   "link", "meta", "param", "source", "track", "wbr", "frame", "basefont",
                   "bgsound", "isindex"})
# Elements whose content is text up to their end tag, never tags.
_RAW = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "noframes",
                  "iframe", "plaintext"})
# Start tags that close an open <p> (as both libxml2 and HTML5 do).
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "ul",
})
# A tag ends at the first ">" and holds no "<" (which also keeps the scan linear: a "<a" with
# no ">" after it is not read to the end of the page for each "<" that follows).
_TOKEN = re.compile(r"<(?:!--|(/?)([A-Za-z][A-Za-z0-9:_-]*)[^<>]*>|!)")
_RAW_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _RAW}


# A <div> start or end tag, as written in lower or upper case: the group is "/" for an end tag.
_DIV_TAG = re.compile(r"<(/?)(?:div|DIV)")
# Where a script, a style sheet or a comment starts: text the scan below does not read as tags.
_UNREAD = re.compile(r"<(?:script|style)\b|<!--", re.IGNORECASE)
_UNREAD_END = {"<!--": re.compile("-->"), "script": _RAW_END["script"], "style": _RAW_END["style"]}


def close_blocks(text: str) -> str:
    """The page with the end tags an HTML5 parser implies before a container's end tag."""
    if _divs_balance(text):
        return text
    stack = _Stack()
    pieces: list[str] = []
    last = 0
    position = 0
    search = _TOKEN.search
    while True:
        token = search(text, position)
        if token is None:
            break
        name = token.group(2)
        if name is None:  # a comment or a declaration: skipped whole
            comment = token.group(0) == "<!--"
            end = text.find("-->" if comment else ">", token.end())
            if end < 0:
                break
            position = end + (3 if comment else 1)
            continue
        position = token.end()
        name = name.lower()
        if not token.group(1):  # a start tag
            if name in _VOID or token.group(0).endswith("/>"):
                continue
            if name in _RAW:
                close = _RAW_END[name].search(text, position)
                if close is None:
                    break
                position = close.end()
                continue
            closed = stack.implied_by_start(name)
            if "div" in closed:  # libxml2 would nest this item in the open <div>
                pieces += (text[last:token.start()], _end_tags(closed))
                last = token.start()
            stack.push(name)
            continue
        at = stack.in_scope(name)
        if at is None:
            continue
        if name == "div" or stack.nearest("div") < at:
            stack.pop_to(at)  # libxml2 closes it and what is open inside it by itself
        elif name in CONTAINERS:  # the end tags of what is open inside it, then its own
            pieces += (text[last:token.start()], _end_tags(stack.pop_to(at)[:-1]))
            last = token.start()
        # Else libxml2 ignores it, and so does HTML5 (an open <div> is "special"): the element
        # stays open in both.
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _divs_balance(text: str) -> bool:
    """Whether the page opens as many ``<div>``s as it closes, scripts and comments aside.

    Counted at C speed, first over the whole text (most pages balance there), then, for a page
    that does not, without its scripts, style sheets and comments, whose "<div" strings (a
    script writing markup) unbalanced the count on every sixth page and sent it through the
    tag-by-tag scan for nothing: 33 of the 181 Zyte pages, none of which it changed.
    """
    if _div_count(text, 0, len(text)) == 0:
        return True
    opened = 0
    position = 0
    while (start := _UNREAD.search(text, position)) is not None:
        opened += _div_count(text, position, start.start())
        found = start.group().lower()
        end = _UNREAD_END["<!--" if found == "<!--" else found[1:]].search(text, start.end())
        if end is None:
            return opened == 0
        position = end.end()
    return opened + _div_count(text, position, len(text)) == 0


def _div_count(text: str, start: int, end: int) -> int:
    """``<div`` start tags less ``</div`` end tags in ``text[start:end]``.

    One regex pass: four ``str.count`` passes cost three times as much on a page held as
    two or four bytes a character (all 181 Zyte pages), 0.08 s of the HTML path's 1.9 s.
    """
    found = _DIV_TAG.findall(text, start, end)
    return len(found) - 2 * found.count("/")


def _end_tags(names: list[str]) -> str:
    """End tags for ``names``, innermost first (as ``_Stack.pop_to`` returns them)."""
    return "".join(f"</{name}>" for name in names)


class _Stack:
    """The open elements, with where each name and each scope boundary last stands in them.

    Every question an end tag asks (is the element open, with no boundary above it? is a
    <div> open above it?) is a look at the top of a list, not a walk down the stack: a page
    of 100,000 unclosed <div>s and as many stray end tags stays linear.
    """

    __slots__ = ("bounds", "names", "where")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.where: dict[str, list[int]] = {}
        self.bounds: list[int] = []

    def push(self, name: str) -> None:
        self.where.setdefault(name, []).append(len(self.names))
        if name in _SCOPE:
            self.bounds.append(len(self.names))
        self.names.append(name)

    def pop_to(self, at: int) -> list[str]:
        """Pop the element at ``at`` and everything above it; their names, innermost first."""
        names, where = self.names, self.where
        popped = names[at:]
        popped.reverse()
        for name in popped:
            where[name].pop()
            if name in _SCOPE:
                self.bounds.pop()
        del names[at:]
        return popped

    def nearest(self, name: str) -> int:
        """Where the nearest open ``name`` stands, or -1."""
        found = self.where.get(name)
        return found[-1] if found else -1

    def in_scope(self, name: str) -> int | None:
        """Where ``name`` is open with no scope boundary above it, if it is."""
        at = self.nearest(name)
        if at < 0 or (self.bounds and self.bounds[-1] > at):
            return None
        return at

    def implied_by_start(self, name: str) -> list[str]:
        """Pop what a start tag closes by itself: an open <p>, a previous list item or cell.

        Returns what the list item's or the term's start tag closed, innermost first (an HTML5
        parser closes a <div> left open in the previous item there; libxml2 does not).
        """
        if name in _CLOSES_P and self.names and self.names[-1] == "p":
            self.pop_to(len(self.names) - 1)
        if name == "li":
            return self._close(("li",), ("ul", "ol"))
        if name in ("dd", "dt"):
            return self._close(("dd", "dt"), ("dl",))
        if name == "tr":
            self._close(("tr",), ("table", "tbody", "thead", "tfoot"))
        elif name in ("td", "th"):
            self._close(("td", "th"), ("tr", "table"))
        return []

    def _close(self, names: tuple[str, ...], bounds: tuple[str, ...]) -> list[str]:
        """Pop the nearest open element of ``names`` unless one of ``bounds`` is nearer."""
        at = max(self.nearest(name) for name in names)
        limit = max([self.nearest(bound) for bound in bounds]
                    + [self.bounds[-1] if self.bounds else -1])
        return self.pop_to(at) if at > limit else []
