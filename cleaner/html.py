"""HTML input: choose the main content from structural signals, then clean it like text.

The hot path parses with libxml2 through ``lxml`` (about 46 MB/s here, against 3.9 MB/s for a
BeautifulSoup tree); ``htmlparse`` decodes and bounds the cost of hostile pages, and says when
the tree cannot be trusted (then the page's visible text is cleaned as text). The main
content is the element that holds the most paragraph-like text for the least other text;
inside it, page furniture (share bars, related lists, captions, link lists) goes with a
reason, and the kept blocks then pass through the same rule engine as plain text, so
syndication cruft inside the article body goes too.

Removals from an HTML page point at lines of the HTML source. Their codes (HTM001-HTM005) are
structural decisions of this module, listed in ``STRUCTURE_RULES``; the text rules keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex
from lxml import etree

from .document import Block, Document
from .engine import Cleaner, default_cleaner
from .htmlblocks import (
    HtmlBlock,
    blocks,
    class_words,
    furniture_reason,
    names_comment,
    tag_of,
)
from .htmllist import ItemList, item_lines, item_list
from .htmlparse import decode_html as decode_html  # re-exported: benchmarks use it
from .htmlparse import parse, prepare, visible_text
from .result import CleanResult, Removal
from .rule import Rule
from .textio import InputError

STRUCTURE_RULES: dict[str, tuple[str, str]] = {
    "HTM001": ("outside-main-content", "outside the page's main content"),
    "HTM002": ("page-furniture", "inside page furniture"),
    "HTM003": ("link-list", "mostly link text"),
    "HTM004": ("figure-caption", "a figure caption"),
    "HTM005": ("headline", "the page headline (kept as the title)"),
}


def structure_rules() -> list[Rule]:
    """The structural decisions as rules, so ``clean rules`` and ``clean explain`` show them.

    Their behaviour is this module's code, not a pack's data: they have no examples to run
    (the HTML tests in tests/test_html.py play that part).
    """
    return [
        Rule(code=code, name=name, category="html-structure",
             description=_STRUCTURE_DOCS[code][0], kind="html-structure", params={},
             source=__file__, line=0, why=_STRUCTURE_DOCS[code][1])
        for code, (name, _) in STRUCTURE_RULES.items()
    ]


_STRUCTURE_DOCS = {
    "HTM001": ("A block of an HTML page outside its main content (menus, teasers, footers).",
               "The main content is the element holding the best-scoring paragraphs (parent "
               "and grandparent scores, discounted by link density; paragraphs inside "
               "furniture score a tenth), grown while each step up adds at least as much "
               "paragraph text as other text (from a list, judged past thin wrappers), and "
               "widened to an ancestor when it holds under 30% of the page's prose outside "
               "furniture, or to the element gathering it and the elements set like it (same "
               "tag and classes, less the classes that number them) when those are chunks of "
               "the same text; so too for a wrapper around it holding under 60% of that "
               "prose, below the post's own element, when three or more are set alike."),
    "HTM002": ("A block inside page furniture within the main content (share bar, related box).",
               "A landmark (<nav>, <footer>, <aside>...) or an element whose class/id names "
               "furniture (share, related, newsletter, comment, caption...) and that holds "
               "under half the content's paragraph text; a word other than 'comment' whose "
               "elements hold half the page's paragraph text together is content there. "
               "Comment threads are returned apart in CleanResult.comments."),
    "HTM003": ("A short block of an HTML page that is mostly link text.",
               "A list of links, not prose."),
    "HTM004": ("A figure caption (<figure>, <figcaption>).",
               "A caption describes a picture the text no longer has. A quotation, a table or "
               "a code listing set as a figure is its content, not a caption, and stays."),
    "HTM005": ("The page's <h1> headline inside the content.",
               "Kept as CleanResult.title and printed once, first."),
}

# A block is paragraph-like when it reads as prose: long enough, few links.
PARAGRAPH_MIN_CHARS = 40
PARAGRAPH_MAX_LINK_DENSITY = 0.3
# Inside the main content, a block that is mostly links is a list of links.
LINK_LIST_DENSITY = 0.5
# The main content grows to a parent when the parent adds at most this much other text per
# character of paragraph text.
CLIMB_RATIO = 1.0
# When the best-scoring element is a list, or the step is into a list item, a step up that
# adds no paragraph text and at most this much other text (a slideshow's "1 of 31", an item's
# heading) does not end the climb: the climb looks past it and judges it with the step after.
WRAPPER_MAX_OTHER = 100
# From any element, a step up that adds no paragraph text and at most this much other text (a
# rail beside a chunk of the article) is judged with the step after it, on clean prose alone.
RAIL_MAX_OTHER = 300
# ... and the step after it must then add mostly clean prose: at most this much other text per
# character of it (the next chunks of the article, not a story's sidebar of teasers).
RAIL_CLIMB_RATIO = 0.25
# The main content must hold this share of the page's clean prose (paragraph text outside
# furniture); a smaller choice is a fragment and is widened to the nearest ancestor that does.
WIDEN_SHARE = 0.3
# A paragraph inside furniture (by class/id words or landmark, judged against the whole page)
# scores this fraction of its weight in the main-content choice.
FURNITURE_SCORE = 0.1
# A page whose article text is shorter than this is read as its list of items (a front page,
# a job board, a shop's category) when the list holds LIST_GAIN times as much text, and at
# least LIST_MIN_CHARS (``htmllist``).
LIST_MAX_ARTICLE = 500
LIST_GAIN = 3
LIST_MIN_CHARS = 500
# A <form> is furniture (a comment or search form) only while it holds less prose than this:
# ASP.NET pages wrap the article, and more, in one.
FORM_MAX_PROSE = 400
# Lines one element breaks with <br> count as one paragraph when there are this many of them,
# this long together (a poem, a song).
VERSE_MIN_LINES = 4
VERSE_MIN_CHARS = 5 * PARAGRAPH_MIN_CHARS
# A paragraph text printed this many times on one page is a template label, not prose.
TEMPLATE_REPEATS = 5
# Elements set like the chosen one (same tag and classes) holding this share of its clean
# prose are more chunks of its text when, with it, they hold TWIN_HELD of the clean prose of
# the element that gathers them (``Layout._twins``).
TWIN_SHARE = 0.25
TWIN_HELD = 0.8
# Chunks are looked for from the chosen element up through the wrappers holding less than this
# share of the page's clean prose; a wrapper's chunks must be at least TWINS_ABOVE.
TWIN_REACH = 0.6
TWINS_ABOVE = 3
# Pages with less clean prose than this are left as chosen: too little to call a fragment
# (a short blog post of two paragraphs still counts).
WIDEN_MIN_CHARS = 150

# A copyright line reads like a sentence but is the page's footer, wherever it sits.
_COPYRIGHT = regex.compile(r"(?i)\s*(?:©|\(c\)\s*\d|copyright\b)")
# A consent dialog's words never name how a page sets its prose (``Layout._common_reasons``):
# a cookie notice's legal text can out-weigh a short article, but it is never the article.
_CONSENT_REASONS = frozenset(
    f"class/id {word!r}" for word in ("cookie", "cookies", "consent", "gdpr", "privacy")
)
# An element's text, all of it, as one string (what ``lxml.html``'s ``text_content`` gives).
_STRING = etree.XPath("string()")
# Class/id words that name one whole post (``_is_post``).
_POST_WORDS = frozenset({"post", "entry", "hentry"})
# A class token that numbers its element among others of its kind ("et_pb_row_2").
_NUMBERED = regex.compile(r"[-_]\d+$")
_TITLE_SUFFIX = regex.compile(r"\s+[|\-–—:·•]\s+[^|\-–—:·•]{2,60}$")


def parse_html(html: str | bytes) -> etree._Element | None:
    """The lxml tree of a page, or None when there is no markup to speak of."""
    return parse(prepare(html))[0]


def _meta(root: etree._Element, *names: str) -> str | None:
    """The first non-empty content of a <meta> named by one of ``names``, in that order.

    One pass over the page's <meta> elements: an XPath query per name and attribute cost
    0.2 s on a 900 KB page (18 scans of the whole tree).
    """
    wanted = set(names)
    first: dict[tuple[str, str], str] = {}
    for element in root.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            value = element.get(attr)
            if value in wanted:
                first.setdefault((attr, value), content)
    for name in names:
        for attr in ("property", "name", "itemprop"):
            if (attr, name) in first:
                return first[(attr, name)]
    return None


def find_title(root: etree._Element, blocks_: Sequence[HtmlBlock]) -> str | None:
    """og:title, else the first <h1>, else <title>; a " | Site" suffix is dropped."""
    title = _meta(root, "og:title", "twitter:title")
    if not title:
        heading = next((b.text for b in blocks_ if b.tag == "h1"), None)
        if heading:
            return heading
        element = root.find(".//title")
        title = str(_STRING(element)).strip() if element is not None else None
    if not title:
        return None
    title = " ".join(title.split())
    stripped = _TITLE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 10 else title


def find_metadata(root: etree._Element) -> dict[str, str]:
    """Byline and date where the page states them in its metadata."""
    found: dict[str, str] = {}
    author = _meta(root, "author", "article:author", "parsely-author", "sailthru.author",
                   "dc.creator")
    if author and not author.startswith("http"):
        found["byline"] = author
    date = _meta(root, "article:published_time", "datePublished", "date", "pubdate",
                 "parsely-pub-date", "dc.date")
    if not date:
        element = next((e for e in root.iter("time") if e.get("datetime") is not None), None)
        date = element.get("datetime") if element is not None else None
    if date:
        found["date"] = date.strip()
    return found


def _paragraph_chars(block: HtmlBlock) -> int:
    if (
        not block.teaser
        and not block.in_figure
        and not block.in_landmark
        and not block.heading
        and len(block.text) >= PARAGRAPH_MIN_CHARS
        and block.link_density <= PARAGRAPH_MAX_LINK_DENSITY
        and not _COPYRIGHT.match(block.text)
    ):
        return len(block.text)
    return 0


def _repeated(found: Sequence[HtmlBlock]) -> set[str]:
    """Paragraph-like texts the page repeats verbatim ``TEMPLATE_REPEATS`` times or more.

    A sentence printed under every photo ("Mouseover photo to load notes or add comment") or
    every teaser is the page's template, not its prose: 86 copies of one 44-character label
    out-weighed a photo post's own paragraphs. An article does not repeat its paragraphs.
    """
    seen: dict[str, int] = {}
    for block in found:
        if _paragraph_chars(block):
            seen[block.text] = seen.get(block.text, 0) + 1
    return {text for text, n in seen.items() if n >= TEMPLATE_REPEATS}


def _weight(text: str, chars: int) -> float:
    """A paragraph's weight in the main-content choice.

    One, plus its clauses, plus its length (capped): long, many-claused text is prose.
    """
    return 1 + text.count(",") + min(chars / 100, 3)


def _is_line(block: HtmlBlock, repeated: set[str]) -> bool:
    return (
        not block.teaser
        and not block.in_figure
        and not block.in_landmark
        and not block.heading
        and block.link_density <= PARAGRAPH_MAX_LINK_DENSITY
        and block.text not in repeated
    )


def _verses(
    found: Sequence[HtmlBlock], sizes: list[int], weights: list[float], repeated: set[str]
) -> None:
    """Count runs of short lines that one element breaks with ``<br>`` as one paragraph.

    A poem, a song, an address-style letter: each line is too short to read as prose, so the
    post out of which they are made scored nothing and a footer's one long sentence won. A run
    of ``VERSE_MIN_LINES`` or more lines under the same element, together at least
    ``VERSE_MIN_CHARS`` long, counts as prose; its weight is that of one paragraph, given to
    its first line. Updates ``sizes`` and ``weights`` in place.
    """
    i, n = 0, len(found)
    while i < n:
        if sizes[i] or not _is_line(found[i], repeated):
            i += 1
            continue
        holder = found[i].path[-1]
        j = i
        while (j < n and not sizes[j] and found[j].path[-1] is holder
               and _is_line(found[j], repeated)):
            j += 1
        run = found[i:j]
        chars = sum(len(b.text) for b in run)
        if j - i >= VERSE_MIN_LINES and chars >= VERSE_MIN_CHARS:
            for k in range(i, j):
                sizes[k] = len(found[k].text)
            weights[i] = _weight(" ".join(b.text for b in run), chars)
        i = max(j, i + 1)


class Layout:
    """What the page's elements hold: the facts the main-content choice is made from.

    Per element: paragraph text, all text and link text of the blocks beneath it, and a score
    of the paragraphs it holds directly (the element that *holds* the paragraphs, not a far
    ancestor that also holds the teasers, menus and footers of the page).
    """

    def __init__(self, found: Sequence[HtmlBlock]) -> None:
        self.score: dict[etree._Element, float] = {}
        # Keyed by (element, container): the same element may be judged for two containers.
        self._reasons: dict[tuple[etree._Element, etree._Element], str | None] = {}
        self.clean: dict[etree._Element, int] = {}
        self.root: etree._Element | None = found[0].path[0] if found else None
        repeated = _repeated(found)
        sizes = [_paragraph_chars(b) if b.text not in repeated else 0 for b in found]
        weights = [_weight(b.text, g) if g else 0.0 for b, g in zip(found, sizes, strict=True)]
        _verses(found, sizes, weights, repeated)
        prose: list[tuple[HtmlBlock, int, float]] = []
        # Each block's counts go to the element holding it, then each element's to its
        # parent, deepest first: a pass over the elements, where adding every block to each
        # element of its path cost the depth of the page per block.
        parent: dict[etree._Element, etree._Element | None] = {}
        total: dict[etree._Element, int] = {}
        links: dict[etree._Element, int] = {}
        listed: dict[etree._Element, int] = {}
        good: dict[etree._Element, int] = {}
        for block, g, weight in zip(found, sizes, weights, strict=True):
            path = block.path
            holder = path[-1]
            if holder not in parent:  # its ancestors not yet met (a path is never empty)
                known = len(path) - 1
                while known >= 0 and path[known] not in parent:
                    known -= 1
                for depth in range(known + 1, len(path)):
                    parent[path[depth]] = path[depth - 1] if depth else None
            size = len(block.text)
            total[holder] = total.get(holder, 0) + size
            links[holder] = links.get(holder, 0) + block.link_chars
            if (not g and block.tag == "li" and not block.link_chars
                    and not block.in_landmark and not block.in_figure):
                listed[holder] = listed.get(holder, 0) + size
            if g:
                good[holder] = good.get(holder, 0) + g
                prose.append((block, g, weight))
        # ``parent`` lists every element after its parent: children are summed first.
        for counts in (total, links, listed, good):
            for element, above in reversed(parent.items()):
                held = counts.get(element)
                if held is not None and above is not None:
                    counts[above] = counts.get(above, 0) + held
        self.total: dict[etree._Element, int] = total
        self.links: dict[etree._Element, int] = links
        # Text of list items without links: a list the text gives (winners, steps), which the
        # climb counts as neither prose nor page furniture.
        self.listed: dict[etree._Element, int] = listed
        self.good: dict[etree._Element, int] = good
        self._common = self._common_reasons(prose)
        self._count_clean(prose)

    def _common_reasons(self, prose: Sequence[tuple[HtmlBlock, int, float]]) -> frozenset[str]:
        """Class/id furniture words that the page's own prose is built of.

        A photo post whose every paragraph is the "caption" of its picture, a list of
        "teaser" items that is the page: each element holds a small share, so each alone
        looks like furniture, but together they hold at least half of the page's paragraph
        text, and then the word names how this page sets its text, not furniture. Comment
        words never qualify: a long thread under a short post is still not the post.
        """
        page = self.good.get(self.root, 0) if self.root is not None else 0
        held: dict[str, int] = {}
        reasons: dict[etree._Element, str | None] = {}
        for block, g, _ in prose:
            counted: set[str] = set()
            for element in block.path:
                if element in reasons:
                    reason = reasons[element]
                else:
                    reason = reasons[element] = furniture_reason(element, tag_of(element))
                if reason:
                    if (reason.startswith("class/id") and not names_comment(element)
                            and reason not in counted and reason not in _CONSENT_REASONS):
                        counted.add(reason)
                        held[reason] = held.get(reason, 0) + g
                    # An element holding half the page's paragraph text is no furniture
                    # (``_furniture_within``): the words of the elements inside it count too.
                    # A page wrapper named "headline" hid the "paywall" class of every
                    # paragraph of a magazine's article, which then scored a tenth.
                    if self.good.get(element, 0) * 2 < page:
                        break
        return frozenset(r for r, n in held.items() if page and n * 2 >= page)

    def _count_clean(self, prose: Sequence[tuple[HtmlBlock, int, float]]) -> None:
        """Paragraph text per element that no furniture element encloses: what a reader reads.

        Furniture here is judged against the whole page (an element holding half the page's
        paragraph text is never furniture, whatever its class says), so a ``<body
        class="has-sidebar">`` does not hide the page. Comment elements are the exception: one
        whose class/id names a comment is furniture here whatever share it holds, short of
        all of the page's paragraph text (then it is the page's wrapper: CleanEval wraps pages
        in an element whose id is the URL, ".../comments/..."). A "latest comments" widget or
        a thread holds most of the prose of a page with a short post, and it won the choice.
        """
        page = self.good.get(self.root, 0) if self.root is not None else 0
        marks: dict[etree._Element, bool] = {}
        for block, g, base in prose:
            for element in block.path:
                marked = marks.get(element)
                if marked is None:
                    marked = marks[element] = (
                        self._furniture_within(element, page) is not None
                        or (names_comment(element) and self.good.get(element, 0) < page)
                    )
                if marked:
                    break
            else:
                marked = False
                for element in block.path:
                    self.clean[element] = self.clean.get(element, 0) + g
            # A paragraph's weight (``_weight``) goes whole to the element holding it and half
            # to the one above that; a fraction of it inside furniture, so a comment thread
            # with more commas than the article does not win (it still can on a page that is
            # all comments).
            weight = base * (FURNITURE_SCORE if marked else 1.0)
            for share, element in zip((1.0, 0.5), block.path[-2:-4:-1], strict=False):
                self.score[element] = self.score.get(element, 0.0) + weight * share

    def widen(self, chosen: etree._Element) -> tuple[etree._Element, str | None]:
        """The chosen element, or its nearest ancestor holding a fair share of the page's prose.

        The paragraph scores find where paragraphs cluster; on a page whose article is split
        into table rows, sibling ``<div>``s or ``<br>``-separated cells, or whose best cluster is
        a comment thread, that cluster is a fragment of what a reader would call the text.
        Widening is judged on clean prose (outside furniture) so that comment and related
        boxes do not count as article text that the choice missed. Returns a note saying what
        was done, for ``CleanResult.warnings``, or None when the choice stands.
        """
        page = self.clean.get(self.root, 0) if self.root is not None else 0
        # The chunks may be the chosen element's or those of a wrapper around it that still
        # holds a minor share of the page's prose (a section's body and its heading in a
        # section set like the article's other sections), up to the article's own element:
        # past it, what is set like it are other posts (teasers, a featured-posts rail).
        # Two wrappers alike above the chosen element are the text's and a rail's, a tab's or
        # a copy's: there TWINS_ABOVE are asked for.
        for chunk in self._levels(chosen, page):
            twins = self._twins(chunk)
            if twins is not None and (chunk is chosen or twins[1] >= TWINS_ABOVE):
                break
        else:
            twins = None
        if twins is not None:
            holder, count = twins
            widened, note = self.widen(holder)
            which = (f"the chosen <{tag_of(chosen)}>" if chunk is chosen
                     else f"the <{tag_of(chunk)}> around the chosen <{tag_of(chosen)}>")
            return widened, note or (
                f"html-main-content-widened: {which} is one of {count} chunks of prose the "
                f"page sets alike; widened to <{tag_of(holder)}> "
                f"({self.clean.get(holder, 0) / page:.0%} of its prose)")
        held = self.clean.get(chosen, 0)
        if page < WIDEN_MIN_CHARS or held >= WIDEN_SHARE * page:
            return chosen, None
        current = chosen
        while self.clean.get(current, 0) < WIDEN_SHARE * page:
            parent = current.getparent()
            if parent is None:
                break
            current = parent
        return current, (
            f"html-main-content-widened: the chosen <{tag_of(chosen)}> held {held / page:.0%} "
            f"of the page's {page} characters of prose; widened to <{tag_of(current)}> "
            f"({self.clean.get(current, 0) / page:.0%})"
        )

    def _levels(self, chosen: etree._Element, page: int) -> Iterator[etree._Element]:
        """The chosen element, then the wrappers above it whose chunks ``widen`` looks for.

        Those holding under ``TWIN_REACH`` of the page's clean prose, up to and not past the
        post's own element (``_is_post``).
        """
        yield chosen
        if _is_post(chosen):
            return
        for element in chosen.iterancestors():
            if self.clean.get(element, 0) >= TWIN_REACH * page or _is_post(element):
                return
            yield element

    def _twins(self, chosen: etree._Element) -> tuple[etree._Element, int] | None:
        """The element gathering ``chosen`` and the elements set like it, if they are chunks.

        A magazine prints its article in chunks, each a grid row of its own with a rail or a
        picture beside it: the climb stops at the first chunk, whose row adds a rail's text.
        The chunks are elements of the same tag and classes as the chosen one, each holding
        clean prose of its own (``TWIN_SHARE`` of the chosen one's); together with it they
        must hold ``TWIN_HELD`` of the clean prose of the element that gathers them, and
        what else it holds (the rails) must weigh less than their prose, so a list of teaser
        cards beside an article does not pull the page in. The element that gathers them is
        then judged as a choice is (``widen``): a fragment of the page is still widened.
        """
        classes = _kind_of(chosen.get("class"))
        held = self.clean.get(chosen, 0)
        if not classes or held < WIDEN_MIN_CHARS:
            return None
        tag = chosen.tag
        least = TWIN_SHARE * held
        alike = {e for e, n in self.clean.items()
                 if n >= least and e.tag == tag and _kind_of(e.get("class")) == classes}
        # The chosen one's ancestors, nearest first: where each twin's line meets its line.
        above = list(chosen.iterancestors())
        depth = {e: n for n, e in enumerate(above)}
        size = self.total.get(chosen, 0)
        twins: list[etree._Element] = []
        meet = -1
        for element in alike:
            # Not an element inside another of them or inside the chosen one (a nested
            # wrapper of the same name), nor one holding it, nor a copy of it (a page that
            # prints its article twice, for two widths). One walk up each: a page of a
            # thousand cards set alike costs a thousand walks, not a million comparisons.
            if element is chosen or element in depth:
                continue
            parent = element.getparent()
            while parent is not None and parent not in alike and parent not in depth:
                parent = parent.getparent()
            if parent is None or parent in alike:
                continue
            if self.total.get(element, 0) == size and _STRING(element) == _STRING(chosen):
                continue
            twins.append(element)
            meet = max(meet, depth[parent])
        if not twins:
            return None
        holder = above[meet]
        gathered = held + sum(self.clean.get(e, 0) for e in twins)
        chunks = self.total.get(chosen, 0) + sum(self.total.get(e, 0) for e in twins)
        if (gathered < TWIN_HELD * self.clean.get(holder, 0)
                or self.total.get(holder, 0) - chunks > gathered):
            return None  # the chunks are not what the holder holds, or the rest out-weighs them
        return holder, len(twins) + 1

    def main_content(self) -> etree._Element | None:
        """The element holding the best-scoring paragraphs, grown to gather a split article.

        Scores are discounted by the share of link text beneath the element. Class names only
        discount (a paragraph inside furniture scores a tenth), never veto: utility classes
        ("non-ad-column", "theiaStickySidebar") wrap real articles too often, and an element
        holding half the page's paragraph text is never furniture whatever its class says.
        """
        if not self.score:
            return None

        def final(element: etree._Element) -> float:
            total = self.total.get(element, 0)
            density = self.links.get(element, 0) / total if total else 0.0
            return self.score.get(element, 0.0) * (1 - density)

        top = max(self.score, key=final)
        # Climb while each step up adds at least as much paragraph text as other text: an
        # article split across sibling wrappers is gathered, the page around it is not.
        # A list is a part of a page, not an article: a slideshow of captions out-scored the
        # article that holds it two wrappers up, whose "1 of 31" stopped the climb. From a
        # list, and into a list item (an article whose sections are the items of a list, each
        # a heading and its text), steps through thin wrappers are judged with the step after
        # them. (From and into any element it gathered blog pages' other posts and comment
        # threads: L3S-GN1 -0.002.)
        good, total, clean, listed = self.good, self.total, self.clean, self.listed
        current = probe = below = top
        thin = tag_of(top) in ("ul", "ol")
        past_rail = False
        while (probe := probe.getparent()) is not None:
            # Past a rail, a wrapper that adds no text at all is no step of its own: the
            # rail's step is judged with the next one that adds something (a box nested two
            # wrappers deep in the article, "div > section > div", stopped the climb there).
            if past_rail and total.get(probe, 0) == total.get(below, 0):
                below = probe
                continue
            below = probe
            # Past a step that added only a rail, what comes next counts as prose only if it
            # is clean prose (a comment thread or a related box counts as other).
            prose = clean if past_rail else good
            added_good = prose.get(probe, 0) - prose.get(current, 0)
            added_other = (total.get(probe, 0) - prose.get(probe, 0)) - (
                total.get(current, 0) - prose.get(current, 0)
            )
            if not past_rail:
                added_other -= listed.get(probe, 0) - listed.get(current, 0)
            if added_other <= added_good * (RAIL_CLIMB_RATIO if past_rail else CLIMB_RATIO):
                current = probe
                past_rail = False
            elif past_rail or added_good or added_other > RAIL_MAX_OTHER:
                break
            elif not (thin or tag_of(probe) in ("li", "dd")) or added_other > WRAPPER_MAX_OTHER:
                # A wrapper that adds no paragraph text, only a rail beside the text (an ad
                # slot, a "most popular" column): a magazine prints its article in chunks,
                # each in a grid row with such a rail, and the climb stopped at the first
                # chunk. It is judged with the step after it, on clean prose.
                past_rail = True
        return current

    def furniture(self, element: etree._Element, container: etree._Element) -> str | None:
        """Why an element inside the main content is furniture, or None.

        A furniture word or landmark counts only on an element holding less than half of the
        container's paragraph text: a "related" box has a few teasers, an article misnamed
        "sidebar-content" has the article.
        """
        key = (element, container)
        if key not in self._reasons:
            self._reasons[key] = self._furniture_within(element, self.good.get(container, 0))
        return self._reasons[key]

    def _furniture_within(self, element: etree._Element, prose: int) -> str | None:
        """Why ``element`` is furniture in a region holding ``prose`` characters of paragraphs.

        Never when it holds half of them or more, and never a ``<form>`` that wraps text
        (``wraps_text``).
        """
        tag = tag_of(element)
        reason = furniture_reason(element, tag)
        if reason in self._common:
            return None
        if reason and (self.good.get(element, 0) * 2 >= prose or self.wraps_text(element, tag)):
            return None
        return reason

    def wraps_text(self, element: etree._Element, tag: str) -> bool:
        """Whether ``element`` is a ``<form>`` holding ``FORM_MAX_PROSE`` of paragraph text.

        Such a form wraps text, not a search box or a reply form: ASP.NET pages wrap their
        article in one, forum software a topic's posts (for moderation).
        """
        return tag == "form" and self.good.get(element, 0) >= FORM_MAX_PROSE

    def verdict(
        self, block: HtmlBlock, container: etree._Element | None, title: str | None
    ) -> tuple[str, str] | None:
        """The structural code and reason that drop ``block``, or None to keep it."""
        if container is not None:
            if container not in block.path:
                return "HTM001", STRUCTURE_RULES["HTM001"][1]
            for element in block.path[block.path.index(container) + 1 :]:
                reason = self.furniture(element, container)
                if reason:
                    return "HTM002", f"{STRUCTURE_RULES['HTM002'][1]} ({reason})"
        if block.teaser:
            return "HTM002", (f"{STRUCTURE_RULES['HTM002'][1]} (the teaser of a collapsed "
                              "section; its full text follows)")
        if block.in_figure:
            return "HTM004", STRUCTURE_RULES["HTM004"][1]
        if block.tag == "h1" or (title is not None and block.heading and block.text == title):
            return "HTM005", STRUCTURE_RULES["HTM005"][1]
        if len(block.text) < 200 and block.link_density > LINK_LIST_DENSITY:
            return "HTM003", f"{STRUCTURE_RULES['HTM003'][1]} ({block.link_density:.0%})"
        return None


def _is_post(element: etree._Element) -> bool:
    """Whether an element is a whole post: ``<article>``, or classed as one ("hentry post").

    Not "article" or "story" among its class words: a long article is set in sections
    classed "news-article" or "story-section", which are its chunks, not other posts.
    """
    return element.tag == "article" or not class_words(element).isdisjoint(_POST_WORDS)


def _kind_of(classes: str | None) -> frozenset[str]:
    """An element's class tokens less those that number it among elements of its kind.

    Page builders number the rows and sections they set alike ("et_pb_row et_pb_row_2",
    "section section-3"): the numbered token names the one element, the rest what kind of
    element it is. When every token is numbered, the numbers are all there is to compare.
    """
    tokens = frozenset((classes or "").split())
    kind = frozenset(t for t in tokens if _NUMBERED.search(t) is None)
    return kind or tokens


def _is_empty(result: CleanResult, title: str | None) -> bool:
    text = result.text.strip()
    return not text or (title is not None and text == title)


def _rules(lines: Sequence[str], sources: Sequence[int], engine: Cleaner,
           items: frozenset[int] = frozenset()) -> CleanResult:
    """The text rules over a list of kept blocks, one block per paragraph.

    ``items`` are the positions of the lines that were list items (``Document.items``).
    """
    document = Document(
        source="\n\n".join(lines),
        blocks=tuple(
            Block(i, source_line, 1, -1, -1, text, text, i > 0)
            for i, (text, source_line) in enumerate(zip(lines, sources, strict=True))
        ),
        newline="\n",
        bom=False,
        final_newline=False,
        items=items,
    )
    return engine.clean_document(document)


def _select(
    found: Sequence[HtmlBlock], layout: Layout, container: etree._Element | None,
    title: str | None, engine: Cleaner,
) -> tuple[list[Removal], CleanResult, list[HtmlBlock]]:
    """The structural verdicts for ``container``, then the text rules over what they keep.

    Also returns the blocks that lay outside the container or in furniture inside it: the
    reader comments are looked for among them.
    """
    removed: list[Removal] = []
    kept: list[HtmlBlock] = []
    outside: list[HtmlBlock] = []
    for block in found:
        verdict = layout.verdict(block, container, title)
        if verdict is None:
            kept.append(block)
        else:
            code, why = verdict
            removed.append(Removal(code, STRUCTURE_RULES[code][0], block.line, 1, block.text,
                                   why, -1, -1))
            if code in ("HTM001", "HTM002"):
                outside.append(block)
    rows, items = _table_rows(kept)
    result = _with_rules(rows, title, removed, engine, items)
    return removed, result, outside


def _with_rules(
    lines: Sequence[tuple[str, int]], title: str | None, removed: list[Removal],
    engine: Cleaner, items: frozenset[int] = frozenset(),
) -> CleanResult:
    """The text rules over the kept lines (text, source line); their removals join ``removed``.

    The title leads, as in plain text, so the text rules see a repeated headline as an echo.
    ``items`` are the positions among ``lines`` of list items (``Document.items``).
    """
    texts = ([title] if title else []) + [text for text, _ in lines]
    sources = ([0] if title else []) + [line for _, line in lines]
    shift = 1 if title else 0
    result = _rules(texts, sources, engine, frozenset(at + shift for at in items))
    removed.extend(result.removed)
    removed.sort(key=lambda r: r.line)
    return result


def _table_rows(kept: Sequence[HtmlBlock]) -> tuple[list[tuple[str, int]], frozenset[int]]:
    """The kept blocks' texts and source lines, a table row's cells joined into one line.

    Also the positions of the lines that are list items (``<li>`` blocks), which the text
    rules read as the items they are though their text shows no bullet (``Document.items``).

    A data table's cells are blocks of their own ("Lower-case string", "Required"): handed
    to the text rules one a line, a reference table of a few hundred cells read as a run of
    menu labels and went (a documentation page lost 700 of them). A row is one line of the
    table, written as Markdown writes it ("| name | type | rule |"), which the text rules
    know as a table's. Only rows of two or more cells, each one block of text it holds itself
    (a layout table's column of paragraphs, or of lines broken by <br>, stays lines), and not
    mostly link text (a row of links is a menu, which the text rules judge cell by cell).
    """
    out: list[tuple[str, int]] = []
    items: set[int] = set()
    last_item: etree._Element | None = None
    places = [_cell_of(block) for block in kept]
    position = 0
    while position < len(kept):
        end = position + 1
        row = places[position][0]
        if row is not None:
            while end < len(kept) and places[end][0] is row:
                end += 1
        cells = kept[position:end]
        if (len(cells) >= 2 and len({cell for _, cell in places[position:end]}) == len(cells)
                and 2 * sum(b.link_chars for b in cells) <= sum(len(b.text) for b in cells)):
            joined = " | ".join(block.text for block in cells)
            out.append((f"| {joined} |", cells[0].line))
        else:
            for block in cells:
                # An item's text may sit in a paragraph of its own ("<li><p>organic
                # cotton</p></li>", as site builders write lists): the first block of a list
                # item is the item's line, the blocks after it in the same item are not.
                item = _item_of(block)
                if block.tag == "li" or (item is not None and item is not last_item):
                    items.add(len(out))
                last_item = item
                out.append((block.text, block.line))
        position = end
    return out, frozenset(items)


def _item_of(block: HtmlBlock) -> etree._Element | None:
    """The nearest ``<li>`` holding a block, if any."""
    for element in reversed(block.path):
        if element.tag == "li":
            return element
    return None


def _cell_of(
    block: HtmlBlock,
) -> tuple[etree._Element, etree._Element] | tuple[None, None]:
    """The <tr> and the cell of a block that is a table cell's own text, else (None, None)."""
    if block.tag in ("td", "th"):
        path = block.path
        for at in range(len(path) - 1, 0, -1):
            if tag_of(path[at]) in ("td", "th"):
                if tag_of(path[at - 1]) == "tr":
                    return path[at - 1], path[at]
                break
    return None, None


def _select_list(
    found: Sequence[HtmlBlock], listing: ItemList, title: str | None, engine: Cleaner,
) -> tuple[list[Removal], CleanResult, list[HtmlBlock]]:
    """``_select`` for a page read as its list of items: one line an item, the rest out.

    Not led by what the article choice kept (an introduction, a search form's note): on
    WCXB's listing and collection pages that lowered mean page F1 (0.7860 -> 0.7857).
    """
    members = set(listing.items)
    removed: list[Removal] = []
    outside: list[HtmlBlock] = []
    for block in found:
        if block.in_figure:
            removed.append(Removal("HTM004", STRUCTURE_RULES["HTM004"][0], block.line, 1,
                                   block.text, STRUCTURE_RULES["HTM004"][1], -1, -1))
        elif members.isdisjoint(block.path):
            removed.append(Removal("HTM001", STRUCTURE_RULES["HTM001"][0], block.line, 1,
                                   block.text, "outside the page's list of items", -1, -1))
            outside.append(block)
    result = _with_rules(item_lines(found, listing), title, removed, engine)
    return removed, result, outside


# Comment blocks under these are widgets ("recent comments" in a sidebar), not the thread;
# under these below the comment element, the reply form.
_NOT_THREAD_ABOVE = frozenset({"nav", "aside", "menu", "dialog"})
_NOT_THREAD_BELOW = frozenset({"form", "footer", "nav", "aside", "menu", "dialog"})


def _thread(outside: Sequence[HtmlBlock], layout: Layout) -> list[HtmlBlock]:
    """The blocks of the page's reader comments (a comment thread), in page order.

    A block belongs to it when an element above it has a class/id naming a comment
    ("comments", "commentlist", "disqus_thread") and it is not a sidebar widget, the reply
    form or a list of links. A ``<form>`` below the comment element that wraps text
    (``Layout.wraps_text``) is no reply form: forum software wraps its posts in one, and the
    thread was lost whole.
    """
    named: dict[etree._Element, bool] = {}
    # Blocks under the same innermost element share their path, and so the answer.
    judged: dict[etree._Element, bool] = {}
    found: list[HtmlBlock] = []
    for block in outside:
        if block.in_figure or block.teaser or (
            len(block.text) < 200 and block.link_density > LINK_LIST_DENSITY
        ):
            continue
        if block.path[-1] in judged:
            if judged[block.path[-1]]:
                found.append(block)
            continue
        judged[block.path[-1]] = False
        at = -1
        for i, element in enumerate(block.path):
            hit = named.get(element)
            if hit is None:
                hit = named[element] = names_comment(element)
            if hit:
                at = i
                break
        if at < 0:
            continue
        if any(tag_of(e) in _NOT_THREAD_ABOVE for e in block.path[:at]) or any(
            (tag := tag_of(e)) in _NOT_THREAD_BELOW and not layout.wraps_text(e, tag)
            for e in block.path[at:]
        ):
            continue
        judged[block.path[-1]] = True
        found.append(block)
    return found


def _comments(thread: Sequence[HtmlBlock], engine: Cleaner) -> str:
    """The page's reader comments, cleaned by the text rules, as one text.

    A comment thread is not the article (the gold of L3S-GN1, Dragnet and Zyte keeps it out
    of the body) but it is text a reader wrote, which CleanEval's gold and trafilatura's
    default output keep: so it is returned apart, never mixed into ``text``.
    """
    if not thread:
        return ""
    return _rules([b.text for b in thread], [b.line for b in thread], engine).text


def _as_text(text: str, cleaner: Cleaner | None, note: str) -> CleanResult:
    """Clean the page's visible text as plain text, when its tree cannot be trusted.

    Used when the parser cut the page short or found no blocks in it: a result that is empty
    while the page has text would look like a page without an article. The removals point at
    lines of that visible text, not of the HTML source, and the note says so.
    """
    visible = visible_text(text)
    if not visible:
        return CleanResult(text="", removed=(), title=None, metadata={})
    result = (cleaner or default_cleaner()).clean(visible)
    return CleanResult(
        text=result.text,
        removed=result.removed,
        title=result.title,
        metadata=result.metadata,
        warnings=(f"{note}; cleaned as text (removal lines count lines of that text)",
                  *result.warnings),
    )


def clean_html(
    html: str | bytes, url: str | None = None, *, cleaner: Cleaner | None = None,
    include_comments: bool = True,
) -> CleanResult:
    """Extract and clean the article of an HTML page.

    Returns the same ``CleanResult`` as ``clean``: the title as the first line, then the kept
    paragraphs; ``removed`` explains every visible block that did not make it, by structural
    code (HTM...) or text rule code, with the HTML source line. Empty or non-HTML input gives
    an empty result, never an exception; ``url`` is accepted for callers that have it and is
    not used to choose anything (no per-site logic).

    Reader comments never enter ``text``: with ``include_comments`` (the default) the page's
    comment thread, cleaned by the same text rules, is returned apart in
    ``CleanResult.comments``; without it, it is not looked for.
    """
    if not isinstance(html, str | bytes):
        raise InputError(f"clean_html takes str or bytes, not {type(html).__name__}")
    text = prepare(html)
    root, cut = parse(text)
    if cut:
        return _as_text(text, cleaner, "html-fallback-text: the page nests deeper than the "
                        "parser's limit, which drops what lies below it")
    found = blocks(root) if root is not None else []
    if not found:
        return _as_text(text, cleaner, "html-fallback-text: the parsed page has no visible "
                        "blocks")
    title = find_title(root, found)
    metadata = find_metadata(root)
    layout = Layout(found)
    container = layout.main_content()
    notes: list[str] = []
    if container is not None:
        container, note = layout.widen(container)
        if note:
            notes.append(note)
    engine = cleaner or default_cleaner()
    removed, result, outside = _select(found, layout, container, title, engine)
    if _is_empty(result, title) and container is not None and container is not layout.root:
        # The chosen region kept nothing (a home page of headlines, a post whose only
        # paragraph was a credit line): judge every block of the page instead.
        page_removed, page_result, page_outside = _select(found, layout, layout.root, title,
                                                          engine)
        if not _is_empty(page_result, title):
            notes.append(f"html-fallback-page: the chosen <{tag_of(container)}> kept no text; "
                         "the whole page was judged block by block")
            removed, result, outside = page_removed, page_result, page_outside
    if len(result.body) < LIST_MAX_ARTICLE:
        listing = item_list(found)
        if listing is not None and listing.chars >= max(LIST_GAIN * len(result.body),
                                                        LIST_MIN_CHARS):
            list_removed, list_result, list_outside = _select_list(found, listing, title, engine)
            if len(list_result.body) >= LIST_GAIN * len(result.body):
                notes.append(
                    f"html-list-page: the article found held {len(result.body)} characters; "
                    f"the page's list of {len(listing.items)} <{tag_of(listing.items[0])}> "
                    "items was returned instead")
                removed, result, outside = list_removed, list_result, list_outside
    if _is_empty(result, title):
        notes.append(f"html-empty-result: none of the page's {len(found)} text blocks was kept")
    return CleanResult(
        text=result.text,
        removed=tuple(removed),
        title=title,
        metadata={**metadata, **result.metadata},
        warnings=(*notes, *result.warnings),
        comments=_comments(_thread(outside, layout), engine) if include_comments else "",
    )
