"""HTML -> blocks with the structural signals that tell an article from its page furniture.

One walk over the lxml tree turns every block-level element into text blocks and records, per
block, what a reader's eye uses: the tag path, the class / id words of its ancestors (share,
related, newsletter, comment, caption...), how much of it is link text, whether it sits in a
``<figure>``, ``<aside>``, ``<nav>`` or a hidden element. Nothing is decided here; ``html``
chooses the main content from these facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import regex
from lxml import etree

# Elements whose text is never article text. Not <head>: when a page puts an unknown element
# there (`<mbox>`), the parser leaves the whole page inside <head>; its <title>, <meta>,
# <script> and <style> are skipped one by one anyway.
SKIP_TAGS = frozenset({
    "script", "style", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "select", "option", "textarea", "input", "label", "title", "meta",
    "link", "map", "audio", "video", "source", "picture", "math",
})
# Elements that start a new block of text.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "body", "header", "footer", "nav", "aside",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tfoot", "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "form",
    "fieldset", "address", "details", "summary", "hr", "br", "center", "caption", "menu",
    "dialog", "hgroup", "noscript", "html",
})
# A <noscript> is skipped (a "please enable JavaScript" note, a tracking pixel) unless it holds
# more text than that: an unclosed one swallows the rest of the page.
NOSCRIPT_MAX_CHARS = 500
# How deep (elements from the root) a hidden element may stand and still be read as the whole
# page hidden until a script shows it (``blocks``' ``wraps_page``).
WRAPPER_DEPTH = 5
# ... and the share of the page's text (scripts left out) it must hold: nearly all of it (a
# hidden header that libxml2 let swallow most of a page is not the page).
WRAPPER_SHARE = 0.9
# A "heading" longer than this is prose set in a heading tag (old pages style body text with
# <h5>), not a heading: it counts as a paragraph.
HEADING_MAX_CHARS = 200
# Deeper than this, an element's text joins the block above it as inline text: paths stay
# short (the main-content choice walks them) and the walk's recursion stays bounded.
MAX_DEPTH = 400
# Landmarks that mark page furniture by their tag alone.
FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "menu", "dialog", "form"})
# Landmarks whose text never argues for a main-content choice. Not <form>: some sites (ASP.NET)
# wrap the whole page in one.
LANDMARK_TAGS = FURNITURE_TAGS - {"form"}
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose text inside a <figure> (not in its caption) is the figure's content.
_FIGURE_CONTENT = frozenset({"table", "pre"})
# Distinct class/id attributes whose words are kept (``class_words``): a page holds hundreds.
WORDS_CACHE = 4096

# Class / id words (split on punctuation and camelCase) that name page furniture. Matched as
# whole words, so "ad" does not catch "header" or "download".
FURNITURE_WORDS = frozenset({
    "share", "sharing", "sharebar", "social", "related", "newsletter", "newsletters", "promo",
    "promotion", "subscribe", "subscription", "comment", "comments", "caption", "byline",
    "breadcrumb", "breadcrumbs", "footer", "nav", "navbar", "navigation", "menu", "advert",
    "advertisement", "ad", "ads", "adsense", "sponsor", "sponsored", "sidebar", "widget",
    "recommended", "recommendations", "recirc", "recirculation", "popular", "trending", "tags",
    "tag", "signup", "modal", "popup", "cookie", "cookies", "consent", "gdpr", "masthead",
    "toolbar", "login", "outbrain", "taboola", "disqus", "teaser", "teasers",
    "ticker", "author", "bio", "meta", "dateline", "timestamp", "credit", "credits",
    "copyright", "disclaimer", "skip", "print", "follow", "rail", "overlay", "banner",
    "subnav", "pagination", "pager", "readmore", "prev", "previous", "sr", "screenreader",
    "offscreen", "slideshow", "gallery", "player", "facebook", "whatsapp",
    "email", "complementary", "headline", "kicker", "eyebrow", "policy", "privacy", "legal",
    "terms",
})
# Words that name a comment whatever content word sits beside them.
COMMENT_WORDS = frozenset({"comment", "comments"})
# A class/id word naming a comment thread or one of its parts: "comments", "commentlist",
# "commenttext", "disqus_thread"; not "commentary" or "commentator" (opinion articles).
_THREAD_WORD = regex.compile(r"comment(?!ar|at)|disqus")
# Class/id words that name the article or its text. Those that name the text itself
# ("article-body", "entry-content") outrank any furniture word on the same element.
TEXT_WORDS = frozenset({
    "articlebody", "body", "content", "text", "prose", "copy", "rte", "richtext", "storybody",
    "postbody", "entrycontent",
})
# Those that name a whole unit of the page outrank only the furniture words such units are
# also named with ("widget Blog" is Blogger's list of posts, a "post-meta" element held a
# post), not a box's word beside them (``BOX_WORDS``: "article-related-bottom", "post-share").
UNIT_WORDS = frozenset({"article", "entry", "main", "post", "story", "blog"})
# Furniture words that name a box beside or below a text, never the text itself.
BOX_WORDS = frozenset({
    "related", "share", "sharing", "sharebar", "social", "recommended", "recommendations",
    "recirc", "recirculation", "popular", "trending", "promo", "promotion", "newsletter",
    "newsletters", "subscribe", "subscription", "advert", "advertisement", "ad", "ads",
    "adsense", "sponsor", "sponsored", "outbrain", "taboola", "signup", "footer", "byline",
    "tags", "breadcrumb", "breadcrumbs", "nav", "navbar", "navigation", "menu", "subnav",
    "sidebar", "pagination", "pager", "toolbar", "rail", "timestamp", "dateline", "credit",
    "credits", "kicker", "eyebrow", "readmore", "prev", "previous",
})
# A class token a blog engine writes to file a post under its metadata (``_unfiled_words``).
_FILING_TOKEN = regex.compile(r"(?i)(?:(?:entry|post)[-_])?(?:category|tag|author)[-_]")
# Hidden: inline styles and attributes a browser would not render, and the utility classes
# of CSS frameworks that only hide (``is_hidden``).
_HIDDEN_STYLE = regex.compile(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden")
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "is-hidden", "hide"})
# React's streamed segments: the server sends a finished part of the page in a hidden
# <div id="S:0">, and a script moves it into its place at once ("$RC('B:0', 'S:0')").
_STREAMED = regex.compile(r"S:\d+")
# Class/id words that, with "only", mark an article's paragraphs hidden until a script finds
# a subscription (``for_subscribers``).
_SUBSCRIBER_WORDS = frozenset({"subscriber", "subscribers", "member", "members", "premium"})
_WORD_SPLIT = regex.compile(r"[^\p{L}\p{N}]+|(?<=\p{Ll})(?=\p{Lu})")
_SPACE = regex.compile(r"\s+")
_WORD = regex.compile(r"\w+")
# A hidden element is a collapsed section's full text when the visible sibling just before it
# opens with the same words (this many, or all of the teaser's words but its last; in order
# among twice as many opening words of the hidden text, which may insert a "[close]" control
# or a byline) and the hidden text is at least this many times as long, and this long.
EXPAND_WORDS = 6
EXPAND_RATIO = 2
EXPAND_MIN_CHARS = 200


@dataclass(slots=True)
class HtmlBlock:
    """One block of visible text and the structural facts about where it stood."""

    text: str
    tag: str
    path: tuple[etree._Element, ...]
    line: int
    link_chars: int
    in_figure: bool
    heading: bool
    in_landmark: bool  # inside <nav>, <footer>, <aside>, <menu> or <dialog>
    # The visible teaser of a collapsed section whose hidden full text follows (``expands``).
    teaser: bool = False

    @property
    def link_density(self) -> float:
        """Share of the text that is link text: menus and related lists are mostly links."""
        return self.link_chars / len(self.text) if self.text else 0.0


def tag_of(element: etree._Element) -> str:
    """The lowercased tag name; "" for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def class_words(element: etree._Element) -> frozenset[str]:
    """Lowercased words of an element's class and id ("relatedPosts" -> related, posts)."""
    return _words_of(element.get("class") or "", element.get("id") or "")


# Cached by the attributes' text: a page repeats its classes over hundreds of elements, and
# the choice and the comment thread ask about the same elements again.
@lru_cache(maxsize=WORDS_CACHE)
def _words_of(classes: str, ident: str) -> frozenset[str]:
    """The lowercased words of ``classes`` and of an id."""
    raw = f"{classes} {ident}"
    if not raw.strip():
        return frozenset()
    return frozenset(w.lower() for w in _WORD_SPLIT.split(raw) if w)


def _unfiled_words(element: etree._Element) -> frozenset[str]:
    """``class_words`` less the class tokens a blog engine writes to file a post.

    WordPress and TypePad class a post by its metadata ("category-social-media",
    "entry-category-promotion", "tag-ads"): a box's word there is the name of a category the
    post is filed under, not a sign that the element is a box.
    """
    return _words_of(" ".join(t for t in (element.get("class") or "").split()
                              if _FILING_TOKEN.match(t) is None), element.get("id") or "")


def is_hidden(element: etree._Element) -> bool:
    """Hidden by attribute or inline style, as a browser would not show it.

    Not a React streamed segment (``hidden id="S:0"``): a script moves it into the page.
    """
    if element.get("hidden") is not None:
        element_id = element.get("id")
        return element_id is None or _STREAMED.fullmatch(element_id) is None
    if element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and _HIDDEN_STYLE.search(style) is not None:
        return True
    # A CSS framework's utility class that is ``display: none`` and nothing else (Bootstrap's
    # "hidden" and "d-none", Tailwind's "hidden", Bulma's "is-hidden", Foundation's "hide"):
    # the class attribute's own token, not a word of a longer name ("hidden-print").
    # Split only a class attribute that can hold one (a C-level look first: it is read for
    # every element of the page).
    # Width-dependent classes are not read: "hidden md:block" (shown on wide screens only)
    # stays hidden, "md:hidden" (phones only) shown. Read as a phone shows it, the page keeps
    # its text and loses the rails and boxes printed for wide screens only. Read as a wide
    # screen, WCXB's page F1 fell on rails shown ("hidden lg:block" related reads); hiding
    # only the phone-only copies lost pages that print their text once per width.
    classes = element.get("class")
    return (bool(classes) and ("hid" in classes or "d-none" in classes)
            and not _HIDDEN_CLASSES.isdisjoint(classes.split()))


def for_subscribers(element: etree._Element) -> bool:
    """Whether a hidden element's class/id says it holds text for subscribers only.

    Newspaper platforms print the whole article and hide its paragraphs after the first few
    ("subscriber-only", ``display:none``) until a script finds a subscription: that is the
    article's text, which a reader of the page's source (and the gold of extraction sets)
    has. Hiding for any other reason still hides.
    """
    words = class_words(element)
    return "only" in words and not words.isdisjoint(_SUBSCRIBER_WORDS)


def holds_text(element: etree._Element, chars: int, elements: int = 1000) -> bool:
    """Whether more than ``chars`` of text lie beneath ``element``, looking at ``elements`` at most.

    Bounded both ways so that asking it of every <noscript> of a page, nested or not, stays
    linear; past the element budget the answer is yes (that much markup is not a short note).
    """
    seen = 0
    for count, child in enumerate(element.iter()):
        if count >= elements:
            return True
        seen += len(child.text or "") + (len(child.tail or "") if child is not element else 0)
        if seen > chars:
            return True
    return False


def names_comment(element: etree._Element) -> bool:
    """Whether an element's class/id names a reader comment or a comment thread."""
    return _names_comment(class_words(element))


@lru_cache(maxsize=WORDS_CACHE)
def _names_comment(words: frozenset[str]) -> bool:
    """Whether one of the class/id words names a comment (``names_comment``)."""
    return any(_THREAD_WORD.match(word) for word in words)


def furniture_reason(element: etree._Element, tag: str) -> str | None:
    """Why an element looks like page furniture, or None."""
    if tag in FURNITURE_TAGS:
        return f"<{tag}>"
    words = class_words(element)
    if not words:
        return None
    if words & COMMENT_WORDS:
        # "comment-body", "commentText": a comment's body is still a comment.
        return f"class/id {sorted(words & COMMENT_WORDS)[0]!r}"
    if words & TEXT_WORDS:
        return None
    hit = words & FURNITURE_WORDS
    if hit and not words.isdisjoint(UNIT_WORDS) and _unfiled_words(element).isdisjoint(BOX_WORDS):
        # "widget Blog" (Blogger's posts), "post-meta" holding the post: a word for a whole
        # unit of the page outranks a furniture word that such units are also named with.
        return None
    if hit:
        return f"class/id {sorted(hit)[0]!r}"
    role = element.get("role")
    if role in ("navigation", "complementary", "banner", "contentinfo", "dialog"):
        return f"role {role!r}"
    return None


def is_link(anchor: etree._Element) -> bool:
    """Whether an ``<a>`` is a link rather than a named target (``<a name="intro">``).

    A target has a name and no href. Old pages open one before a section and never close
    it, so the parser puts the whole section, headings and paragraphs, inside the anchor:
    counted as link text, an article of 19,000 characters read as one long menu and a side
    table of 1,200 won. An ``<a>`` with an id and an onclick but no href is a script's link
    ("Click here to explore further", share buttons) and stays one.
    """
    return anchor.get("href") is not None or anchor.get("name") is None


def _opening_words(element: etree._Element, count: int, chars: int) -> tuple[list[str], bool]:
    """The first ``count`` words of the text under ``element``, and whether it holds more.

    More means over ``chars`` characters; it reads no further than it needs to know (a hidden
    element can hold a whole page).
    """
    words: list[str] = []
    seen = 0
    for piece in element.itertext():
        if len(words) < count:
            words.extend(_WORD.findall(piece)[: count - len(words)])
        seen += len(piece.strip())
        if len(words) >= count and seen > chars:
            return words, True
    return words, seen > chars


def expands(hidden: etree._Element, teaser: list[HtmlBlock]) -> bool:
    """Whether a hidden element is the full text of the visible ``teaser`` blocks before it.

    A collapsed section (a review tab, "read more") prints its opening line and "... more"
    and keeps the whole text in a hidden sibling that a click shows. Hidden text is otherwise
    not page text (showing every hidden element of 1,000 characters or more cost F1 on three
    sets: menus, modals, other tabs); here the page itself says the two are one text by
    opening both with the same words, and the hidden one is the longer.
    """
    text = " ".join(b.text for b in teaser)
    words = _WORD.findall(text)
    count = min(EXPAND_WORDS, len(words) - 1)  # the teaser's last word may be "more", "..."
    if count < 2:
        return False
    opening, longer = _opening_words(hidden, 2 * count, max(EXPAND_RATIO * len(text),
                                                            EXPAND_MIN_CHARS))
    if not longer or not opening or opening[0].lower() != words[0].lower():
        return False
    rest = iter(w.lower() for w in opening)
    return all(any(w.lower() == o for o in rest) for w in words[:count])


def blocks(root: etree._Element) -> list[HtmlBlock]:
    """Walk the tree once and return its visible text blocks in document order."""
    out: list[HtmlBlock] = []
    parts: list[str] = []
    link_chars = 0
    # Per open element: (element, tag, in figure). Counters and the owner stack stand in for
    # scans of this stack, which cost the depth of the tree on every piece of text.
    stack: list[tuple[etree._Element, str, bool]] = []
    path: list[etree._Element] = []  # the elements of ``stack``: a block's path is its copy
    owners: list[int] = []  # positions in ``stack`` of the open block-level elements
    links_open = 0
    landmarks_open = 0

    def flush() -> None:
        """The text gathered since the last block's end, as a block (called only with some)."""
        nonlocal link_chars
        text = _spaced("".join(parts))
        parts.clear()
        links, link_chars = link_chars, 0
        if not text or not owners:
            return
        element, owner_tag, _ = stack[owners[-1]]
        out.append(HtmlBlock(
            text=text,
            tag=owner_tag,
            path=tuple(path),
            line=element.sourceline or 0,
            link_chars=min(links, len(text)),
            in_figure=stack[-1][2] if stack else False,
            heading=owner_tag in HEADINGS and len(text) <= HEADING_MAX_CHARS,
            in_landmark=landmarks_open > 0,
        ))

    def reveal(element: etree._Element) -> bool:
        """Whether to show a hidden element: the full text of the teaser just before it.

        When it is, the teaser's blocks are marked as such: their words are the full text's
        opening, so the choice does not count them and the verdicts drop them, with a reason.
        """
        previous = element.getprevious()
        if previous is None or not isinstance(previous.tag, str) or parts:
            return False
        depth = len(stack)
        start = len(out)
        while start and len(out[start - 1].path) > depth and out[start - 1].path[depth] is previous:
            start -= 1
        if start == len(out) or not expands(element, out[start:]):
            return False
        for block in out[start:]:
            block.teaser = True
        return True

    page_chars: list[int] = []  # the text under <body>, measured once if asked

    def wraps_page(element: etree._Element) -> bool:
        """Whether a hidden element near the top is the page itself, hidden until a script runs.

        Some sites render the whole page into a hidden wrapper (``visibility:hidden``,
        ``<div hidden>``) and show it once their styles or scripts have loaded (against a
        flash of unstyled text): a browser shows it in a moment, and the page has nothing else
        to read. Such a wrapper stands within ``WRAPPER_DEPTH`` elements of the root and holds
        ``WRAPPER_SHARE`` of the page's text; only elements that high are measured, so nested
        hidden elements cost a few text measures, not one per level of the page.
        """
        if len(stack) > WRAPPER_DEPTH:
            return False
        if not page_chars:
            body = root.find("body")
            page_chars.append(_text_chars(body if body is not None else root))
        return _text_chars(element) >= WRAPPER_SHARE * page_chars[0]

    # The walk appends text to ``parts`` itself (counted as link text inside a link) and calls
    # ``flush`` only when some was added (a block's text and link count are both empty
    # otherwise): it runs once per element of the page, and a call each cost a fifth of it.
    def walk(element: etree._Element) -> bool:
        """Walk one element; returns whether it is block-level (its tail starts a block)."""
        nonlocal links_open, landmarks_open, link_chars
        name = element.tag  # ``tag_of``, inlined: this runs once per element of the page
        tag = name.lower() if isinstance(name, str) else ""
        block = tag in BLOCK_TAGS
        if not tag or tag in SKIP_TAGS:
            return block
        if (is_hidden(element) and not reveal(element)
                and not for_subscribers(element) and not wraps_page(element)):
            return block
        if tag == "noscript" and not holds_text(element, NOSCRIPT_MAX_CHARS):
            return block
        if len(stack) >= MAX_DEPTH:
            text = " ".join(element.itertext())
            if text:
                parts.append(text)
                if links_open:
                    link_chars += len(text.strip())
            return block
        if block and parts:
            flush()
        parent_figure = stack[-1][2] if stack else False
        # A quotation set as a figure (``<figure><blockquote>``: a testimonial, a pull quote
        # with its source in the caption) is the figure's content, not its caption; so is a
        # table or a code listing anywhere in a figure but its caption (block editors wrap
        # every table in ``<figure class="wp-block-table">``, highlighters code in
        # ``<figure class="highlight">``).
        in_figure = (tag in ("figure", "figcaption")
                     or (parent_figure
                         and not (tag == "blockquote" and stack[-1][1] == "figure")
                         and not (tag in _FIGURE_CONTENT
                                  and all(t != "figcaption" for _, t, _ in stack))))
        stack.append((element, tag, in_figure))
        path.append(element)
        if block:
            owners.append(len(stack) - 1)
        link, landmark = tag == "a" and is_link(element), tag in LANDMARK_TAGS
        links_open += link
        landmarks_open += landmark
        # The element's text, then each child and the text after it (its tail); the
        # sentinel at the end takes in the last tail. Text after a block-level child is a
        # block of its own.
        text, after_block = element.text, False
        for child in chain(element, _LAST):
            if text:
                parts.append(text)
                if links_open:
                    link_chars += len(text.strip())
            if after_block and parts:
                flush()
            if child is None:
                break
            after_block = walk(child)
            text = child.tail
        if block:
            if parts:
                flush()
            owners.pop()
        links_open -= link
        landmarks_open -= landmark
        stack.pop()
        path.pop()
        return block

    try:
        walk(root)
        if parts:
            flush()
    finally:
        # ``walk`` calls itself through its own closure cell: a reference cycle that would
        # keep the page's tree and blocks for the cyclic collector (15 % of clean_html).
        walk = _walked
    return out


# Control characters that ``str.split`` takes for white space and ``_SPACE`` does not.
_SEPARATORS = re.compile("[\x1c-\x1f]")


def _spaced(text: str) -> str:
    """``text`` with each run of white space made one space, stripped (``_SPACE``'s sense).

    ``str.split`` does it three times as fast as a substitution, and agrees with ``_SPACE``
    on every character but the four information separators, which a page may hold.
    """
    if _SEPARATORS.search(text) is None:
        return " ".join(text.split())
    return _SPACE.sub(" ", text).strip()


# What the walk's loop over an element's children ends with (``blocks``).
_LAST: tuple[None] = (None,)
# The length of an element's text, all of it, counted by libxml2 (no string per text node).
_STRING_LENGTH = etree.XPath("string-length(.)")


def _text_chars(element: etree._Element) -> int:
    """Characters of text beneath ``element``, scripts and style sheets left out."""
    scripts = sum(len(inner.text or "") for inner in element.iter("script", "style"))
    return int(_STRING_LENGTH(element)) - scripts


def _walked(element: etree._Element) -> bool:
    """What ``blocks``' walker is rebound to once the walk is over (see there)."""
    raise RuntimeError("the walk is over")
