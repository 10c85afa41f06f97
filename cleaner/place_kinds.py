"""Kinds that judge a line by its place: at the text's edge, beyond its main text, in a thread.

A bare name is a signature under the last paragraph and a list item anywhere else; a run of
headlines is a sidebar beyond a page's main text and a list inside it; a paragraph between
two "Reply" buttons is a reader's comment: the line alone cannot tell, its place can. Each
looks at a document at most once a pass, with string tests only.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice, pairwise
from operator import attrgetter

import regex

from .document import Block
from .document_kinds import triggered_blocks
from .matcher import Claim, Context, DocumentMatcher, Hit, all_claimed, longest_line
from .ownlines import OwnItems, code_like
from .rule import Rule

_INDEX = attrgetter("index")
_TEXT = attrgetter("text")

# Scripts written without spaces between words (Han, kana, Hangul, full-width forms).
_CJK = regex.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
# A list item's marker: a bullet and a space, or a number and a stop.
_ITEM = regex.compile(r"\s*(?:[-*+•]\s|\d{1,3}[.)]\s)")
# A horizontal rule drawn in text.
_RULE = regex.compile(r"\s*[-_=*~]{3,}\s*$")
# Claims inside a box of teasers that do not end it: its thumbnails and its markup.
_OF_A_BOX = frozenset({"caption", "markup"})
# A most-read list's rank ("1", "2.", "#3", "03") printed on a line of its own above each
# headline: part of the box when a headline follows it.
_RANK = regex.compile(r"\s*#?\d{1,2}[.)]?\s*$")


class EdgeLineKind(DocumentMatcher):
    """``kind = "edge-line"``: the last line left standing, when it has the rule's shape.

    "Vũ Hoàng" or "Kyle Kucharski" alone under an article's last paragraph is its signature;
    the same line inside the text is a list item or a subheading. Only the last standing line
    is judged. ``after`` asks the line before it to be at least that long, so the last item
    of a closing list of short lines is not taken for a signature (a run of names closing a
    text is a list); nor is the last name of a list that a converter broke at its links (the
    line before opens or ends with a comma). It is judged again on each pass, as cleaning the
    cleaned text would judge it: a line that other rules' removals leave last, under a long
    line, is a signature too. An HTML list item (``<li>``) is never taken.
    """

    kind = "edge-line"
    keys = frozenset({"pattern", "max_length", "after", "apart", "reason"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.pattern = p.get_pattern("pattern")
        self.max_length = p.get_int("max_length", 40)
        self.after = p.get_int("after", 0)
        # The line stands apart from the one before it (a blank line or a removed line
        # between them): a row of "-" right under a line underlines it as a heading.
        self.apart = p.get_bool("apart", False)
        self.reason = p.get_str("reason", rule.name.replace("-", " "))

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed = ctx.blocks, ctx.claimed
        if all_claimed(ctx):  # no line stands to be the last (and no walk back over them)
            return
        position = _next_standing(blocks, claimed, len(blocks), -1)
        if position < 2:  # a text of one or two lines has no signature to tell apart
            return
        block = blocks[position]
        # An item of an HTML list is the list's last, whatever its words (a feed's show notes).
        if block.text.lstrip()[:3].lower() == "<li":
            return
        text = ctx.text_of(block).strip()
        if not text or len(text) > self.max_length:
            return
        previous = _next_standing(blocks, claimed, position, -1)
        if previous < 0:
            return
        before = ctx.text_of(blocks[previous]).strip()
        # A name that ends a list broken at its links (", Jane Doe, Sam Lee," then "[Ann
        # Poe](...)") is the list's last item, not a signature.
        if len(before) < self.after or before.startswith(",") or before.endswith(","):
            return
        if self.apart and block.line - blocks[previous].line <= 1:
            return
        if self.search(self.pattern, text, block) is None:
            return
        yield block, Hit(self.reason)


# How a Markdown or plain-text list item opens.
_ITEM_MARKS = frozenset({"- ", "* ", "• ", "+ "})


# The opening of a dated list entry ("1996: ...", "2019 – ..."): see ``TeaserRunKind._headline`` and
# ``TailAfterKind._short``.
_YEAR_ENTRY = regex.compile(r"(?:1[89]|20)\d\d\s*[:–—-]\s")


class TeaserRunKind(DocumentMatcher):
    """``kind = "teaser-run"``: runs of headline-shaped lines outside a page's main text.

    A whole page scraped as text keeps its sidebars and footers of other stories' headlines:
    lines of a few words that open with a capital and end without a stop. Inside an article
    the same shape is a list or a subheading, so only runs of ``min_run`` or more count,
    only beyond the first and last paragraphs (``paragraph_chars`` or more, ending a
    sentence), and only where something removed (a menu, a "Most read" header) stands
    between the run and the text: a list that follows the article's last paragraph directly
    is the article's. A text with fewer than ``min_claimed`` lines removed is no page.
    """

    kind = "teaser-run"
    keys = frozenset({"min_run", "min_length", "max_length", "min_words", "paragraph_chars",
                      "min_claimed", "apart_by", "list_items", "title_share", "adjacent"})
    _STOPS = frozenset('.!?"”’:;…)»。！？')
    # How a line opens that is markup, not a headline (the text is read without its "#"s
    # and ">"s already).
    _OPENERS = frozenset("[!*|-")

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_run = p.get_int("min_run", 3)
        self.min_length = p.get_int("min_length", 25)
        self.max_length = p.get_int("max_length", 160)
        self.min_words = p.get_int("min_words", 4)
        self.paragraph_chars = p.get_int("paragraph_chars", 150)
        self.min_claimed = p.get_int("min_claimed", 3)
        # The categories of removed lines that set a run apart from the text: page furniture
        # (a menu, a "Related" header), not the article's own (its date or tags, which stand
        # between its headline and its first paragraph).
        self.apart_by = frozenset(p.get_strs("apart_by", ("navigation", "related")))
        # A list of other stories' headlines printed as list items ("- 15 Amazing Images of
        # Stars") right under the last paragraph: the items are read without their marker,
        # must be in title case (``title_share`` of their longer words capitalised), and
        # need nothing set apart (``adjacent``: the run may follow the text directly).
        self.list_items = p.get_bool("list_items", False)
        self.title_share = p.get_float("title_share", 0.0)
        self.adjacent = p.get_bool("adjacent", False)

    def _headline(self, text: str) -> bool:
        """A headline's shape, read from what a reader sees (a Markdown heading's text)."""
        return (
            bool(text)
            and self.min_length <= len(text) <= self.max_length
            and text[-1] not in self._STOPS
            and text[0] not in self._OPENERS
            # A headline in title case may open with a number ("15 Amazing Images of Stars").
            and (text[0].isupper() or (self.title_share > 0 and text[0].isdigit()))
            and text.count(" ") + 1 >= self.min_words
            # A dated entry of a list the text gives ("2019: Name – Team"), not a headline.
            and _YEAR_ENTRY.match(text) is None
        )

    def _title_case(self, text: str) -> bool:
        """Whether ``title_share`` of the words of four letters or more open with a capital."""
        longer = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
        return bool(longer) and sum(w[0].isupper() for w in longer) >= self.title_share * len(
            longer)

    def _said(self, block: Block, ctx: Context) -> str | None:
        """What the run test reads of a line: its text, or a list item's text (None if not one)."""
        said = ctx.text_of(block).lstrip("#> ")
        if self.list_items:
            if said[:2] not in _ITEM_MARKS:
                return None
            said = said[2:].lstrip()
        if self.title_share and not self._title_case(said):
            return None
        return said

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed = ctx.blocks, ctx.claimed
        if len(claimed) < self.min_claimed or self.rule.code in ctx.memo:
            return
        # Judged once, on the first pass that has enough removed around the text: the menus
        # and headers that set a run apart are the first pass's claims.
        ctx.memo[self.rule.code] = True
        bounds = _paragraph_bounds(ctx, self.paragraph_chars, self._STOPS)
        if bounds is None:
            return
        standing, first, last = bounds
        # Positions rise: the standing lines before the first and after the last paragraph.
        before = standing[:bisect_left(standing, first)]
        after = standing[bisect_right(standing, last):]
        sides = ((after, last),) if self.adjacent else ((before, first), (after, last))
        for side, toward in sides:
            run: list[int] = []  # headlines, and the pictures between them
            pictures: list[int] = []  # lines with nothing to read (an image), pending
            headlines = 0
            for p in [*side, None]:
                if p is not None:
                    said = self._said(blocks[p], ctx)
                    if said is not None and self._headline(said):
                        run.extend(pictures)
                        run.append(p)
                        pictures, headlines = [], headlines + 1
                        continue
                    if run and said is not None and _picture(blocks[p].text, said):
                        pictures.append(p)
                        continue
                if (
                    headlines >= self.min_run
                    and not self._introduced(run[0], blocks)
                    and (self.adjacent or self._set_apart(run, toward, claimed, blocks))
                ):
                    hit = Hit(f"one of {headlines} headline-like lines in a row outside the "
                              f"main text (lines {blocks[first].line}-{blocks[last].line})")
                    for member in run:
                        yield blocks[member], hit
                run, pictures, headlines = [], [], 0

    @staticmethod
    def _introduced(start: int, blocks: Sequence[Block]) -> bool:
        """Whether the line before the run announces it ("Dare to Play 3:"): a list."""
        return start > 0 and blocks[start - 1].text.endswith((":", "："))

    def _set_apart(
        self, run: list[int], toward: int, claimed: Mapping[int, Claim], blocks: Sequence[Block]
    ) -> bool:
        """Whether page furniture removed by another rule stands between run and main text."""
        low, high = (run[-1] + 1, toward) if run[-1] < toward else (toward + 1, run[0])
        for p in range(low, high):
            claim = claimed.get(blocks[p].index)
            if claim is not None and claim.rule.category in self.apart_by:
                return True
        return False


class ThreadKind(DocumentMatcher):
    """``kind = "thread"``: the lines between the recurring controls of a comment thread.

    A page scraped whole keeps its readers' comments, each framed by what the comment rules
    remove ("Reply", "Report", a counter): the text between two such controls, at most
    ``max_gap`` lines apart, is a comment. A page needs ``min_marks`` controls before it
    counts as a thread, so one "Reply" near an article's end takes nothing.

    With a ``pattern``, the lines it matches (at most ``max_length`` characters) are marks
    too, and go with the comments: the header over each comment ("Jane Doe says", as an
    extractor prints it without its colon), which alone is too plain to judge. A header
    comes before its comment, so the last one's runs on to the end of the text when that
    is at most ``after_last`` lines below it.
    """

    kind = "thread"
    keys = frozenset({"marks", "max_gap", "min_marks", "pattern", "triggers", "max_length",
                      "after_last"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.marks = frozenset(p.get_strs("marks", ("CMT001",)))
        self.max_gap = p.get_int("max_gap", 8)
        self.min_marks = p.get_int("min_marks", 3)
        self.pattern = p.get_pattern("pattern") if "pattern" in p.rule.params else None
        self.triggers = p.get_triggers() if "triggers" in p.rule.params else ()
        self.max_length = p.get_int("max_length", 80)
        self.after_last = p.get_int("after_last", 0)

    def _headers(self, ctx: Context) -> frozenset[int]:
        """``Block.index`` of the lines ``pattern`` matches, read once (first pass)."""
        found: frozenset[int] | None = ctx.memo.get(self.rule.code)
        if found is None:
            pattern, longest = self.pattern, self.max_length
            found = ctx.memo[self.rule.code] = frozenset(
                b.index for b in triggered_blocks(self, ctx)
                if pattern is not None and len(text := ctx.text_of(b)) <= longest
                and self.search(pattern, text, b) is not None)
        return found

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed, marks = ctx.blocks, ctx.claimed, self.marks
        headers = self._headers(ctx) if self.pattern is not None else frozenset()
        claims = bool(marks) and _may_claim(ctx, marks)
        if len(headers) < self.min_marks and not claims:
            return
        marked = _claimed_positions(ctx, marks) if claims else []
        if headers:
            standing = [p for p, b in enumerate(blocks)
                        if b.index in headers and b.index not in claimed]
            if len(standing) >= self.min_marks:
                header = Hit(f"a comment's header, one of {len(standing)}")
                yield from ((blocks[p], header) for p in standing)
                marked = sorted({*marked, *standing})
        if len(marked) < self.min_marks:
            return
        for low, high in pairwise(marked):
            if high - low > self.max_gap:
                continue
            hit = Hit(f"between two comment controls (lines {blocks[low].line} and "
                      f"{blocks[high].line}) of a thread of {len(marked)}")
            for position in range(low + 1, high):
                if blocks[position].index not in claimed:
                    yield blocks[position], hit
        last = marked[-1]
        if headers and 0 < len(blocks) - last - 1 <= self.after_last:
            hit = Hit(f"the comment under the last header of a thread of {len(marked)} "
                      f"(line {blocks[last].line})")
            for position in range(last + 1, len(blocks)):
                if blocks[position].index not in claimed:
                    yield blocks[position], hit


class GapKind(DocumentMatcher):
    """``kind = "gap"``: a fragment left standing between two lines of removed page furniture.

    Share bars, follow-us boxes and link lists come apart in scraping: "Follow us on" is
    removed, then "*and*", "," or "[*here*](...)" stays, and a lone "Email" between two removed
    menus. The fragment alone is too short to judge; between two removals of the ``between``
    categories (furniture, not the article's own captions or bylines) it is part of them. At
    most ``max_gap`` standing lines in a row, each at most ``max_length`` characters, and none
    a sentence (``sentence_words`` words or more ending in a stop): a short paragraph between
    two adverts is the article's.
    """

    kind = "gap"
    keys = frozenset({"between", "max_gap", "max_length", "sentence_words"})
    _STOPS = frozenset('.!?。！？')

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.between = frozenset(p.get_strs("between", ("navigation", "share", "related")))
        self.max_gap = p.get_int("max_gap", 2)
        self.max_length = p.get_int("max_length", 60)
        self.sentence_words = p.get_int("sentence_words", 4)

    def _fragment(self, text: str) -> bool:
        text = text.strip()
        if len(text) > self.max_length:
            return False
        # A sentence ends in a stop, perhaps inside quotes, emphasis or brackets.
        end = text.rstrip("*_\"'”’)]»")
        return not (end and end[-1] in self._STOPS and text.count(" ") + 1 >= self.sentence_words)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed, between = ctx.blocks, ctx.claimed, self.between
        if all_claimed(ctx):  # no fragment stands between removals
            return
        # Most texts have fewer than two furniture removals: the claims tell, not the blocks
        # (and on a page of menus the first two claims already do).
        furniture = 0
        for made in claimed.values():
            if made.rule.category in between:
                furniture += 1
                if furniture == 2:
                    break
        else:
            return
        bound: int | None = None  # position of the last furniture removal seen
        gap: list[int] = []  # standing fragments since it
        # The last claim known to be furniture: the lines of a run share one claim (a menu
        # of thousands of lines), so its category is looked up once, not once a line.
        furnishing: Claim | None = None
        for position, block in enumerate(blocks):
            claim = claimed.get(block.index)
            if claim is None:
                if bound is not None and len(gap) < self.max_gap and self._fragment(block.text):
                    gap.append(position)
                else:
                    bound, gap = None, []
                continue
            if claim is not furnishing:
                if claim.rule.category not in between:
                    bound, gap = None, []
                    continue
                furnishing = claim
            if gap:
                if bound is not None:
                    hit = Hit(f"a fragment between removed lines {blocks[bound].line} and "
                              f"{block.line} ({claimed[blocks[bound].index].rule.code}, "
                              f"{claim.rule.code})")
                    for member in gap:
                        yield blocks[member], hit
                gap = []
            bound = position


class UnderHeaderKind(DocumentMatcher):
    """``kind = "under-header"``: the headline-shaped lines right under a removed header.

    "Related Articles:", "Don't miss", "Xem thêm:" open a list of other stories' headlines;
    the header rules take the header and the list stays, since a headline alone is the same
    line as a subheading. Right under such a header it is not: up to ``max_run`` lines in a
    row that open with a capital (or a digit, or a script without case), end without a stop
    and have ``min_words`` to ``max_words`` words are the list. The first line that is not
    headline-shaped (a paragraph, a line ending in a stop) ends it, so a header removed in
    the middle of an article takes no paragraph with it. Headers shorter than
    ``min_header_chars`` ("More") say too little to count. A most-read list's rank on a line
    of its own ("1", "2.") goes with the headline under it, and only then. A block of fields
    (a contact block) names its ``fields`` pattern, for lines that belong whatever their
    shape ("Phone: ..."), and its ``through`` rules, whose removed lines do not end it;
    ``as_written`` matches the fields against the line with its markup (a link, bold), and
    ``max_words = 0`` lets only field lines count (a credit's bare name under a picture).
    """

    kind = "under-header"
    keys = frozenset({"headers", "max_run", "min_words", "max_words", "max_length",
                      "min_header_chars", "fields", "through", "as_written"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.headers = frozenset(p.get_strs("headers", ("REL001",)))
        self.max_run = p.get_int("max_run", 8)
        self.min_words = p.get_int("min_words", 2)
        self.max_words = p.get_int("max_words", 25)
        self.max_length = p.get_int("max_length", 200)
        self.min_header_chars = p.get_int("min_header_chars", 5)
        # A block of fields (a contact block's "Phone: ...", "Email: ...") under its heading:
        # lines ``fields`` matches belong to it whatever their shape, and lines the
        # ``through`` rules took (an address, a number) do not end it.
        self.fields = p.get_pattern("fields") if "fields" in rule.params else None
        self.through = frozenset(p.get_strs("through", ()))
        # Match ``fields`` against the line as written (its markup included) rather than its
        # text alone: a link or a bold label under a picture is not the bare name a credit
        # is, and a list item holding a link is a box's entry.
        self.as_written = p.get_bool("as_written", False)


    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed, headers = ctx.blocks, ctx.claimed, self.headers
        if not _may_claim(ctx, headers):
            return
        for position in _claimed_positions(ctx, headers):
            block = blocks[position]
            if sum(map(str.isalnum, ctx.text_of(block))) < self.min_header_chars:
                continue
            hit: Hit | None = None
            taken = 0
            rank: Block | None = None  # a rank line waiting for its headline
            fielded = False  # a line of the block's fields was taken
            for follower in blocks[position + 1:]:
                if taken == self.max_run:
                    break
                claim = claimed.get(follower.index)
                right_under = follower is blocks[position + 1]
                if claim is not None:
                    # A converted box prints a linked thumbnail above each headline, and
                    # its header's underline: part of it. A bare picture (the article's
                    # own) or any other removed line ends the box.
                    if (claim.rule.category in _OF_A_BOX and "[![" in follower.text) or (
                        right_under and claim is claimed[block.index]
                    ) or claim.rule.code in self.through:
                        continue
                    break
                if right_under and _RULE.match(follower.text) is not None:  # its underline
                    continue
                said = ctx.text_of(follower)
                if rank is None and _RANK.match(said) is not None:
                    rank = follower
                    continue
                field = self.fields is not None and self.search(
                    self.fields, follower.text if self.as_written else said, follower) is not None
                # Names come before a block's fields: a name-shaped line after them is the
                # page going on (a heading), not the block.
                if not field and (fielded or not _headline_shaped(
                        said, self.max_length, self.min_words, self.max_words)):
                    break
                fielded = fielded or field
                if hit is None:
                    hit = Hit(f"a headline under the removed header on line {block.line}")
                taken += 1
                if rank is not None:
                    yield rank, hit
                    rank = None
                yield follower, hit


class CardRunKind(DocumentMatcher):
    """``kind = "card-run"``: teaser cards between the repeated lines of a story list.

    A list of other stories prints each as a card: a headline, perhaps a one-line summary,
    then a time ("32M ago"), a picture or a share button that a rule removes. Three or more
    cards in a row leave the same removed line between them, and between each two a headline
    and at most one more line; that rhythm is a list, not an article, whose paragraphs are
    neither headline-shaped nor framed by the same removed line every line or two.
    """

    kind = "card-run"
    keys = frozenset({"min_cards", "max_lines", "max_length", "min_words", "max_words",
                      "frames"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_cards = p.get_int("min_cards", 3)
        self.max_lines = p.get_int("max_lines", 2)
        self.max_length = p.get_int("max_length", 300)
        self.min_words = p.get_int("min_words", 3)
        self.max_words = p.get_int("max_words", 25)
        # The rules whose removed lines may frame a card (a date, a picture, a share bar).
        self.frames = frozenset(p.get_strs("frames", ("DTL002",)))


    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed, frames = ctx.blocks, ctx.claimed, self.frames
        if not _may_claim(ctx, frames):
            return
        framed = _claimed_positions(ctx, frames)
        if len(framed) < self.min_cards + 1:
            return
        cards: list[tuple[int, int]] = []  # (first, end) positions of the cards in a run
        code: str | None = None
        for low, high in [*pairwise(framed), (-1, -1)]:
            here = claimed[blocks[low].index].rule.code if low >= 0 else None
            card = (
                low >= 0 and 1 <= high - low - 1 <= self.max_lines
                and here == claimed[blocks[high].index].rule.code
                and all(blocks[p].index not in claimed
                        and len(ctx.text_of(blocks[p])) <= self.max_length
                        for p in range(low + 1, high))
                and _headline_shaped(ctx.text_of(blocks[low + 1]), 160, self.min_words,
                                     self.max_words)
            )
            if card and cards and cards[-1][1] == low and here == code:
                cards.append((low + 1, high))
                continue
            if len(cards) >= self.min_cards:
                hit = Hit(f"one of {len(cards)} story cards framed by {code} "
                          f"(lines {blocks[cards[0][0]].line}-{blocks[cards[-1][1] - 1].line})")
                for first, end in cards:
                    for p in range(first, end):
                        yield blocks[p], hit
            cards, code = ([(low + 1, high)], here) if card else ([], None)


# Small English words a sentence's piece opens with and a menu item never does (in lower
# case: "About" and "The Times" are labels).
_FUNCTION_OPENERS = frozenset(
    "to and of the a an in with for on by at as or but from that which who is are was were "
    "has have had".split()
)


class LabelRunKind(DocumentMatcher):
    """``kind = "label-run"``: short labels in a row before the first paragraph or after the last.

    A page too small for the main-region test (a few dozen lines) still opens with a menu
    ("News", "Politics", "Tech", "Culture") and closes with a footer of section names. Before
    the first paragraph (``paragraph_chars`` or more, ending a sentence) and after the last,
    ``min_run`` or more lines in a row (removed lines between them do not break the run) of
    at most ``max_words`` words and ``max_length`` characters, without a stop, a colon or a
    digit, are such a menu: a headline, a byline, a date or a list of figures is not made of
    them, and a list a line announces ("What changes:") is the text's own.
    Lines in scripts written without spaces are left alone, since there a word count says
    nothing about length.
    """

    kind = "label-run"
    keys = frozenset({"min_run", "max_words", "max_length", "paragraph_chars"})
    _STOPS = frozenset(".!?:。！？：")

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_run = p.get_int("min_run", 4)
        self.max_words = p.get_int("max_words", 3)
        self.max_length = p.get_int("max_length", 30)
        self.paragraph_chars = p.get_int("paragraph_chars", 150)

    def _label(self, text: str) -> bool:
        text = text.strip().lstrip("#*>+- ").strip("*_ ")
        # A label does not open with a small function word ("to Channel Seven's", "and the
        # rest"): that is the piece of a sentence a converter broke at its links. Nor is it
        # a line of code ("}", "if err != nil {").
        return (
            bool(text) and len(text) <= self.max_length and text[-1] not in self._STOPS
            and not code_like(text)
            and text.count(" ") + 1 <= self.max_words
            and not any(map(str.isdigit, text)) and _CJK.search(text) is None
            and text.split(" ", 1)[0] not in _FUNCTION_OPENERS
        )

    @staticmethod
    def _separator(text: str) -> bool:
        """Whether a line is a separator alone ("," between a tag list's items).

        It neither counts as a label nor ends a run: a list of four tags is four labels
        however many commas a scraper printed between them.
        """
        text = text.strip()
        return bool(text) and len(text) <= 3 and all(c in ",;|•·/-–— " for c in text)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed = ctx.blocks, ctx.claimed
        # Judged once, on the first pass: later passes only take lines out of the runs it
        # found, and the paragraphs that bound them stay where they are.
        if self.rule.code in ctx.memo:
            return
        ctx.memo[self.rule.code] = True
        bounds = _paragraph_bounds(ctx, self.paragraph_chars)
        if bounds is None:
            return
        standing, first, last = bounds
        # Items of the text's own lists (a brand's "- organic cotton", "- hemp") are no labels:
        # read once, when a first label asks.
        listed = OwnItems(blocks, ctx.memo.get("list items"), _TEXT)

        for side, where, bound in ((standing[:bisect_left(standing, first)], "before the first",
                                    first),
                                   (standing[bisect_right(standing, last):], "after the last",
                                    last)):
            run: list[int] = []
            gap: list[int] = []  # separators after the run's last label
            labels = 0
            for p in [*side, None]:
                # As written: a Markdown link is no label however short its words (a
                # sentence broken at its links leaves "[Steam](...)", "and", "[Xbox](...)").
                if p is not None and self._label(blocks[p].text) and not listed(p):
                    run.extend(gap)
                    gap = []
                    run.append(p)
                    labels += 1
                    continue
                if p is not None and run and self._separator(blocks[p].text):
                    gap.append(p)
                    continue
                if labels >= self.min_run and not _announced(run[0], blocks, claimed):
                    hit = Hit(f"one of {labels} short labels in a row {where} paragraph "
                              f"(line {blocks[bound].line})")
                    for member in run:
                        yield blocks[member], hit
                run, gap, labels = [], [], 0


class BrokenSentenceKind(DocumentMatcher):
    """``kind = "broken-sentence"``: a closing sentence a converter broke at its links.

    Some HTML-to-Markdown converters start a new line at every link, so a closing call to
    action arrives as "*Stay up to date with X's work by*", "*following us on*",
    "[*Facebook*](...)", "*and*", "[*Twitter*](...)", "*.*": no line alone says anything a
    line rule can judge. After the text's last paragraph (``paragraph_chars`` or more, ending
    a sentence), lines that continue one another (the first does not end a sentence) are read
    as one sentence, and when ``pattern`` matches that sentence every line of it goes. At
    most ``max_lines`` lines and ``max_length`` characters are joined.
    """

    kind = "broken-sentence"
    keys = frozenset({"pattern", "min_lines", "max_lines", "max_length", "paragraph_chars",
                      "reason"})
    # A colon ends a sentence here too: "Learn more about our work:" announces what follows
    # (a link, a citation block), which is not the same sentence.
    _ENDS = frozenset(".!?:。！？：")

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.pattern = p.get_pattern("pattern")
        self.min_lines = p.get_int("min_lines", 2)
        self.max_lines = p.get_int("max_lines", 30)
        self.max_length = p.get_int("max_length", 800)
        self.paragraph_chars = p.get_int("paragraph_chars", 150)
        self.reason = p.get_str("reason", rule.name.replace("-", " "))

    def _ends(self, said: str) -> bool:
        said = said.rstrip("*_ \"”’'»)]")
        return bool(said) and said[-1] in self._ENDS

    @staticmethod
    def _item(raw: str) -> bool:
        """A list item ("- Sign up for ...", "1. ...") or a rule ("_____") starts afresh."""
        return _ITEM.match(raw) is not None or _RULE.match(raw) is not None

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks = ctx.blocks
        if self.rule.code in ctx.memo:  # judged once, on the first pass (as label-run)
            return
        ctx.memo[self.rule.code] = True
        bounds = _paragraph_bounds(ctx, self.paragraph_chars)
        if bounds is None:
            return
        standing, _, last = bounds
        tail = standing[bisect_right(standing, last):]  # positions rise: those past the last
        start = 0
        while start < len(tail):
            # The sentence runs on while a line does not end one.
            end = start
            parts = [ctx.text_of(blocks[tail[start]]).strip("*_ ")]
            while (end + 1 < len(tail) and end - start + 1 < self.max_lines
                   and not self._ends(parts[-1]) and not self._item(blocks[tail[end + 1]].text)):
                end += 1
                parts.append(ctx.text_of(blocks[tail[end]]).strip("*_ "))
            joined = " ".join(part for part in parts if part)
            if (
                end - start + 1 >= self.min_lines and len(joined) <= self.max_length
                and self.search(self.pattern, joined, blocks[tail[start]]) is not None
            ):
                hit = Hit(f"{self.reason}: one sentence over {end - start + 1} lines")
                for p in tail[start:end + 1]:
                    yield blocks[p], hit
            start = end + 1


# Kinds that judge a line by the shape of the lines around it (a run of short labels, a page
# of menus): their removals guess at furniture; a tail judged from such a guess would
# compound it (a checklist's labels, once taken, would mark the rest of the list).
_GUESSED = frozenset({"label-run", "main-region"})


class TailAfterKind(DocumentMatcher):
    """``kind = "tail-after"``: short lines below the text's end, once page furniture marks it.

    Below an article's last paragraph a page goes on with what surrounds every article:
    teaser headlines, section names, widget labels, the names of other writers. Each alone is
    the shape of a subheading, so no line rule can take it; its place can, once two things
    hold. The text has ended: the line stands below the last paragraph (``paragraph_words``
    or more words, ending a sentence). And the page has said so: between that paragraph and
    the line a rule of the ``markers`` families removed page furniture (a share bar, a
    related box, a tag list, a comment widget, a footer; a caption or a date there says
    nothing, since articles end on pictures too). In scripts written without spaces a
    paragraph is counted in characters, two for each word asked. Taken then are lines of at most
    ``max_words`` words that open like a label or headline and end without a stop or a colon;
    the furniture is a line rule's or a kind's that reads text, not a guess from the shape of
    the lines around (``_GUESSED``), nor an item of the text's own list (``cleaner.ownlines``);
    a line ending in a small word ("available on") is a sentence broken at a link, and lines
    in scripts written without spaces are left alone.
    """

    kind = "tail-after"
    keys = frozenset({"markers", "paragraph_words", "max_words", "max_length"})
    _ENDS = frozenset('.!?"”’)。:：;')
    _SMALL = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on",
                        "or", "the", "to", "with"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.markers = tuple(p.get_strs("markers", ("REL", "SHR", "CMT", "TAG", "NAV")))
        self.paragraph_words = p.get_int("paragraph_words", 25)
        self.max_words = p.get_int("max_words", 15)
        self.max_length = p.get_int("max_length", 150)

    def _short(self, text: str) -> bool:
        text = text.strip().lstrip("#>*+-•| ").strip("*_ ")
        if not text or len(text) > self.max_length or text[-1] in self._ENDS:
            return False
        # A year and a colon or dash open an entry of a list the text gives (a timeline, a
        # roll of winners: "1996: Name – Team"), not a teaser's headline.
        if _YEAR_ENTRY.match(text) is not None:
            return False
        words = text.split()
        return (
            len(words) <= self.max_words and any(map(str.isalnum, text))
            and (text[0].isupper() or text[0].isdigit() or not text[0].isalpha())
            and words[-1] not in self._SMALL and _CJK.search(text) is None
        )

    def _in_sentence(self, ctx: Context, position: int) -> bool:
        """Whether the line is a piece of a sentence a converter broke at its links.

        The line before it ends in a comma or a small word ("available on"), or the line
        after it goes on in lower case or with punctuation (", and join ...").
        """
        blocks = ctx.blocks
        if position > 0:
            before = ctx.text_of(blocks[position - 1]).rstrip(" *_")
            if before.endswith(",") or (before and before.split()[-1] in self._SMALL):
                return True
        if position + 1 < len(blocks):
            after = ctx.text_of(blocks[position + 1]).lstrip(" *_")
            if after and (after[0].islower() or after[0] in ",.;:"):
                return True
        return False

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks, claimed = ctx.blocks, ctx.claimed
        if not any(code.startswith(self.markers) for code in _claimed_codes(ctx)):
            return
        last = len(blocks) - 1
        while last >= 0:
            block = blocks[last]
            if block.index not in claimed:
                said = ctx.text_of(block).rstrip()
                if said and said[-1] in _PARAGRAPH_ENDS and (
                        said.count(" ") + 1 >= self.paragraph_words
                        or (len(said) >= 2 * self.paragraph_words
                            and _CJK.search(said) is not None)):
                    break
            last -= 1
        if last < 0:
            return
        marker: int | None = None
        hit: Hit | None = None
        # An item of the text's own list (a checklist's "Subscribe to our podcast!") marks
        # no end even when a rule removed it: the list goes on around it.
        listed = OwnItems(blocks[last + 1:], ctx.memo.get("list items"), ctx.text_of)
        for position in range(last + 1, len(blocks)):
            block = blocks[position]
            claim = claimed.get(block.index)
            if claim is not None:
                if (marker is None and claim.rule.code.startswith(self.markers)
                        and claim.rule.kind not in _GUESSED
                        and not listed(position - last - 1)):
                    marker = block.line
                continue
            if (marker is None or not self._short(ctx.text_of(block))
                    or self._in_sentence(ctx, position)):
                continue
            if hit is None:
                hit = Hit(f"a short line below the text's last paragraph (line "
                          f"{blocks[last].line}) and the page furniture removed on line {marker}")
            yield block, hit


# What ends a headline's shape: a line ending in one of these is a sentence or a label.
_HEADLINE_STOPS = frozenset('.!?"”’:;…)»。！？')
# What ends a paragraph of the text (a sentence, perhaps closing a quote).
_PARAGRAPH_ENDS = frozenset('.!?"”’。')


def _headline_shaped(text: str, max_length: int, min_words: int, max_words: int) -> bool:
    """A headline's shape, read without its Markdown markers.

    It opens with a capital, a digit or a script without case, ends without a stop, and has
    ``min_words`` to ``max_words`` words: under-header and card-run judge teasers by it.
    """
    text = text.strip().lstrip("#>*+- ").strip("*_ ")
    return (
        bool(text) and len(text) <= max_length and text[-1] not in _HEADLINE_STOPS
        and (text[0].isupper() or text[0].isdigit() or not text[0].isascii())
        and min_words <= text.count(" ") + 1 <= max_words
    )


def _paragraph_bounds(
    ctx: Context, chars: int, ends: frozenset[str] = _PARAGRAPH_ENDS,
) -> tuple[list[int], int, int] | None:
    """Standing positions, and the first and last paragraph among them.

    A paragraph has ``chars`` or more characters and ends in one of ``ends``; None for a
    text without one. label-run, broken-sentence and teaser-run judge what stands beyond
    these bounds; a text of short lines only has none (``longest_line``).
    """
    blocks, claimed = ctx.blocks, ctx.claimed
    if longest_line(ctx) < chars:
        return None
    # Two broken-sentence rules and label-run ask in a row; claims only grow, so an answer
    # for as many claims as now is still the answer (a text of 160,000 short lines paid the
    # walk three times).
    # The answer is in positions of this pass's blocks: a later pass (fewer blocks, the
    # same claims) asks anew.
    cached = ctx.memo.get("paragraph-bounds")
    if (cached is not None and cached[0] is claimed and cached[1] == len(claimed)
            and cached[2] == (chars, ends) and cached[4] is blocks):
        bounds: tuple[list[int], int, int] | None = cached[3]
        return bounds
    standing = [p for p, b in enumerate(blocks) if b.index not in claimed]
    # Only the first and the last paragraph are wanted: looked for from either end, not
    # in a list of every paragraph.
    first = next((p for p in standing
                  if len(text := blocks[p].text) >= chars and text[-1] in ends), None)
    last = None if first is None else next(
        p for p in reversed(standing) if len(text := blocks[p].text) >= chars and text[-1] in ends
    )
    bounds = (standing, first, last) if first is not None and last is not None else None
    ctx.memo["paragraph-bounds"] = (claimed, len(claimed), (chars, ends), bounds, blocks)
    return bounds


def _claimed_codes(ctx: Context) -> set[str]:
    """The codes of the rules that have removed a line, gathered once a pass.

    Several kinds read what REL001, DTL002 or CMT001 removed and have nothing to do on a
    page where none did; the codes claimed are gathered once a pass and shared, instead of
    each kind looking at every claim (a page of 300,000 menu lines has 300,000 of them).
    Claims a kind makes later in the same pass are seen on the next one, which the engine
    runs whenever a pass claimed anything. A document's claims only grow, in insertion
    order, so a later pass reads only the claims made since the last look.
    """
    # The pass is told by its list of standing blocks (one per pass), not by the Context:
    # a Context kept in its own memo would make a reference cycle, and every document's
    # blocks and claims would wait for the cyclic collector (7 % of a pass's time).
    cached = ctx.memo.get("claimed-codes")
    if cached is None or cached[0] is not ctx.blocks:
        claimed = ctx.claimed
        seen: set[str] = set()
        read = 0
        if cached is not None and cached[1] is claimed:  # the same claims, grown since
            seen, read = cached[2], cached[3]
        last = None
        for claim in islice(claimed.values(), read, None):
            if claim is not last:  # the lines of one run share one claim
                seen.add(claim.rule.code)
                last = claim
        cached = ctx.memo["claimed-codes"] = (ctx.blocks, claimed, seen, len(claimed))
    codes: set[str] = cached[2]
    return codes


def _claimed_positions(ctx: Context, codes: frozenset[str]) -> list[int]:
    """The positions in ``ctx.blocks`` of the blocks a rule of ``codes`` claimed, in order.

    Read from the claims rather than from every standing block: four kinds ask on every
    pass, and a page has far fewer claims than lines (a run of lines shares one claim, so
    its code is read once). The claims of blocks no longer standing are dropped by the
    position table, which is the identity while every block stands.
    """
    wanted: list[int] = []
    append = wanted.append
    last: Claim | None = None
    take = False
    for index, claim in ctx.claimed.items():
        if claim is not last:
            take = claim.rule.code in codes
            last = claim
        if take:
            append(index)
    if not wanted:
        return wanted
    position_of = _positions(ctx)
    if position_of is None:  # the standing blocks are the first ones, each at its index
        size = len(ctx.blocks)
        wanted.sort()
        return wanted if wanted[-1] < size else [i for i in wanted if i < size]
    found = [position for position in map(position_of.get, wanted) if position is not None]
    found.sort()
    return found


def _positions(ctx: Context) -> dict[int, int] | None:
    """``Block.index`` to position in ``ctx.blocks``, once a pass; None when they are equal."""
    blocks = ctx.blocks
    if not blocks or (blocks[0].index == 0 and blocks[-1].index == len(blocks) - 1):
        return None  # indexes rise and are distinct: first and last fix the rest (the
        # blocks removed, if any, were the last ones: their claims are dropped by index)
    cached = ctx.memo.get("positions")
    if cached is None or cached[0] is not blocks:  # once a pass (see ``_claimed_codes``)
        table = dict(zip(map(_INDEX, blocks), range(len(blocks)), strict=True))
        cached = ctx.memo["positions"] = (blocks, table)
    positions: dict[int, int] = cached[1]
    return positions


# The longest line of markup alone ("> ", "**", "* * *") that may stand between two lines
# that go together (a label and its value, a quote and its speaker).
_MARK = 5


def _past_marks(blocks: Sequence[Block], position: int) -> int:
    """The first position from ``position`` on that is not a line of markup alone."""
    while (position < len(blocks) and len(text := blocks[position].text) <= _MARK
           and not any(map(str.isalnum, text))):
        position += 1
    return position


def _may_claim(ctx: Context, codes: frozenset[str]) -> bool:
    """Whether a rule of ``codes`` has removed a line (see _claimed_codes)."""
    return not codes.isdisjoint(_claimed_codes(ctx))


def _announced(start: int, blocks: Sequence[Block], claimed: Mapping[int, Claim]) -> bool:
    """Whether the standing line before ``start`` announces a list ("What changes:")."""
    position = _next_standing(blocks, claimed, start, -1)
    return position >= 0 and blocks[position].text.rstrip().endswith((":", "："))


def _next_standing(
    blocks: Sequence[Block], claimed: Mapping[int, Claim], at: int, step: int
) -> int:
    """The position of the nearest standing block past ``at``, going ``step`` (-1 or +1).

    -1 or ``len(blocks)`` when none stands on that side.
    """
    at += step
    while 0 <= at < len(blocks) and blocks[at].index in claimed:
        at += step
    return at


def _picture(raw: str, said: str) -> bool:
    """A teaser's picture: an image whose line leaves a reader next to nothing to read."""
    return not said or ("![" in raw and sum(map(str.isalnum, said)) < 3)
