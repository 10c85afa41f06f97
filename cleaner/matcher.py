"""The vocabulary every rule kind shares: matchers, what they return, and their parameters.

A kind is a small class built from a rule's data (``Params`` turns every mistake in that data
into a ``file:line`` error); line kinds decide on one block, document kinds on the blocks of a
pass (``Context``). A ``Claim`` records which rule took a block and why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple

import regex

from .document import Block
from .errors import RuleError
from .rule import Rule

_TEXT = attrgetter("text")


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


class Claim(NamedTuple):
    """A block claimed by a rule in this pass: the first claim explains the removal.

    A named tuple because a menu-heavy page claims hundreds of lines (see ``Removal``).
    """

    rule: Rule
    hit: Hit


@dataclass(frozen=True, slots=True)
class Context:
    """What a document kind may read in one pass.

    ``blocks`` are the blocks still standing (positions in it drive zones), ``claimed`` maps
    ``Block.index`` to the claims made so far, ``title`` is a position in ``blocks``. ``memo``
    lives as long as the document: a kind may keep there, under its rule code, what it computed
    about the blocks (the first pass sees them all), since a block's text never changes.
    """

    blocks: Sequence[Block]
    claimed: Mapping[int, Claim]
    title: int | None
    # The whole input, for a C-level "can this kind fire at all" test ("#" for hashtags).
    source: str
    memo: dict[str, Any] = field(default_factory=dict)
    # Block.index -> the block's text without its markup (``markup.markup_views``).
    views: Mapping[int, Block] = field(default_factory=dict)
    # Block.index -> the matchers whose trigger literals the block holds (one scan a document).
    fired: Mapping[int, Set[Any]] = field(default_factory=dict)

    @property
    def title_block(self) -> Block | None:
        """The title's block, if the document has one."""
        return self.blocks[self.title] if self.title is not None else None

    def text_of(self, block: Block) -> str:
        """What a reader sees of a block: its text without tags or Markdown link targets."""
        view = self.views.get(block.index)
        return block.text if view is None else view.text


def longest_line(ctx: Context) -> int:
    """The length of the longest block the document's first look at it saw (``memo``).

    Later passes see fewer blocks, never longer ones, so it bounds them too: a kind that
    wants long lines (paragraphs, captions) answers a text of short ones (a dump of menus,
    of one-character lines) without a Python loop over its lines.
    """
    longest: int | None = ctx.memo.get("longest line")
    if longest is None:
        longest = ctx.memo["longest line"] = max(map(len, map(_TEXT, ctx.blocks)), default=0)
    return longest


def all_claimed(ctx: Context) -> bool:
    """Whether every block standing in this pass has been claimed (a page of nothing but menus).

    The blocks of earlier passes that no longer stand were all claimed, so the claims on
    standing blocks are the claims less those: a count, not a look at every line. The
    document's block count comes from the engine (``memo``); without it, False (look).
    """
    total: int | None = ctx.memo.get("document blocks")
    if total is None:
        return False
    return len(ctx.claimed) - (total - len(ctx.blocks)) >= len(ctx.blocks)


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

    def get_triggers(self, key: str = "triggers") -> tuple[str, ...]:
        triggers = self.get_strs(key)
        if any("\b" in t for t in triggers):  # "\b" in a double-quoted TOML string
            raise self._fail(key, "written with '\\b' in single quotes, not \"\\b\"")
        literals = [split_trigger(t)[0] for t in triggers]
        if any(t != t.lower() or not literal or "\\b" in literal
               for t, literal in zip(triggers, literals, strict=True)):
            raise self._fail(
                key, "non-empty lowercase strings, with '\\b' at either end at most"
            )
        return triggers


def split_trigger(trigger: str) -> tuple[str, bool, bool]:
    r"""A trigger's literal, and whether it must start and end a word (``\b`` at either end).

    Short literals ("ap", "ad", "by") occur inside hundreds of words of body text; anchored to
    a word boundary they let through the lines the pattern can match and hardly any other.
    """
    left = trigger.startswith("\\b")
    right = trigger.endswith("\\b") and len(trigger) > (4 if left else 2)
    literal = trigger[2 if left else 0: len(trigger) - 2 if right else len(trigger)]
    return literal, left, right


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
    # A pattern the engine may search itself (``PatternKind`` under no time budget), and the
    # hit it then records: the hot loop's shortcut past two method calls a block.
    fast: regex.Pattern[str] | None = None
    hit: Hit

    def match(self, block: Block) -> Hit | None:
        raise NotImplementedError

    def units(self) -> Sequence[LineMatcher]:
        """The matchers the engine runs for this rule: itself, or its parts (``PatternKind``).

        A part has triggers and a pattern of its own, so the one literal scan lets a line
        through to the alternatives its words can match, not to all of the rule's.
        """
        return (self,)


class DocumentMatcher(Matcher):
    """A kind that needs the whole document: it yields (block, hit) pairs.

    A kind that looks at lines one by one (a line run) may name ``triggers`` as line kinds
    do, for lines up to ``max_length``; the engine's one scan of the document then finds
    them (``Context.fired``).
    """

    stage = "document"
    triggers: tuple[str, ...] = ()
    max_length: int = 0

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        raise NotImplementedError
