"""Rule kinds: the only code behind the rules, each kind a small matcher built from a rule's data.

Line kinds look at one block at a time and are the hot loop; document kinds need context (the
title, the neighbouring blocks) and look only at the few candidate blocks a cheap test lets
through, so no document pays for an all-pairs comparison of its paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import regex
from rapidfuzz import fuzz, process

from .document import Block
from .errors import RuleError
from .normalise import (
    PERIODS,
    count_capitals_and_digits,
    fold,
    hashtag_words,
    phrase_tokens,
    word_list,
    words,
)
from .rule import Rule


class RuleTimeoutError(Exception):
    """A user pattern ran past its time budget on one block (the block is left as it was)."""

    def __init__(self, rule: Rule, block: Block) -> None:
        super().__init__(f"rule {rule.code} ({rule.where}) timed out on line {block.line}")
        self.rule = rule
        self.block = block


@dataclass(frozen=True, slots=True)
class Hit:
    """Why a block goes: the human reason, and a metadata value where the rule extracts one."""

    reason: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A block claimed by a rule in this pass: the first claim explains the removal."""

    rule: Rule
    hit: Hit


@dataclass(frozen=True, slots=True)
class Context:
    """What a document kind may read in one pass.

    ``blocks`` are the blocks still standing (positions in it drive zones), ``claimed`` maps
    ``Block.index`` to the claims made so far, ``title`` is a position in ``blocks``. ``memo``
    lives as long as the document: a kind may keep there what it computed about a block (by
    rule code and ``Block.index``), since a block's text never changes between passes.
    """

    blocks: Sequence[Block]
    claimed: Mapping[int, Claim]
    title: int | None
    memo: dict[tuple[str, int], Any] = field(default_factory=dict)

    @property
    def title_block(self) -> Block | None:
        """The title's block, if the document has one."""
        return self.blocks[self.title] if self.title is not None else None


class Params:
    """Typed access to a rule's parameters that turns every mistake into a ``file:line`` error."""

    def __init__(self, rule: Rule, allowed: frozenset[str]) -> None:
        unknown = set(rule.params) - allowed
        if unknown:
            raise RuleError(
                f"{rule.where}: rule {rule.code}: unknown key(s) for kind '{rule.kind}': "
                + ", ".join(sorted(unknown))
            )
        self.rule = rule

    def _fail(self, key: str, what: str) -> RuleError:
        return RuleError(f"{self.rule.where}: rule {self.rule.code}: '{key}' must be {what}")

    def get_int(self, key: str, default: int | None = None) -> int:
        value = self.rule.params.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._fail(key, "a non-negative integer")
        return value

    def get_float(self, key: str, default: float) -> float:
        value = self.rule.params.get(key, default)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise self._fail(key, "a number")
        return float(value)

    def get_bool(self, key: str, default: bool) -> bool:
        value = self.rule.params.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def get_str(self, key: str, default: str | None = None) -> str:
        value = self.rule.params.get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def get_strs(self, key: str, default: Sequence[str] = ()) -> tuple[str, ...]:
        value = self.rule.params.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "a list of strings")
        return tuple(value)

    def get_pattern(self, key: str) -> regex.Pattern[str]:
        source = self.get_str(key)
        try:
            return regex.compile(source)
        except regex.error as exc:
            raise RuleError(
                f"{self.rule.where}: rule {self.rule.code}: '{key}' is not a valid pattern: {exc}"
            ) from exc

    def get_triggers(self) -> tuple[str, ...]:
        triggers = self.get_strs("triggers")
        if any(t != t.lower() or not t for t in triggers):
            raise self._fail("triggers", "non-empty lowercase strings")
        return triggers


class Matcher:
    """Base of every kind: the rule, its zone and the regex time budget (``None`` = trusted)."""

    kind: ClassVar[str]
    stage: ClassVar[str]
    keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        self.rule = rule
        self.zone = rule.zone
        self.timeout = timeout if not rule.trusted else None
        self.params = Params(rule, self.keys)

    def search(
        self, pattern: regex.Pattern[str], text: str, block: Block, pos: int = 0
    ) -> regex.Match[str] | None:
        """Run a pattern under the rule's time budget; a runaway user pattern is reported."""
        if self.timeout is None:
            return pattern.search(text, pos)
        try:
            return pattern.search(text, pos, timeout=self.timeout)
        except TimeoutError as exc:
            raise RuleTimeoutError(self.rule, block) from exc


class LineMatcher(Matcher):
    """A kind that decides on one block alone, after the engine's length/zone/trigger filters."""

    stage = "line"
    max_length: int
    triggers: tuple[str, ...]

    def match(self, block: Block, low: str) -> Hit | None:
        raise NotImplementedError


class DocumentMatcher(Matcher):
    """A kind that needs the whole document: it yields (block, hit) pairs."""

    stage = "document"

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        raise NotImplementedError


class PatternKind(LineMatcher):
    """``kind = "line"``: an anchored pattern on the stripped line.

    ``metadata`` names a key the group ``value`` is stored under (byline, reading time, source).
    """

    kind = "line"
    keys = frozenset({"pattern", "max_length", "triggers", "metadata", "reason"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.pattern = p.get_pattern("pattern")
        self.max_length = p.get_int("max_length", 200)
        self.triggers = p.get_triggers()
        self.metadata = p.get_str("metadata", "")
        self.reason = p.get_str("reason", rule.name.replace("-", " "))
        if self.metadata and "value" not in self.pattern.groupindex:
            raise p._fail("pattern", "a pattern with a (?P<value>...) group when 'metadata' is set")

    def match(self, block: Block, low: str) -> Hit | None:
        found = self.search(self.pattern, block.text, block)
        if found is None:
            return None
        value = found.group("value") if self.metadata else None
        return Hit(self.reason, value.strip() if value else None)


class CaptionKind(LineMatcher):
    """``kind = "caption"``: a short line that ends (or starts) with a photo credit.

    The credit alone would be a line rule; what makes this a kind is the requirement that real
    caption text stands beside the credit and that the whole stays caption-sized.
    """

    kind = "caption"
    keys = frozenset({"credit", "max_length", "min_caption", "triggers", "credit_window"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.credit = p.get_pattern("credit")
        self.max_length = p.get_int("max_length", 400)
        self.min_caption = p.get_int("min_caption", 10)
        self.triggers = p.get_triggers()
        # The credit sits at the end and is short: it is searched for in the last
        # ``credit_window`` characters only, so the cost does not grow with the line.
        self.credit_window = p.get_int("credit_window", 200)

    def match(self, block: Block, low: str) -> Hit | None:
        text = block.text
        found = self.search(self.credit, text, block, max(0, len(text) - self.credit_window))
        if found is None:
            return None
        caption = (block.text[: found.start()] + block.text[found.end() :]).strip()
        if len(caption) < self.min_caption:
            return None
        return Hit(f"caption with photo credit {found.group().strip(' -–—()')!r}")


class PhraseKind(LineMatcher):
    """``kind = "phrase"``: a library of promo / call-to-action phrases matched with rapidfuzz.

    Three tests must all pass, because any one alone catches body text: the normalised line
    contains something close to a phrase (``min_score``: the better of rapidfuzz's partial
    ratio, for a phrase with a typo or a changed word, and token-set ratio, for one with words
    inserted), most of its words are promo words (``min_share``), and it addresses the reader
    (a ``markers`` word: you, our, subscribe...).
    """

    kind = "phrase"
    keys = frozenset(
        {"phrases", "vocabulary", "markers", "min_score", "min_share", "max_length", "triggers"}
    )

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.phrases = [" ".join(phrase_tokens(s)) for s in p.get_strs("phrases")]
        if not self.phrases:
            raise p._fail("phrases", "a non-empty list of strings")
        vocabulary = {t for s in p.get_strs("vocabulary") for t in phrase_tokens(s)}
        self.vocabulary = vocabulary | {t for s in self.phrases for t in s.split()}
        self.markers = frozenset(t for s in p.get_strs("markers") for t in phrase_tokens(s))
        self.min_score = p.get_float("min_score", 90.0)
        self.min_share = p.get_float("min_share", 0.6)
        self.bound_valid = "name" in self.vocabulary
        self.optimistic = self.vocabulary | PERIODS
        self.max_length = p.get_int("max_length", 400)
        self.triggers = p.get_triggers()

    def _cannot_match(self, text: str) -> bool:
        """A cheap necessary test, from C-level word lists, before the per-word tokeniser.

        The tokeniser costs 30-90 µs a line; most lines a trigger lets through have no marker
        word or far too few promo words, which this decides in a few µs. No marker among the
        casefolded words means no marker token. For the share, every capitalised or numeric
        word counts as a promo word (the tokeniser may turn it into ``name`` or ``0``) and name
        runs stay uncollapsed; collapsing removes as many promo words as tokens, which can only
        lower a share below one. That holds only when ``name`` is a promo word; otherwise the
        full test alone decides the share.
        """
        found = word_list(text)
        if not found:
            return True
        folded = list(map(str.casefold, found))
        if self.markers and self.markers.isdisjoint(folded):
            return True
        if not self.bound_valid:
            return False
        known = sum(map(self.optimistic.__contains__, folded)) + count_capitals_and_digits(text)
        return known < self.min_share * len(found)

    def match(self, block: Block, low: str) -> Hit | None:
        if self._cannot_match(block.text):
            return None
        tokens = phrase_tokens(block.text)
        if not tokens or (self.markers and not self.markers.intersection(tokens)):
            return None
        share = sum(t in self.vocabulary for t in tokens) / len(tokens)
        if share < self.min_share:
            return None
        line = " ".join(tokens)
        best = None
        for scorer in (fuzz.partial_ratio, fuzz.token_set_ratio):
            found = process.extractOne(
                line, self.phrases, scorer=scorer, score_cutoff=self.min_score
            )
            if found is not None and (best is None or found[1] > best[1]):
                best = found
        if best is None:
            return None
        phrase, score, _ = best
        return Hit(f"promo phrase ~{phrase!r} (score {score:.0f}, {share:.0%} promo words)")


class TitleEchoKind(DocumentMatcher):
    """``kind = "title-echo"``: the headline printed again near the top."""

    kind = "title-echo"
    keys = frozenset({"min_score"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        self.min_score = self.params.get_float("min_score", 95.0)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        title = ctx.title_block
        if ctx.title is None or title is None:
            return
        key = fold(title.text)
        count = len(ctx.blocks)
        low, high = len(key) * 0.8, len(key) * 1.25 + 2
        for position in range(ctx.title + 1, count):
            if not self.zone.contains(position, count):
                break
            block = ctx.blocks[position]
            if not low <= len(block.text) <= high:
                continue
            score = fuzz.ratio(key, fold(block.text), score_cutoff=self.min_score)
            if score:
                yield block, Hit(f"repeats the title (line {title.line}, score {score:.0f})")


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
        if self.from_title and title is None:
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


class NearDuplicateKind(DocumentMatcher):
    """``kind = "near-duplicate"``: a block printed twice.

    Typically a caption, with and without its credit. Each candidate is compared with the next
    ``window`` blocks only, so cost stays linear. Lists and tables repeat short lines on
    purpose (recipes, Q&A), so a pair where neither copy carries a credit must be at least
    ``plain_min_length`` long, and two copies whose numbers differ ("$169.99" / "$243.97")
    are different facts, never duplicates.
    """

    kind = "near-duplicate"
    keys = frozenset({"min_score", "window", "min_length", "plain_min_length", "max_length",
                      "strip"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_score = p.get_float("min_score", 92.0)
        self.window = p.get_int("window", 4)
        self.min_length = p.get_int("min_length", 20)
        self.plain_min_length = p.get_int("plain_min_length", 80)
        self.max_length = p.get_int("max_length", 600)
        self.strip = p.get_pattern("strip") if "strip" in rule.params else None

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
        # Only blocks opening with the same few letters can be copies of each other. One C-level
        # pass folds the openings of all blocks; only those whose opening recurs go on, and the
        # full key (credit strip, fold, digits) is computed for those pairs alone.
        blocks = ctx.blocks
        lo, hi = self.min_length, self.max_length
        sized = [(position, b) for position, b in enumerate(blocks) if lo <= len(b.text) <= hi]
        if len(sized) < 2:
            return
        openings = "\n".join([b.text.lstrip(_OPENERS)[:PREFIX] for _, b in sized])
        prefixes = openings.casefold().split("\n")
        if len(prefixes) != len(sized):  # a folded opening held a line break: go one by one
            prefixes = [b.text.lstrip(_OPENERS)[:PREFIX].casefold() for _, b in sized]
        seen: dict[str, int] = {}
        for prefix in prefixes:
            seen[prefix] = seen.get(prefix, 0) + 1
        if len(seen) == len(prefixes):
            return
        candidates = [
            (pos, position, block, prefix)
            for pos, ((position, block), prefix) in enumerate(zip(sized, prefixes, strict=True))
            if seen[prefix] > 1
        ]
        keys: dict[int, tuple[str, bool, str]] = {}

        def key(block: Block) -> tuple[str, bool, str]:
            found = keys.get(block.index)
            if found is None:
                found = keys[block.index] = self._key(block)
            return found

        flagged: set[int] = set()
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


class MainRegionKind(DocumentMatcher):
    """``kind = "main-region"``: the menus and link lists around a page's main text.

    Full visible text of a page is a run of prose between long runs of short, menu-like lines.
    Each line scores its length when it reads as prose (``prose_words`` words or
    ``prose_chars`` characters, or ``stop_words`` words / ``stop_chars`` characters ending a
    sentence) and minus ``penalty`` (or its length) when it is
    menu-like (not prose, and without digits unless it is a word or three: table rows and
    dates stay neutral). The best-scoring run of lines is the main text; outside it, the
    menu-like lines of a stretch of at least ``min_run`` lines that is ``run_share`` menu-like
    go. It only looks at documents with at least ``min_nav_lines`` menu-like lines making
    ``min_nav_share`` of all lines: article text, even with lists, never comes near that, so
    extracted articles and gold bodies pass untouched (measured: 0 characters over the 181
    Zyte gold bodies).
    """

    kind = "main-region"
    keys = frozenset({"prose_words", "stop_words", "prose_chars", "stop_chars", "penalty",
                      "min_run", "run_share", "min_nav_lines", "min_nav_share"})

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

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        # Lines other rules claimed in this pass still count: they are part of the page's
        # shape (a menu whose items a learned profile removes is still a menu).
        live = list(enumerate(ctx.blocks))
        if len(live) < self.min_nav_lines:
            return
        memo, code = ctx.memo, self.rule.code
        shapes = []
        for _, block in live:
            key = (code, block.index)
            shape = memo.get(key)
            if shape is None:
                shape = memo[key] = self._shape(block.text)
            shapes.append(shape)
        menus = shapes.count(-1)
        if menus < self.min_nav_lines or menus < self.min_nav_share * len(live):
            return
        start, end = _best_run([
            len(b.text) if shape > 0 else -max(self.penalty, len(b.text)) if shape < 0 else 0
            for (_, b), shape in zip(live, shapes, strict=True)
        ])
        for low, high in ((0, start), (end, len(live))):
            stretch = shapes[low:high]
            if len(stretch) < self.min_run or stretch.count(-1) < self.run_share * len(stretch):
                continue
            for (_, block), shape in zip(live[low:high], stretch, strict=True):
                # The title too: taken from the first line standing, it is a menu item here,
                # and the next pass reads the title from what remains.
                if shape < 0 and block.index not in ctx.claimed:
                    side = "before" if high == start else "after"
                    yield block, Hit(f"menu-like line in a run of {len(stretch)} lines {side} "
                                     f"the main text (lines {live[start][1].line}-"
                                     f"{live[end - 1][1].line})")


def _best_run(scores: Sequence[int]) -> tuple[int, int]:
    """[start, end) of the highest-sum run of ``scores`` (Kadane); (0, 0) if none is positive."""
    best = current = 0
    start = best_start = best_end = 0
    for index, score in enumerate(scores):
        if current <= 0:
            current, start = score, index
        else:
            current += score
        if current > best:
            best, best_start, best_end = current, start, index + 1
    return best_start, best_end


KINDS: dict[str, Callable[[Rule, float | None], Matcher]] = {
    cls.kind: cls
    for cls in (PatternKind, CaptionKind, PhraseKind, TitleEchoKind, HashtagKind,
                NearDuplicateKind, MainRegionKind)
}


DOCUMENT_ORDER = ("title-echo", "hashtags", "near-duplicate", "main-region")
# Near-duplicate prefilter: quotes and dashes stripped from the start, then this many characters.
_OPENERS = " \t\"'“”‘’«»„‚-–—([*•·"
PREFIX = 12
# Numeric characters: two copies must state the same numbers.
_DIGIT = regex.compile(r"\p{N}")
# Characters that end a sentence (a short line ending in one reads as prose).
_STOPS = frozenset('.!?"”»…')
_CJK_STOPS = frozenset("。！？、」』")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def build(rule: Rule, timeout: float | None) -> Matcher:
    """Compile a rule into its kind's matcher, or fail naming the rule's file and line."""
    factory = KINDS.get(rule.kind)
    if factory is None:
        raise RuleError(
            f"{rule.where}: rule {rule.code}: unknown kind {rule.kind!r} "
            f"(known: {', '.join(sorted(KINDS))})"
        )
    return factory(rule, timeout)


def parameters(kind: str) -> frozenset[str]:
    """The parameter names a kind accepts (for docs and ``clean explain``)."""
    cls = KINDS.get(kind)
    return getattr(cls, "keys", frozenset())

