"""The engine: compile the selected rules once, then make one pass per document.

Stage 1 runs the line kinds over every block behind three cheap filters (length, zone, literal
triggers) so most body paragraphs cost a length comparison. The title is then read from the
first surviving block. Stage 2 runs the document kinds, which see what stage 1 claimed. The
first rule to claim a block explains it; a block is never removed twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import regex

from . import _linetable_py, accel
from .collector import collector_paused
from .document import Block, Document, parse, render
from .errors import RuleError
from .kinds import (
    DOCUMENT_ORDER,
    Claim,
    DocumentMatcher,
    Hit,
    LineMatcher,
    RuleTimeoutError,
    build,
)
from .kinds import Context as KindContext
from .learn import Profile, learnable_key
from .markup import markup_views
from .packs import builtin_pack_paths, load_packs, select_rules
from .result import CleanResult, Removal
from .rule import Rule
from .triggers import TriggerIndex

# A title is a headline: short, one line, not a sentence ending in a full stop.
TITLE_MAX_CHARS = 250
TITLE_MAX_WORDS = 40
# Per-call budget for patterns from user rule files (built-in packs are reviewed and exempt).
DEFAULT_REGEX_TIMEOUT = 0.25
# The rule behind removals from a learned profile (``clean learn``): its data is the profile.
LEARNED_RULE = Rule(
    code="LRN001", name="learned-boilerplate", category="learned",
    description="A line that recurs across many documents of the same source.",
    kind="learned", params={}, source="<profile>", line=0,
    why="Learned by `clean learn` from a corpus: see README, Learning boilerplate.",
)


# What ``verdicts.get`` answers for a (rule, text) pair not yet tried (None is a verdict).
_UNSEEN: Any = object()

_TEXT = attrgetter("text")
# Claims are built positionally with ``tuple.__new__`` in the hot paths, skipping the named
# tuple's Python-level constructor (as ``_result`` builds removals).
_claim = tuple.__new__

# Passes over a document before the fixpoint is given up (real texts settle in two or three).
MAX_PASSES = 8
# Entries a cleaner keeps of line verdicts and outcomes across documents before it starts them
# afresh: memory stays bounded however long the stream (about 6 MB on page text, whose tried
# lines average 94 characters; under 30 MB were every line near the rules' longest).
# ``CLEANER_LINE_CACHE=0`` keeps them for one document only: a benchmark that repeats its
# corpus sets it (or calls ``Cleaner.cache_clear``), so that a repeat is timed as new text.
LINE_CACHE_ENTRIES = 1 << 15


class Cleaner:
    """A compiled rule set, reused across documents (and safe to pickle into worker processes).

    ``select`` / ``ignore`` take codes, code prefixes, rule names or categories;
    ``keep_captions`` turns off the caption category (a caption printed twice still loses its
    second copy); ``rule_files`` add user packs, whose patterns run under ``regex_timeout``.
    """

    def __init__(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        rule_files: Iterable[Path | str] = (),
        keep_captions: bool = False,
        regex_timeout: float = DEFAULT_REGEX_TIMEOUT,
        profile: str | Path | Profile | None = None,
    ) -> None:
        self.settings: dict[str, Any] = {
            "select": tuple(select) if select is not None else None,
            "ignore": tuple(ignore) if ignore is not None else None,
            "rule_files": tuple(str(p) for p in rule_files),
            "keep_captions": keep_captions,
            "regex_timeout": regex_timeout,
            "profile": str(profile) if isinstance(profile, str | Path) else profile,
        }
        self.profile: Profile | None = (
            Profile.load(profile) if isinstance(profile, str | Path) else profile
        )
        builtin = load_packs(builtin_pack_paths(), trusted=True)
        user = load_packs(self.settings["rule_files"], trusted=False)
        everything = _merge(builtin, user)
        chosen = select_rules(everything, self.settings["select"], self.settings["ignore"])
        if keep_captions:
            chosen = [r for r in chosen if r.category != "caption"]
        self.all_rules: tuple[Rule, ...] = tuple(everything)
        self.rules: tuple[Rule, ...] = tuple(chosen)
        matchers = [build(rule, regex_timeout) for rule in self.rules]
        # A rule written in parts runs as its parts, one after the other in the packs' order.
        self._line = [u for m in matchers if isinstance(m, LineMatcher) for u in m.units()]
        self._line_set = frozenset(self._line)
        self._zoned = frozenset(m for m in self._line if m.zone.name != "anywhere")
        self._rank: dict[Any, int] = {m: rank for rank, m in enumerate(self._line)}
        # How far from each end a zoned rule reaches: later passes look there only.
        self._edges = (
            max((m.zone.size for m in self._zoned if m.zone.name == "head"), default=0),
            max((m.zone.size for m in self._zoned if m.zone.name == "tail"), default=0),
        )
        # Document kinds with trigger literals (line runs) share the one scan a document.
        triggered = [m for m in matchers if isinstance(m, DocumentMatcher) and m.triggers]
        self._rank.update((m, len(self._rank) + n) for n, m in enumerate(triggered))
        self._triggers = TriggerIndex([*self._line, *triggered])
        # Line verdicts ((rule, text) -> hit) and first-pass outcomes ((text, view) -> rule
        # and hit), shared by the documents this cleaner cleans (``_line_stage``).
        self._verdicts: dict[tuple[LineMatcher, str], Any] = {}
        self._outcomes: dict[tuple[str, str | None], Any] = {}
        self._cache_entries = _cache_entries()
        # Document kinds run most specific first, so a repeated headline is explained as a
        # title echo rather than as a generic duplicate.
        self._document = sorted(
            (m for m in matchers if isinstance(m, DocumentMatcher)),
            key=lambda m: DOCUMENT_ORDER.index(m.kind),
        )

    def __reduce__(self) -> tuple[Callable[..., Cleaner], tuple[dict[str, Any]]]:
        """Pickle as settings, not compiled patterns: each worker process compiles once."""
        return (_rebuild, (self.settings,))

    def cache_clear(self) -> None:
        """Forget the line verdicts kept from earlier documents (results never depend on them).

        A benchmark that cleans the same texts again calls this between rounds, so that the
        second round is not timed on answers the first one found.
        """
        self._verdicts.clear()
        self._outcomes.clear()

    def clean(self, text: str, source: str | None = None) -> CleanResult:
        """Clean one document; see the module docstring for the order of the stages.

        ``source`` (a domain, a feed) picks the learned profile's lines for that source; with
        a profile and no source, lines learned for any source apply.
        """
        with collector_paused():  # see cleaner/collector.py: 40 % of a long document
            return self._clean_document(parse(text), source)

    def clean_document(self, document: Document, source: str | None = None) -> CleanResult:
        """Clean an already parsed document (the HTML path builds its own).

        Passes repeat over the blocks still standing until one claims nothing new. Zones and
        the title depend on what stands (a byline removed from the head moves the next lines
        up), so only the fixpoint makes cleaning idempotent; a document with nothing to
        remove costs one pass, and most others two.
        """
        with collector_paused():  # also for clean_html, which parses its own document
            return self._clean_document(document, source)

    def _clean_document(self, document: Document, source: str | None) -> CleanResult:
        if len(self._verdicts) > self._cache_entries or len(self._outcomes) > self._cache_entries:
            self.cache_clear()  # bounded: started afresh, between documents
        live: list[Block] = list(document.blocks)
        title: Block | None = None
        # The literal scan runs once per document: a block's text, hence the rules its
        # triggers let through, never changes between passes; only its position does.
        views = markup_views(document.blocks, document.source)
        lengths = list(map(len, map(_TEXT, document.blocks)))
        fired = self._triggers.scan(document.blocks, lengths)
        if views:  # a long line of markup can be a short line of text: its literals count too
            for index, found in self._triggers.scan(list(views.values())).items():
                fired.setdefault(index, set()).update(found)
        state = _DocumentState(
            source=document.source,
            fired=fired,
            learned=self._learned(document.blocks, source) if self.profile is not None else {},
            views=views,
            # A row only in a text holding its character: that is a ``memchr``, where the
            # three-character search walks the page 25 times slower.
            underlines=any(row[0] in document.source and row in document.source
                           for row in ("===", "---", "___", "~~~")),
            # What ``matcher.longest_line`` and ``matcher.all_claimed`` would otherwise
            # measure with a pass over the blocks of their own.
            memo={"longest line": max(lengths, default=0), "document blocks": len(lengths)},
        )
        if document.items:  # list items the text does not mark (``Document.items``)
            state.memo["list items"] = document.items
        # Pass one tries every line rule; later passes only the zoned ones, since a line an
        # "anywhere" rule left alone stays the same line however its neighbours change.
        matchers = self._line_set
        first = True
        for passes in range(1, MAX_PASSES + 1):
            before = len(state.claims)
            title = self._pass(live, state, matchers, first)
            if len(state.claims) == before:
                break
            live = [b for b in live if b.index not in state.claims]
            matchers, first = self._zoned, False
            if passes == MAX_PASSES:
                # A text that repeats itself (a page saved a hundred times over) moves new
                # copies of its head into the zones on every pass: each pass costs the whole
                # text, so the fixpoint is given up rather than paid for quadratically.
                state.warnings.append(
                    f"stopped after {MAX_PASSES} passes: each one still removed lines "
                    "(a text that repeats itself); cleaning it again may remove more"
                )
        return self._result(document, state.claims, title, state.warnings)

    def _pass(
        self, live: Sequence[Block], state: _DocumentState, matchers: frozenset[LineMatcher],
        first: bool,
    ) -> Block | None:
        claims, warnings = state.claims, state.warnings
        if matchers and state.fired:
            self._line_stage(live, state, matchers, first)
        for index, claim in state.learned.items():  # after the rules: theirs is the reason
            claims.setdefault(index, claim)
        title = find_title(live, claims)
        context = KindContext(live, claims, title, state.source, state.memo, state.views,
                              state.fired)
        for matcher in self._document:
            shared: Claim | None = None
            try:
                for block, hit in matcher.find(context):
                    if block.index not in claims:
                        # A kind may give one hit to a whole run of blocks (main-region does,
                        # for hundreds of menu lines): they share one claim.
                        if shared is None or shared.hit is not hit:
                            shared = _claim(Claim, (matcher.rule, hit))
                        claims[block.index] = shared
            except RuleTimeoutError as exc:
                warnings.append(str(exc))
        if state.underlines:
            _claim_underlines(live, claims)
        return live[title] if title is not None else None

    def _learned(self, blocks: Sequence[Block], source: str | None) -> dict[int, Claim]:
        """Blocks whose normalised line the profile learned for ``source`` (position-free)."""
        assert self.profile is not None
        found: dict[int, Claim] = {}
        for block in blocks:
            key = learnable_key(block.text)
            hit = self.profile.lookup(key, source) if key is not None else None
            if hit is not None:
                name, count, total = hit
                found[block.index] = Claim(LEARNED_RULE, Hit(
                    f"learned boilerplate: in {count} of {total} documents of source {name!r}"
                ))
        return found

    def _line_stage(
        self, live: Sequence[Block], state: _DocumentState, allowed: frozenset[LineMatcher],
        first: bool,
    ) -> None:
        """Try the line rules on the blocks whose literals let some rule through.

        Rules are tried in pack order whatever order their literals matched in, so the first
        rule of the packs to match explains the block, as the docs promise. A line holding
        HTML tags or entities (feed descriptions, half-converted pages) is tried as written,
        then as its text alone (``markup_views``), so "<p>Read more</p>" meets the same
        rules as "Read more".
        """
        claims, warnings, fired, views = state.claims, state.warnings, state.fired, state.views
        count, rank, zoned = len(live), self._rank, self._zoned
        # A line kind decides on a block's text alone, so a text seen before (a menu label on
        # every page of a site, a row of one-character lines) is not matched again: without
        # this a document of repeated lines paid every regex on every copy, and a corpus every
        # regex on each page's copy of its site's share bar. Kept across documents, bounded.
        verdicts = self._verdicts
        if first:  # every block, at its own index
            tries: Iterable[tuple[int, int]] = zip(fired, fired, strict=True)  # C-level pairs
        else:  # only zoned rules: the blocks of the head and tail zones
            head, tail = self._edges
            edges = chain(range(min(head, count)), range(max(head, count - tail), count))
            tries = ((live[position].index, position) for position in edges)
        # In the first pass a line's outcome depends on its text (and its markup-free view)
        # alone unless a zoned rule is among its candidates, whose zone reads its position:
        # a menu repeated down a page dump, or on every page of a site, is decided once, not
        # once a copy. An outcome that met a time-out is not kept (the next copy tries again,
        # and warns again).
        outcomes: dict[tuple[str, str | None], Any] | None = self._outcomes if first else None
        # After the first pass only the zoned rules run: a block's other candidates (most of
        # them) are dropped with one C-level intersection before they are sorted and walked.
        only = None if first else allowed
        # The loop over the blocks and their candidates is a kernel of the line table
        # (``cleaner.accel``): compiled when built, ``_linetable_py.line_pass`` otherwise.
        accel.line_pass(
            tries, live, fired, claims, views, verdicts, outcomes, rank, allowed, zoned, only,
            count, warnings, Claim, RuleTimeoutError, _UNSEEN,
        )

    @staticmethod
    def _result(
        document: Document, claims: dict[int, Claim], title: Block | None, warnings: list[str]
    ) -> CleanResult:
        blocks = document.blocks
        removed: list[Removal] = []
        append = removed.append
        metadata: dict[str, str] = {}
        # Runs of blocks share one claim (a menu of a thousand lines): what comes from the
        # claim is read once per run, and each Removal is built with ``tuple.__new__``,
        # skipping the named tuple's Python-level constructor (0.3 µs a line).
        new, last = tuple.__new__, None
        code = name = reason = ""
        for index in sorted(claims):
            claim = claims[index]
            block = blocks[index]
            if claim is not last:
                last = claim
                code, name, reason = claim.rule.code, claim.rule.name, claim.hit.reason
                key = claim.rule.params.get("metadata")
                if key and claim.hit.value:
                    metadata.setdefault(str(key), claim.hit.value)
            # Positional: rule, name, line, col, text, reason, start, end.
            append(new(Removal, (code, name, block.line, block.col, block.text, reason,
                                 block.start, block.end)))
        if blocks and len(claims) == len(blocks):
            # A document that loses every line is more often not an article (a dump of menus,
            # a file of one-character lines) than pure cruft: say so, do not let it vanish.
            lines = f"{len(blocks)} line{'s' if len(blocks) > 1 else ''}"
            warnings = [*warnings, f"every line was removed ({lines}): the document is empty "
                        "after cleaning"]
        return CleanResult(
            text=render(document, frozenset(claims)),
            removed=tuple(removed),
            title=title.text if title is not None else None,
            metadata=metadata,
            warnings=tuple(warnings),
        )


# ``matcher.match(block)`` once per distinct text of a document (the line table's helper).
_verdict = _linetable_py._verdict


@dataclass
class _DocumentState:
    """What one document's passes share: claims so far, warnings, and per-document caches."""

    source: str
    fired: dict[int, set[Any]]
    learned: dict[int, Claim]
    views: dict[int, Block]
    claims: dict[int, Claim] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)
    # Whether a row of rule characters can stand in the text at all (C-level ``in`` scans of
    # the source, once): most texts have none, and need no look at every line each pass.
    underlines: bool = True


# A row of rule characters drawn under a heading (Markdown setext, text dumps).
_UNDERLINE = regex.compile(r"^(?:={3,}|-{3,}|_{3,}|~{3,})$")


def _claim_underlines(live: Sequence[Block], claims: dict[int, Claim]) -> None:
    """A heading's underline goes with the heading: claimed by the same rule.

    "Related content" over "---------------", a repeated title over "=====": once a rule
    takes the line, the row under it is left drawing nothing. Under a heading that stays,
    it stays.
    """
    for position in range(1, len(live)):
        block, above = live[position], live[position - 1]
        if (
            block.text[0] in "=-_~" and block.index not in claims and above.index in claims
            and _UNDERLINE.match(block.text) is not None
        ):
            rule = claims[above.index].rule
            claims[block.index] = Claim(rule, Hit(f"underline of removed line {above.line}"))


def find_title(blocks: Sequence[Block], claims: dict[int, Claim]) -> int | None:
    """The position of the first block nothing claimed, if it is shaped like a headline.

    A Markdown heading ("# Headline") is one; a line opening with a hashtag is not, nor a
    line without a letter or digit ("---" opening front matter).
    """
    for position, block in enumerate(blocks):
        if block.index in claims:
            continue
        text = block.text
        if (
            len(text) <= TITLE_MAX_CHARS
            and len(text.split()) <= TITLE_MAX_WORDS
            and not text.endswith((".", ",", ";", ":"))
            and (not text.startswith("#") or text.startswith(("# ", "## ")))
            and any(map(str.isalnum, text))
        ):
            return position
        return None
    return None


def _merge(builtin: list[Rule], user: list[Rule]) -> list[Rule]:
    """Refuse a user rule that reuses a built-in code: codes are never reused (ruff's promise)."""
    taken = {code: rule for rule in builtin for code in (rule.code, *rule.aliases)}
    for rule in user:
        for code in (rule.code, *rule.aliases):
            if code in taken:
                raise RuleError(f"{rule.where}: code {code} is taken by {taken[code].where}")
    return builtin + user


def _cache_entries() -> int:
    """``CLEANER_LINE_CACHE`` if set (0: one document's verdicts at a time), else the default."""
    value = os.environ.get("CLEANER_LINE_CACHE", "").strip()
    if not value:
        return LINE_CACHE_ENTRIES
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(
            f"CLEANER_LINE_CACHE must be a whole number of entries, not {value!r}"
        ) from None


def _rebuild(settings: dict[str, Any]) -> Cleaner:
    return Cleaner(**settings)


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """The all-rules cleaner behind ``clean()``, compiled on first use."""
    return Cleaner()


def clean(text: str) -> CleanResult:
    """Clean ``text`` with every built-in rule; build a ``Cleaner`` to choose rules."""
    return default_cleaner().clean(text)
