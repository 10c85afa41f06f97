"""Document kinds: decisions that need the whole document (the title, neighbours, the shape).

Each looks only at the few candidate blocks a cheap test lets through, so no document pays for
an all-pairs comparison of its paragraphs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from operator import attrgetter

import regex
from rapidfuzz import fuzz

from .document import Block
from .matcher import Claim, Context, DocumentMatcher, Hit, longest_line
from .normalise import WRAPPED_CHARS, fold, hashtag_words, words
from .ownlines import ITEM_OPEN, LINKED, code_like, marked_items, own_list_items
from .rule import Rule

# Near-duplicate prefilter: quotes and dashes stripped from the start, then this many characters.
_OPENERS = " \t\"'“”‘’«»„‚-–—([*•·"
PREFIX = 12
# Numeric characters: two copies must state the same numbers.
_DIGIT = regex.compile(r"\p{N}")
# Characters that end a sentence (a short line ending in one reads as prose).
_STOPS = frozenset('.!?"”»…')
_CJK_STOPS = frozenset("。！？、」』")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_TITLE_FIELD = regex.compile(r"^(?:(?i:title)\s*:\s*|#{1,6}\s+)")
_INDEX = attrgetter("index")
# Shapes by Block.index: a list when the indexes are the positions (parsed text), else a dict.
Shapes = dict[int, int] | list[int]
_TEXT = attrgetter("text")
# The marks a headline may close with before a page title's separator.
_CLOSING = frozenset("\"')]»!?.…")
# What follows a headline in a page title: a separator, then a few short words (the site).
# The headline's own closing quote or stop may come first: the title's key has it folded
# away ("... in the future'" -> "... in the future"), the copy has it before " | Site".
_SITE_SUFFIX = regex.compile(r"[\"')\]»!?.…]{0,3}\s*[•|·–—:-]\s*(?:(?![.!?]\s)[^!?]){1,60}$")


class TitleEchoKind(DocumentMatcher):
    """``kind = "title-echo"``: the headline printed again near the top."""

    kind = "title-echo"
    keys = frozenset({"min_score", "max_suffix"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        self.min_score = self.params.get_float("min_score", 95.0)
        self.max_suffix = self.params.get_int("max_suffix", 60)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        title = ctx.title_block
        if ctx.title is None or title is None:
            return
        # A front-matter title field ("title: X") or a Markdown heading ("# X") is the
        # headline: its text is what a copy repeats.
        key = fold(_TITLE_FIELD.sub("", title.text, count=1))
        if len(key) < 3:  # nothing to compare: every bare ">" would "repeat" it
            return
        count = len(ctx.blocks)
        low, high = len(key) * 0.8, len(key) * 1.25 + 2
        # A page title carries the site after the headline: "Headline • News • Site",
        # "Headline | Site", "Headline - Site".
        suffixed = high + self.max_suffix
        # A copy holds the title's longest word (folding changes quotes and dashes only).
        word = max(key.split(), key=len)
        blocks = ctx.blocks
        # The positions up to the first outside the zone (the head's end), computed once
        # rather than asked of the zone at every line.
        first = ctx.title + 1
        zone_start, zone_end = self.zone.bounds(count)
        stop = zone_end if zone_start <= first else first
        echoes: list[tuple[int, Hit]] = []
        for position in range(first, max(first, stop)):
            block = blocks[position]
            size = len(block.text)
            if not low <= size <= suffixed or word not in block.text.casefold():
                continue
            folded = fold(_TITLE_FIELD.sub("", ctx.text_of(block), count=1))
            if len(folded) > len(key) and folded.startswith(key):
                found = _SITE_SUFFIX.match(folded, len(key))
                # After the headline's own closing mark, only a site's name: a question
                # answered after a dash ("Is it safe? - the short answer is no") is a dek.
                if found is not None and len(key) >= 20 and (
                    folded[len(key)] not in _CLOSING
                    or _SITE_NAME.search(ctx.text_of(block)) is not None
                ):
                    echoes.append((position, Hit(
                        f"repeats the title (line {title.line}) with the site's name")))
                    continue
            if size > high:
                continue
            score = fuzz.ratio(key, folded, score_cutoff=self.min_score)
            if score:
                echoes.append((position, Hit(
                    f"repeats the title (line {title.line}, score {score:.0f})")))
        # Printed three times or more with a paragraph between each copy and the next, the
        # "title" is a label the text repeats (a transcript's speaker, a section's name), not
        # a headline printed again (whose copies stand together above the text).
        if len(echoes) >= 2 and _paragraphs_between(
                blocks, [ctx.title, *(position for position, _ in echoes)]):
            return
        yield from ((blocks[position], hit) for position, hit in echoes)


def _paragraphs_between(blocks: Sequence[Block], positions: Sequence[int]) -> bool:
    """Whether a paragraph (100 characters or more) stands between each position and the next."""
    return all(any(len(blocks[at].text) >= _PARAGRAPH_BETWEEN for at in range(start + 1, end))
               for start, end in pairwise(positions))


# A line this long between two copies of a title is the text's own paragraph.
_PARAGRAPH_BETWEEN = 100
# A row of "=" under a line: Markdown's other way of writing a level-one heading.
_SETEXT_ONE = regex.compile(r"^={3,}$")
_WORDS = regex.compile(r"\w+")
# A site's name after a page title's separator: a few capitalised words or a domain
# ("| The Week", "- washingtonpost.com", "| /Film").
_SITE_NAME = regex.compile(
    r"\s[|•·–—-]\s*(?:[\p{Lu}\d/][\w.&'’/+-]*|[\w-]+\.\p{Ll}{2,})"
    r"(?:\s+(?:[\p{Lu}\d/][\w.&'’/+-]*|[\w-]+\.\p{Ll}{2,}|of|the|and|&)){0,4}\s*$"
)


class SecondHeadlineKind(DocumentMatcher):
    """``kind = "second-headline"``: a level-one heading right under a "# Title" headline.

    A converter that writes the article's headline as "# Headline" and then the page's
    ``<title>`` as a heading of its own ("Headline - Site" over a row of "=") prints the
    headline twice, the second time often in other words. Only the line next to the title in
    the text as written (blank lines between at most: not a heading that removed lines
    brought up), underlined with "=", once a document, and only when it says the title's
    story: ``min_shared`` of the title's words of four letters or more, or a site's name
    after a separator ("... | The Week"). An article's first section heading ("Background",
    "The problem") shares neither.
    """

    kind = "second-headline"
    keys = frozenset({"max_length", "min_shared"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        self.max_length = self.params.get_int("max_length", 250)
        self.min_shared = self.params.get_int("min_shared", 2)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        if self.rule.code in ctx.memo:  # judged on the first pass, which sees every line
            return
        ctx.memo[self.rule.code] = True
        title = ctx.title_block
        if title is None or ctx.title is None or not title.text.startswith("# "):
            return
        blocks = ctx.blocks
        at = ctx.title + 1
        if at + 1 >= len(blocks):
            return
        line, under = blocks[at], blocks[at + 1]
        if (line.index != title.index + 1 or under.index != line.index + 1
                or line.index in ctx.claimed or len(line.text) > self.max_length
                or _SETEXT_ONE.match(line.text) is not None
                or _SETEXT_ONE.match(under.text) is None):
            return
        words = {w for w in _WORDS.findall(fold(title.text)) if len(w) >= 4}
        shared = sum(1 for w in set(_WORDS.findall(fold(line.text))) if w in words)
        if shared < self.min_shared and _SITE_NAME.search(line.text) is None:
            return
        yield line, Hit(f"a second headline under the title (line {title.line}): "
                        "the page's title set as a heading")


class HashtagKind(DocumentMatcher):
    """``kind = "hashtags"``: a trail of hashtags, optionally one spelled from the title's words."""

    kind = "hashtags"
    keys = frozenset({"min_tags", "min_share", "from_title", "min_title_overlap", "max_length"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_tags = p.get_int("min_tags", 3)
        self.min_share = p.get_float("min_share", 0.8)
        self.from_title = p.get_bool("from_title", False)
        self.min_overlap = p.get_float("min_title_overlap", 0.7)
        self.max_length = p.get_int("max_length", 2000)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        title = ctx.title_block
        if (self.from_title and title is None) or "#" not in ctx.source:
            return
        title_words = set(words(title.text)) if title is not None else set()
        count = len(ctx.blocks)
        for position, block in enumerate(ctx.blocks):
            text = block.text
            if "#" not in text or len(text) > self.max_length:
                continue
            if not self.zone.contains(position, count):
                continue
            tokens = text.split()
            tags = [t for t in tokens if len(t) > 1 and t[0] == "#"]
            if len(tags) < self.min_tags or len(tags) < self.min_share * len(tokens):
                continue
            if not self.from_title:
                yield block, Hit(f"line of {len(tags)} hashtags")
                continue
            tag_words = hashtag_words(" ".join(tags))
            if not tag_words:
                continue
            overlap = sum(w in title_words for w in tag_words) / len(tag_words)
            if overlap >= self.min_overlap:
                yield block, Hit(f"hashtags spelled from the title's words ({overlap:.0%} of them)")


# A block printed again far from its first copy (near-duplicate's ``exact_min_length``) is not
# judged a copy when the first stands among the text's first lines (a lede, a caption above).
FAR_HEAD = 3
# The openings of an HTML table's row or cell and of a Markdown table's row.
_TABLE_ROW = ("<td", "<th", "<tr", "<TD", "<TH", "<TR", "| ")


class NearDuplicateKind(DocumentMatcher):
    """``kind = "near-duplicate"``: a block printed twice.

    Typically a caption, with and without its credit. Each candidate is compared with the next
    ``window`` blocks only, so cost stays linear. Lists and tables repeat short lines on
    purpose (recipes, Q&A), so a pair where neither copy carries a credit must be at least
    ``plain_min_length`` long, two copies whose numbers differ ("$169.99" / "$243.97")
    are different facts, never duplicates, and table rows and cells are not compared.
    """

    kind = "near-duplicate"
    keys = frozenset({"min_score", "window", "min_length", "plain_min_length", "max_length",
                      "strip", "exact_min_length"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_score = p.get_float("min_score", 92.0)
        self.window = p.get_int("window", 4)
        self.min_length = p.get_int("min_length", 20)
        self.plain_min_length = p.get_int("plain_min_length", 80)
        self.max_length = p.get_int("max_length", 600)
        self.strip = p.get_pattern("strip") if "strip" in rule.params else None
        self.exact_min_length = p.get_int("exact_min_length", 0)

    def _key(self, block: Block) -> tuple[str, bool, str]:
        text = block.text
        credited = False
        if self.strip is not None:
            found = self.search(self.strip, text, block)
            if found is not None:
                text = text[: found.start()] + text[found.end() :]
                credited = True
        return fold(text), credited, "".join(_DIGIT.findall(text))

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        flagged: set[int] = set()
        yield from self._near(ctx, flagged)
        if self.exact_min_length:
            yield from self._far(ctx, flagged)

    def _far(self, ctx: Context, flagged: set[int]) -> Iterator[tuple[Block, Hit]]:
        """Later copies of a long block printed again anywhere, however far from the first.

        A page printed twice over (a copy for each screen width, a scraper that read the
        article's container and the page) repeats whole paragraphs far beyond the window;
        blocks of ``exact_min_length`` or more said again word for word, two or more in a
        row (``_passages``), are a copy wherever they stand. The first copy stays; a later
        one goes while the first stands, unless the first stands among the text's first
        ``FAR_HEAD`` lines: there it is a lede or a caption printed above the article, and
        the later copy is the paragraph in its place.
        """
        code = f"{self.rule.code} far"
        pairs: list[tuple[Block, Block]] | None = ctx.memo.get(code)
        if pairs is None:  # the first pass: every block stands
            pairs = ctx.memo[code] = self._passages(ctx.blocks)
        if not pairs:
            return
        claimed, title = ctx.claimed, ctx.title_block
        position = {b.index: at for at, b in enumerate(ctx.blocks)}
        for later, earlier in pairs:
            if (later.index in claimed or later.index in flagged or earlier.index in claimed
                    or title is later or title is earlier or later.index not in position
                    or position.get(earlier.index, 0) < FAR_HEAD):
                continue
            yield later, Hit(f"the block of line {earlier.line} printed again")

    def _passages(self, blocks: Sequence[Block]) -> list[tuple[Block, Block]]:
        """(later copy, first copy) of the long blocks printed again in a passage of two or more.

        A copy counts when the block after it (or before it) is also a copy of the block
        after (or before) its first copy: the text is printed again, not one paragraph. A
        weekly meal plan repeats a day's dish word for word, a song its chorus: alone, each
        such repeat is the text's own.
        """
        least = self.exact_min_length
        texts = [b.text for b in blocks if len(b.text) >= least]
        if len(set(texts)) == len(texts):  # C-level: most texts repeat no long block
            return []
        first: dict[str, int] = {}
        copies: dict[int, int] = {}  # position of a later copy -> position of the first
        for at, block in enumerate(blocks):
            if len(block.text) >= least and not block.text.startswith(_TABLE_ROW):
                earlier = first.setdefault(block.text, at)
                if earlier != at:
                    copies[at] = earlier
        return [(blocks[at], blocks[earlier]) for at, earlier in copies.items()
                if copies.get(at + 1) == earlier + 1 or copies.get(at - 1) == earlier - 1]

    def _near(self, ctx: Context, flagged: set[int]) -> Iterator[tuple[Block, Hit]]:
        """Copies within ``window`` blocks of each other, compared folded and fuzzily."""
        # Only blocks opening with the same few letters can be copies of each other. The first
        # pass (which sees every block) folds the openings of all blocks in one C-level pass
        # and keeps, for the document, the sized blocks and the openings that recur; a block
        # whose opening is unique in the document can never be a copy in any pass.
        table = ctx.memo.get(self.rule.code)
        blocks = ctx.blocks
        candidates: list[tuple[int, int, Block, str]] | None = None
        if table is None:
            if longest_line(ctx) >= self.min_length:
                # The first pass: the table's own walk gives its candidates (every block
                # stands, so a recurring opening's blocks are all there).
                table, candidates = self._openings(blocks)
            else:
                table = ({}, set(), {})
            ctx.memo[self.rule.code] = table
        opening_of, recurring, keys = table
        if not recurring:
            return
        if candidates is None:
            sized = [(position, b) for position, b in enumerate(blocks)
                     if b.index in opening_of]
            prefixes = [opening_of[b.index] for _, b in sized]
            seen = Counter(p for p in prefixes if p in recurring)
            candidates = [
                (pos, position, block, prefix)
                for pos, ((position, block), prefix) in enumerate(
                    zip(sized, prefixes, strict=True))
                if seen.get(prefix, 0) > 1
            ]
        if not candidates:
            return

        def key(block: Block) -> tuple[str, bool, str]:
            # By text: a line printed twice (the copies this kind looks for) is keyed once.
            found: tuple[str, bool, str] | None = keys.get(block.text)
            if found is None:
                found = keys[block.text] = self._key(block)
            return found

        window = self.window
        for number, (pos, position, block, prefix) in enumerate(candidates):
            if block.index in flagged:
                continue
            # Neighbours are the next ``window`` sized blocks, no more than ``window`` apart.
            for later in range(number + 1, len(candidates)):
                other_pos, other_position, other, other_prefix = candidates[later]
                if other_pos - pos > window:
                    break
                if (
                    other_prefix != prefix
                    or other.index in flagged
                    or other_position - position > window
                ):
                    continue
                (this_key, credited, digits), (other_key, other_credited, other_digits) = (
                    key(block), key(other)
                )
                if digits != other_digits:
                    continue
                if not (credited or other_credited) and min(len(this_key), len(other_key)) < (
                    self.plain_min_length
                ):
                    continue
                score = fuzz.ratio(this_key, other_key, score_cutoff=self.min_score)
                if not score:
                    continue
                pair = self._victim(block, other, credited, other_credited, ctx)
                if pair is None:
                    break
                victim, kept = pair
                flagged.add(victim.index)
                what = "caption printed twice" if credited or other_credited else "near-duplicate"
                yield victim, Hit(
                    f"{what}: same as line {kept.line} (score {score:.0f}, quotes and credit "
                    "normalised)"
                )
                break

    def _openings(
        self, blocks: Sequence[Block]
    ) -> tuple[tuple[dict[int, str], set[str], dict[str, tuple[str, bool, str]]],
               list[tuple[int, int, Block, str]]]:
        """The per-document table: sized blocks' folded openings, and the recurring ones.

        The third item is room for the full comparison keys, computed for candidates only
        (by text).
        Also the first pass's candidates (``find``): every block stands, so they are the
        sized blocks whose opening recurs, with their rank among the sized blocks and their
        position.
        """
        lo, hi = self.min_length, self.max_length
        # A table's rows and cells repeat their shape on purpose (a column of near-identical
        # calls, prices, names): data, never a copy.
        sized = [(position, b) for position, b in enumerate(blocks)
                 if lo <= len(b.text) <= hi and not b.text.startswith(_TABLE_ROW)]
        openings = "\n".join([b.text.lstrip(_OPENERS)[:PREFIX] for _, b in sized])
        prefixes = openings.casefold().split("\n")
        if len(prefixes) != len(sized):  # a folded opening held a line break: go one by one
            prefixes = [b.text.lstrip(_OPENERS)[:PREFIX].casefold() for _, b in sized]
        recurring = {prefix for prefix, n in Counter(prefixes).items() if n > 1}
        candidates = [
            (pos, position, block, prefix)
            for pos, ((position, block), prefix) in enumerate(zip(sized, prefixes, strict=True))
            if prefix in recurring
        ] if recurring else []
        return (dict(zip([b.index for _, b in sized], prefixes, strict=True)), recurring, {}), (
            candidates)

    @staticmethod
    def _victim(
        first: Block, second: Block, first_credited: bool, second_credited: bool, ctx: Context
    ) -> tuple[Block, Block] | None:
        """Choose which copy goes, or None when the pair needs nothing more.

        A copy already claimed as a caption makes its twin a caption too, so both go. A copy
        claimed for any other reason (a title echo, say) already resolved the repeat, and the
        title itself is never a victim. Otherwise the credited copy goes (the bare one reads
        as text), or else the later one.
        """
        claims = ctx.claimed
        title = ctx.title_block
        for claimed, other in ((second, first), (first, second)):
            claim = claims.get(claimed.index)
            if claim is not None:
                if claim.rule.category == "caption" and other is not title:
                    return other, claimed
                return None
        if first_credited and not second_credited and first is not title:
            return first, second
        if second is title:
            return None
        return second, first


def _outlines(stretch: Sequence[Block], least: int = 4) -> set[int]:
    """``Block.index`` of the lines of outlines: numbered list items with their sub-items.

    A run of ``least`` or more list items, none of them a link, in which sections numbered
    in order ("1.", "2.", "3.") stand: a report's table of contents or a document's outline,
    what the text says. A page's menus are links (a Markdown scrape keeps their targets) or
    bulleted labels ("- Baseball", "- Bowling"), never numbered sections.
    """
    found: set[int] = set()
    run: list[int] = []
    numbers: list[int] = []
    for block in (*stretch, None):
        if block is not None:
            opened = ITEM_OPEN.match(block.text)
            if opened is not None and LINKED.search(block.text) is None:
                run.append(block.index)
                mark = opened.group().strip()
                if mark[:-1].isdigit():
                    numbers.append(int(mark[:-1]))
                continue
        if len(run) >= least and len(numbers) >= 2 and numbers == sorted(set(numbers)):
            found.update(run)
        run, numbers = [], []
    return found


class MainRegionKind(DocumentMatcher):
    """``kind = "main-region"``: the menus and link lists around a page's main text.

    Full visible text of a page is a run of prose between long runs of short, menu-like lines.
    Each line scores its length when it reads as prose (``prose_words`` words or
    ``prose_chars`` characters, or ``stop_words`` words / ``stop_chars`` characters ending a
    sentence) and minus ``penalty`` (or its length) when it is
    menu-like (not prose, and without digits unless it is a word or three: table rows and
    dates stay neutral). The best-scoring run of lines is the main text, grown over the best
    run on either side while that scores ``widen_chars`` and at least ``1 / widen_cost`` of
    what the lines between cost (``_widened``: the other sections of a review or a
    listicle); outside it, the
    menu-like lines of a stretch of at least ``min_run`` lines that is ``run_share`` menu-like
    go, but for outlines: runs of four or more list items, none a link, with sections
    numbered in order among them (a report's table of contents: the text's own). The items
    of the text's own lists and lines of code or data are never menu-like
    (``cleaner.ownlines``). It only
    looks at documents with at least ``min_nav_lines`` menu-like lines making
    ``min_nav_share`` of all lines: article text, even with lists, never comes near that, so
    extracted articles and gold bodies pass untouched (measured: 0 characters over the 181
    Zyte gold bodies).
    """

    kind = "main-region"
    keys = frozenset({"prose_words", "stop_words", "prose_chars", "stop_chars", "penalty",
                      "min_run", "run_share", "min_nav_lines", "min_nav_share", "widen_cost",
                      "widen_chars"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.prose_words = p.get_int("prose_words", 10)
        self.stop_words = p.get_int("stop_words", 6)
        self.prose_chars = p.get_int("prose_chars", 80)
        self.stop_chars = p.get_int("stop_chars", 25)
        self.penalty = p.get_int("penalty", 40)
        self.min_run = p.get_int("min_run", 8)
        self.run_share = p.get_float("run_share", 0.8)
        self.min_nav_lines = p.get_int("min_nav_lines", 40)
        self.min_nav_share = p.get_float("min_nav_share", 0.5)
        self.widen_cost = p.get_float("widen_cost", 2.0)
        self.widen_chars = p.get_int("widen_chars", 500)

    def _shape(self, text: str) -> int:
        """1 for prose, -1 for menu-like, 0 for neither (numbers, dates, table rows).

        Words are counted as spaces plus one (block text is stripped): a C-level count, where
        ``split`` would build a list per line on every pass. Scripts written without spaces
        (Japanese, Chinese) count two CJK characters as a word, and a line ending in a CJK
        sentence or clause mark is prose; length counts too: a line of ``prose_chars``
        characters, or of ``stop_chars`` ending a sentence, is prose.
        """
        count = text.count(" ") + 1
        size = len(text)
        if count >= self.prose_words or size >= self.prose_chars:
            return 1
        if not text.isascii():
            # Two CJK characters read as about one word; a clause mark ends a fragment of prose.
            count += len(_CJK.findall(text)) // 2
            if text[-1] in _CJK_STOPS and size >= 6:
                return 1
        if (
            count >= self.prose_words
            or size >= self.prose_chars
            or (text[-1] in _STOPS and (count >= self.stop_words or size >= self.stop_chars))
        ):
            return 1
        if count <= 3 or _DIGIT.search(text) is None:
            return -1
        return 0

    def _shapes(self, ctx: Context) -> Shapes:
        """Each block's shape, by ``Block.index``.

        Shapes are read from what a reader sees: a Markdown menu item is a short label
        however long its link target; a line of nothing but an image is neither prose nor
        menu (articles have pictures too). Each distinct text is judged once and the columns
        are built with C-level maps: a page dump repeats its menu labels, and a text of two
        million one-character lines spent a fifth of its time here.
        """
        blocks, prose_chars, prose_words = ctx.blocks, self.prose_chars, self.prose_words
        stop_words, stop_chars = self.stop_words, self.stop_chars
        said = list(map(ctx.text_of, blocks)) if ctx.views else list(map(_TEXT, blocks))
        judged = dict.fromkeys(said, 0)
        for t in judged:
            # ``_shape``, inlined for ASCII text (most lines of most pages): the same tests
            # in the same order, less a method call and its attribute look-ups.
            if not t and ctx.views:  # a line of nothing but markup (an image)
                continue
            size = len(t)
            if size >= prose_chars:
                judged[t] = 1
            elif not t.isascii():
                judged[t] = self._shape(t)
            else:
                count = t.count(" ") + 1
                if count >= prose_words or (
                    t[-1] in _STOPS and (count >= stop_words or size >= stop_chars)
                ):
                    judged[t] = 1
                elif count <= 3 or _DIGIT.search(t) is None:
                    judged[t] = -1
        indexes = list(map(_INDEX, blocks))
        shapes = list(map(judged.__getitem__, said))
        _wrapped(said, shapes)
        # What ``_own`` needs, should the page pass the menu test on these shapes.
        ctx.memo[self.rule.code + " lines"] = (indexes, said,
                                               marked_items(blocks, ctx.memo.get("list items")))
        shape_of: Shapes
        if indexes == list(range(len(indexes))):  # as parsed: a list serves, and builds faster
            shape_of = shapes
        else:
            shape_of = dict(zip(indexes, shapes, strict=True))
        if _has_inline(ctx.source):
            texts = dict(zip(indexes, said, strict=True)) if ctx.views else None
            shape_of = _in_prose(blocks, texts, shape_of)
        return shape_of

    @staticmethod
    def _own(shape_of: Shapes, indexes: list[int], said: list[str],
             marked: list[bool] | None) -> None:
        """Neutral shape, in place, for the menu-like lines that are the text's own.

        The items of its lists (a checklist, steps) and its lines of code or data are no
        menu, whatever their length (``cleaner.ownlines``). Read from the first pass's
        blocks, once, and only for a page whose other shapes make it mostly menu: each
        turns a menu-like line neutral and nothing else, so a page that is not mostly menu
        before is not after, and the work is skipped.
        """
        own = own_list_items(said, marked)
        code: dict[str, bool] = {}  # per distinct text: a page dump repeats its labels
        for index, text, listed in zip(indexes, said, own, strict=True):
            if shape_of[index] < 0:
                if not listed:
                    found = code.get(text)
                    if found is None:
                        found = code[text] = code_like(text)
                    listed = found
                if listed:
                    shape_of[index] = 0

    def _mostly_menu(self, shapes: list[int]) -> bool:
        """Whether the standing lines' shapes make the page one this kind judges."""
        menus = shapes.count(-1)
        return menus >= self.min_nav_lines and menus >= self.min_nav_share * len(shapes)

    def _scores(self, live: Sequence[Block], shapes: list[int]) -> list[int]:
        """Each block's score in the best run: prose its length, menu minus the penalty or it.

        Written without ``max``: a builtin call a line was half the cost of a long menu's.
        """
        penalty = self.penalty
        return [
            size if shape > 0 else (-penalty if size < penalty else -size) if shape < 0 else 0
            for shape, size in zip(shapes, map(len, map(_TEXT, live)), strict=True)
        ]

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        # Lines other rules claimed in this pass still count: they are part of the page's
        # shape (a menu whose items a learned profile removes is still a menu).
        live = ctx.blocks
        if len(live) < self.min_nav_lines:
            return
        # Shapes by Block.index, computed in the first pass (which sees every block) and
        # read back in later ones: a block's text, hence its shape, never changes.
        shape_of: Shapes | None = ctx.memo.get(self.rule.code)
        if shape_of is None:
            shape_of = ctx.memo[self.rule.code] = self._shapes(ctx)
        shapes = list(map(shape_of.__getitem__, map(_INDEX, live)))
        if not self._mostly_menu(shapes):
            return
        lines = ctx.memo.pop(self.rule.code + " lines", None)
        if lines is not None:  # the page may be mostly menu: its own lines and code first
            self._own(shape_of, *lines)
            shapes = list(map(shape_of.__getitem__, map(_INDEX, live)))
            if not self._mostly_menu(shapes):
                return
        scores = self._scores(live, shapes)
        start, end = _widened(scores, *_best_run(scores), self.widen_cost, self.widen_chars)
        claimed = ctx.claimed
        title = ctx.title_block
        headline = title if title is not None and title.text.startswith("# ") else None
        start = _lead_in(live, claimed, start)
        for low, high in ((0, start), (end, len(live))):
            stretch = shapes[low:high]
            if len(stretch) < self.min_run or stretch.count(-1) < self.run_share * len(stretch):
                continue
            # An outline has numbered items: a menu (most stretches) has none, told by the
            # document's digit-led lines, read once.
            numbered = ctx.memo.get(self.rule.code + " numbered")
            if numbered is None:
                numbered = ctx.memo[self.rule.code + " numbered"] = frozenset(
                    b.index for b in live if b.text[:1].isdigit())
            kept = (_outlines(live[low:high])
                    if len(numbered.intersection(map(_INDEX, live[low:high]))) >= 2 else set())
            side = "before" if high == start else "after"
            hit = Hit(f"menu-like line in a run of {len(stretch)} lines {side} the main text "
                      f"(lines {live[start].line}-{live[end - 1].line})")
            for block, shape in zip(live[low:high], stretch, strict=True):
                # The title too: taken from the first line standing, it is a menu item here,
                # and the next pass reads the title from what remains. Unless the text marks
                # it as its headline ("# Title" opening a Markdown scrape): a menu item is
                # not written as a level-one heading, while scrapers put the page's headline
                # there above the menus they keep.
                if shape < 0 and block.index not in claimed and (
                    block is not headline
                ) and block.index not in kept:
                    yield block, hit  # one reason per run: a page can have hundreds of lines


class LineRunKind(DocumentMatcher):
    """``kind = "line-run"``: lines matching ``pattern`` in a run of ``min_run``-``max_run``.

    A share bar printed one word a line ("Facebook", "Twitter", "Email", "Copy link") is
    unmistakable as a run and ambiguous as one line: a lone "Email" may be a list item. The
    other way round, a lone bare link is a repost's trace while a run of them is the article's
    list of references. The pattern is tried once per block (first pass, memo); later passes
    only re-read the runs among the blocks still standing, since removing a line can join two.
    """

    kind = "line-run"
    keys = frozenset(
        {"pattern", "max_length", "min_run", "max_run", "not_after", "not_before", "guard_run",
         "bridge", "as_written", "triggers", "after"}
    )

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.pattern = p.get_pattern("pattern")
        self.max_length = p.get_int("max_length", 40)
        self.min_run = max(1, p.get_int("min_run", 2))
        # A run longer than ``max_run`` is a list the article means (a list of references).
        self.max_run = p.get_int("max_run", 1_000_000)
        # A run right after a block matching this ("Download the patch here:") is what that
        # block introduces, so it stays.
        self.not_after = p.get_pattern("not_after") if "not_after" in p.rule.params else None
        # A run whose next block matches this (", a tool that ...") is the middle of a sentence.
        self.not_before = p.get_pattern("not_before") if "not_before" in p.rule.params else None
        # A run must come right after a block matching this (a teaser set between paragraphs
        # follows one; the same words opening the text are its headline): never at the top.
        self.after = p.get_pattern("after") if "after" in p.rule.params else None
        # Those two guards hold for runs up to ``guard_run`` lines: a sentence cut by its links
        # leaves a few link lines in a row, a menu two dozen, whatever line follows it.
        self.guard_run = p.get_int("guard_run", 1_000_000)
        # Short lines that may sit between the run's lines without ending it (a "* * *" rule,
        # a bare list number): taken with the run when lines of it stand on both sides.
        self.bridge = p.get_pattern("bridge") if "bridge" in p.rule.params else None
        # Match the line as written (its markup included) rather than its text alone.
        self.as_written = p.get_bool("as_written", False)
        # As for line rules: literals one of which a line must hold before the pattern runs,
        # found by the engine's one scan of the document (``Context.fired``).
        self.triggers = p.get_triggers() if "triggers" in p.rule.params else ()

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        hits = self._hits(ctx)
        if hits is None:
            return
        blocks = ctx.blocks
        low, high = self.zone.bounds(len(blocks))
        bridge = self.bridge
        run: list[int] = []  # members, and the bridges between them
        gap: list[int] = []  # bridges after the last member, taken only if another follows
        members = 0
        for position in range(low, high + 1):
            if position < high:
                block = blocks[position]
                if hits(block):
                    run.extend(gap)
                    gap = []
                    run.append(position)
                    members += 1
                    continue
                if run and bridge is not None and self._bridges(block, bridge):
                    gap.append(position)
                    continue
            if self.min_run <= members <= self.max_run and (
                members > self.guard_run
                or not (self._beside(ctx, run[0], -1, self.not_after)
                        or self._beside(ctx, run[-1], 1, self.not_before))
            ) and (self.after is None or self._beside(ctx, run[0], -1, self.after)):
                what = self.rule.name.replace("-", " ")
                reason = Hit(f"{what} ({members} line{'s' if members > 1 else ''} in a row)")
                for member in run:
                    yield blocks[member], reason
            run, gap, members = [], [], 0

    def _bridges(self, block: Block, bridge: regex.Pattern[str]) -> bool:
        text = block.text.strip()
        return len(text) <= 20 and self.search(bridge, text, block) is not None

    def _hits(self, ctx: Context) -> Callable[[Block], bool] | None:
        """Whether a block matches, worked out once per block (its text never changes).

        Anywhere: every block is tried in the first pass, and a document with fewer matching
        lines than a run needs (nearly all of them) is done in one lookup afterwards. In a
        head or tail zone only the few blocks that enter it are tried.
        """
        text_of = _as_written if self.as_written else ctx.text_of
        if self.zone.name == "anywhere":
            matching: set[int] | None = ctx.memo.get(self.rule.code)
            if matching is None:
                # First pass: every block stands. With triggers, only the blocks the scan
                # found them in are tried.
                tried = triggered_blocks(self, ctx)
                # Each distinct text is matched once: a page dump repeats its menu lines,
                # and a menu of a million links paid the pattern on every copy.
                verdicts: dict[str, bool] = {}

                def matches(block: Block) -> bool:
                    text = text_of(block)
                    found = verdicts.get(text)
                    if found is None:
                        found = verdicts[text] = self._matches(block, text)
                    return found

                matching = ctx.memo[self.rule.code] = {b.index for b in tried if matches(b)}
            if len(matching) < self.min_run:
                return None
            return lambda block: block.index in matching
        known: dict[int, bool] = ctx.memo.setdefault(self.rule.code, {})

        def hits(block: Block) -> bool:
            found = known.get(block.index)
            if found is None:
                found = known[block.index] = self._matches(block, text_of(block))
            return found

        return hits

    def _matches(self, block: Block, text: str) -> bool:
        return len(text) <= self.max_length and self.search(self.pattern, text, block) is not None

    def _beside(
        self, ctx: Context, position: int, step: int, pattern: regex.Pattern[str] | None
    ) -> bool:
        """Whether the block ``step`` away from ``position`` matches ``pattern``.

        The guards ``not_after`` and ``not_before`` and the requirement ``after`` all read
        one neighbour of a run; past either end of the text (or without the pattern) there is
        nothing to match.
        """
        at = position + step
        if pattern is None or not 0 <= at < len(ctx.blocks):
            return False
        block = ctx.blocks[at]
        return self.search(pattern, ctx.text_of(block), block) is not None


# How far above the main text a line may announce it ("What's new in 2.26?", "Here's why:").
LEAD_IN_LINES = 12
# A label ("Edition:", "Print Options:") is not a lead-in: that takes a few words.
LEAD_IN_WORDS = 4


def _lead_in(live: Sequence[Block], claimed: Mapping[int, Claim], start: int) -> int:
    """Where the main text starts once the lines that lead into it are counted with it.

    The best run of prose starts at its first long line, but an article may open with a
    line that announces what follows ("Here's why:") or with a short list under such a line
    ("What's new in 2.26?" / "New tasks" / "Better Android support"): menu-shaped lines that
    a menu never has above them. Walking up from the main text over at most
    ``LEAD_IN_LINES`` lines none of which a rule has removed, the nearest one of at least
    ``LEAD_IN_WORDS`` words ending in ":" or "?" opens the text.
    """
    for position in range(start - 1, max(start - 1 - LEAD_IN_LINES, -1), -1):
        block = live[position]
        if block.index in claimed:  # page furniture between: the text does not start here
            return start
        text = block.text.rstrip("*_ ")
        if text.endswith((":", "：", "?", "？")) and text.count(" ") >= LEAD_IN_WORDS - 1:
            return position
    return start


def triggered_blocks(matcher: DocumentMatcher, ctx: Context) -> Iterable[Block]:
    """The blocks the engine's one scan found ``matcher``'s triggers in (``Context.fired``).

    Read in the first pass, while every block stands; a matcher without triggers (a user's
    rule may name none) is a candidate on every block.
    """
    if not matcher.triggers:
        return ctx.blocks
    by_index = _by_index(ctx.blocks)
    return (by_index(index) for index, rules in ctx.fired.items() if matcher in rules)


def _by_index(blocks: Sequence[Block]) -> Callable[[int], Block]:
    """Look a block up by its index: its position while every block stands."""
    if all(blocks[i].index == i for i in (0, len(blocks) - 1) if blocks):
        return blocks.__getitem__
    table = {b.index: b for b in blocks}
    return table.__getitem__


def _as_written(block: Block) -> str:
    return block.text


class FrontMatterKind(DocumentMatcher):
    """``kind = "front-matter"``: a ``---`` block of ``key: value`` lines opening the text.

    Feed-to-Markdown tools and static-site sources open every post with fields (date, link,
    guid, tags) between two delimiter lines. The block must close within ``max_lines`` lines
    and ``min_share`` of its lines must be keys or list items, or it is a horizontal rule
    followed by prose. Keys in ``keep_keys`` (the title: the headline's first occurrence)
    stay, so the text keeps its headline.
    """

    kind = "front-matter"
    keys = frozenset({"delimiters", "max_lines", "min_share", "keep_keys"})
    _KEY = regex.compile(r"^(?:-\s|(?P<key>[\w][\w:.-]{0,40})\s*:(?:\s|$))")

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.delimiters = frozenset(p.get_strs("delimiters", ("---", "+++")))
        self.max_lines = p.get_int("max_lines", 60)
        self.min_share = p.get_float("min_share", 0.6)
        self.keep = frozenset(k.casefold() for k in p.get_strs("keep_keys", ("title",)))

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        blocks = ctx.blocks
        if not blocks or blocks[0].text not in self.delimiters:
            return
        end = next((i for i in range(1, min(len(blocks), self.max_lines + 2))
                    if blocks[i].text == blocks[0].text), None)
        if end is None:
            return
        inside = blocks[1:end]
        found = [self._KEY.match(b.text) for b in inside]
        # An indented line continues the value above it (YAML's folded "key: >-" values):
        # the share of keys is counted over the lines that open at the margin.
        margin = [m for b, m in zip(inside, found, strict=True) if not b.raw[:1].isspace()]
        if sum(m is not None for m in margin) < self.min_share * len(margin):
            return
        hit = Hit(f"front matter (lines {blocks[0].line}-{blocks[end].line})")
        yield blocks[0], hit
        # A list item or a line that is not a key continues the value above it (a folded
        # title stays with its key).
        keep = False
        for block, m in zip(inside, found, strict=True):
            key = m.group("key") if m is not None else None
            if key is not None:
                keep = key.casefold() in self.keep
            if not keep:
                yield block, hit
        yield blocks[end], hit


# A block that opens in mid-sentence: lower case, or punctuation that only follows a word.
# An address ("www.site", "name@site") opens in lower case too, and is no fragment.
_CONTINUES = regex.compile(r"^(?:(?![^\s]*(?:@|://|www\.))\p{Ll}|[,.;:!?)\]}”’»」』、。，])")
_INLINE = regex.compile(r"\]\(|\*\*|__|`|<[a-z/]")
_TAG_START = regex.compile(r"<[a-z/]")


# The fewest words a hard-wrapped paragraph's line has: fewer, and it may be a menu's label
# written in lower case ("home", "about us") over another; and it has ``WRAPPED_CHARS`` or
# more characters, cut near a fixed width well past a label's length.
_WRAPPED_WORDS = 5


def _wrapped(said: list[str], shapes: list[int]) -> None:
    """Read the lines of a hard-wrapped paragraph as prose, in place.

    Text cut at a fixed width (a mail, a text-mode browser's dump, a plain-text archive)
    gives lines of 60 to 75 characters that often fall short of the prose tests and end
    without a stop, so a paragraph looked like a run of menu labels. Its lines run on into
    each other: a menu-like line of five or more words and ``WRAPPED_CHARS`` or more
    characters that does not end a sentence is a piece of a paragraph when the next line
    goes on with it (opens in lower case, and is such a line too or ends the sentence), or
    when it opens in lower case after such a line. A menu's items open with capitals, or
    are too short ("powered by Microsoft News" under a menu's first item is not a line of
    the same paragraph).
    """
    def long(text: str) -> bool:
        return len(text) >= WRAPPED_CHARS and text.count(" ") + 1 >= _WRAPPED_WORDS

    last = len(said) - 1
    for i, shape in enumerate(shapes):
        if shape >= 0:
            continue
        text = said[i]
        if not text or text[-1] in _STOPS or not long(text):
            continue
        following = said[i + 1] if i < last else ""
        if (following[:1].islower() and (long(following) or following[-1] in _STOPS)) or (
            i > 0 and text[:1].islower() and said[i - 1][-1:] not in _STOPS
            and long(said[i - 1])
        ):
            shapes[i] = 1


def _has_inline(source: str) -> bool:
    """Whether ``_INLINE`` occurs in the text (a ``` fence holds its "`").

    ``_INLINE.search`` over a whole page walked it at regex speed; its literals are C-level
    ``in`` scans, and only a text holding "<" needs the pattern. A two-character literal is
    looked for only in a text holding its first character: one character is a ``memchr``
    (25 times faster over a page than a two-character search), and most pages lack it.
    """
    return (
        ("]" in source and "](" in source) or ("*" in source and "**" in source)
        or ("_" in source and "__" in source) or "`" in source
        or ("<" in source and _TAG_START.search(source) is not None)
    )
_ENDS = frozenset('.!?:;"”»…。！？」』')


def _in_prose(
    blocks: Sequence[Block], texts: dict[int, str] | None, shapes: Shapes,
) -> Shapes:
    """Neutral shape for menu-like blocks that are pieces of prose or code, not menu items.

    Converters that put every link or bold span on a line of its own cut sentences into
    fragments ("Created by", "[Peter](...)", ", OpenClaw is ..."): a fragment opens in
    mid-sentence, or the block after it does while it ends without a full stop, and markup
    sits in it or next to it. Lines inside a ``` code fence are the article's code. Neither
    is a menu; both stay neutral.
    """
    if not blocks:
        return shapes
    fenced = False
    said = [texts[b.index] if texts is not None else b.text for b in blocks]
    # Each test once per distinct text: a menu-like block looks at its neighbours, so without
    # these a run of short lines paid three markup searches a line (and repeats them).
    inline: dict[str, bool] = {}
    opens: dict[str, bool] = {}

    def marked(text: str) -> bool:
        found = inline.get(text)
        if found is None:
            found = inline[text] = _INLINE.search(text) is not None
        return found

    def continues(text: str) -> bool:
        found = opens.get(text)
        if found is None:
            found = opens[text] = _CONTINUES.match(text) is not None
        return found

    # Whether the block or a neighbour carries inline markup: the cheap half of the test
    # below, computed for all blocks in three list passes, so a run of plain short lines
    # costs a look-up each.
    has = [marked(b.text) for b in blocks]
    near = [a or b or c for a, b, c in zip([False, *has[:-1]], has, [*has[1:], False],
                                            strict=True)]
    for position, block in enumerate(blocks):
        raw, text = block.text, said[position]
        if raw.startswith("```"):
            fenced = not fenced
            shapes[block.index] = 0
        elif fenced:
            shapes[block.index] = 0
        elif near[position] and shapes[block.index] < 0 and text:
            # Only where inline markup did the cutting (this block or a neighbour carries a
            # link or emphasis): a page's visible text has menus of lower-case items too.
            before = said[position - 1] if position else ""
            after = said[position + 1] if position + 1 < len(blocks) else ""
            if (
                (before and before[-1] not in _ENDS and continues(text))
                or (text[-1] not in _ENDS and continues(after))
            ):
                shapes[block.index] = 0
    return shapes


# The most steps ``_widened`` takes (a review has a few dozen sections at most).
WIDEN_STEPS = 64


def _widened(scores: Sequence[int], start: int, end: int, cost: float,
             least: int) -> tuple[int, int]:
    """[start, end) grown over the runs of prose beside it that are more of the same text.

    A listicle or a review breaks its text with headings, specifications and lists of pros
    and cons: menu-shaped lines that cost the best run a little more than the next section's
    prose earns, so the best run is one section and the rest of the article lies "outside"
    it. The best run on either side that scores ``least`` and at least ``1 / cost`` of what
    the lines between would cost the main run is such a section: the main text reaches over
    it, and again from there. Prose beyond a long menu or link list (a footer's blurb, a
    teaser's summary) earns far less than the list costs, and stays outside. At most
    ``WIDEN_STEPS`` steps: each reads the text on both sides again, and a text built to
    grow one section at a time over a million lines would make that quadratic.
    """
    for _ in range(WIDEN_STEPS):
        before, low, high = _scored_run(scores, 0, start)
        grown = before >= least and -sum(scores[high:start]) <= cost * before
        if grown:
            start = low
        after, low, high = _scored_run(scores, end, len(scores))
        if after >= least and -sum(scores[end:low]) <= cost * after:
            end, grown = high, True
        if not grown:
            break
    return start, end


def _scored_run(scores: Sequence[int], low: int, high: int) -> tuple[int, int, int]:
    """The sum and [start, end) of the best run of ``scores[low:high]`` (Kadane)."""
    best = current = 0
    start = best_start = best_end = low
    for index in range(low, high):
        score = scores[index]
        if current <= 0:
            current, start = score, index
        else:
            current += score
        if current > best:
            best, best_start, best_end = current, start, index + 1
    return best, best_start, best_end


def _best_run(scores: Sequence[int]) -> tuple[int, int]:
    """[start, end) of the highest-sum run of ``scores`` (Kadane); (0, 0) if none is positive."""
    _, start, end = _scored_run(scores, 0, len(scores))
    return start, end
