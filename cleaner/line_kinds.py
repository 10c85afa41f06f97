"""Line kinds: each decides on one block alone, after the engine's length and literal filters.

These run in the hot loop, so each puts its cheapest test first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex
from rapidfuzz import fuzz, process

from .document import Block
from .errors import RuleError
from .matcher import Hit, LineMatcher, Params
from .normalise import (
    PERIODS,
    WRAPPED_CHARS,
    count_capitals_and_digits,
    phrase_tokens,
    word_list,
)
from .ownlines import NUMBERED
from .rule import Rule

# What ``skip_fragments`` puts after a pattern's opening ``^`` (and its inline flags): a line
# that opens with a lowercase letter and ends a clause with a letter and ".", ";" or ","
# (perhaps inside a closing quote) is the tail of a hard-wrapped paragraph ("... read
# more.", "... back home."), whatever words it shares with a button label.
FRAGMENT_GUARD = r"""(?!(?-i:\p{Ll})[^\n]*\p{L}[.;,]["”'’]?$)"""
# A pattern's opening anchor and the inline flags right after it, where the guard goes.
_OPENING = regex.compile(r"\^(?:\(\?[a-zA-Z]+\))?")


class PatternKind(LineMatcher):
    """``kind = "line"``: an anchored pattern on the stripped line.

    ``metadata`` names a key the group ``value`` is stored under (byline, reading time, source).
    ``parts`` (instead of ``pattern`` and ``triggers``) splits a rule of many alternatives
    into patterns each with its own triggers (and, if it needs, a shorter ``max_length``): the
    rule removes a line when any part matches it, tried in the order written. A part only
    meets the lines its own literals let through, and a pattern of one alternative fails fast
    where one alternation of a dozen reads the whole line for each.
    """

    kind = "line"
    keys = frozenset({"pattern", "max_length", "triggers", "metadata", "reason", "skip_fragments",
                      "parts"})
    part_keys = frozenset({"pattern", "triggers", "max_length"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.max_length = p.get_int("max_length", 200)
        self.metadata = p.get_str("metadata", "")
        self.reason = p.get_str("reason", rule.name.replace("-", " "))
        self.hit = Hit(self.reason)
        self.skip_fragments = p.get_bool("skip_fragments", False)
        self.parts: tuple[PatternPart, ...] = ()
        if "parts" in rule.params:
            if "pattern" in rule.params or "triggers" in rule.params:
                raise p._fail("parts", "given instead of 'pattern' and 'triggers', not beside them")
            tables = rule.params["parts"]
            if not isinstance(tables, list) or not tables or not all(
                    isinstance(t, dict) for t in tables):
                raise p._fail("parts", "a non-empty list of tables ([[rule.parts]])")
            self.parts = tuple(PatternPart(self, n, t) for n, t in enumerate(tables, start=1))
            self.pattern: regex.Pattern[str] | None = None
            self.triggers = tuple(dict.fromkeys(t for part in self.parts for t in part.triggers))
        else:
            self.pattern = self.compile(p, "pattern")
            self.triggers = p.get_triggers()
        # The engine's shortcut (``engine._verdict``): a trusted pattern with no value to
        # extract is searched directly, and every match shares one reason.
        self.fast = self.fast_for(self.pattern)

    def fast_for(self, pattern: regex.Pattern[str] | None) -> regex.Pattern[str] | None:
        """The pattern the engine may search itself: trusted, with no value to extract."""
        return pattern if self.timeout is None and not self.metadata else None

    def compile(self, p: Params, key: str) -> regex.Pattern[str]:
        """A pattern of the rule (``key``), with the fragment guard if the rule asks for it."""
        pattern = p.get_pattern(key)
        if self.skip_fragments:
            # Inside the pattern, not a test of its own: the engine searches the pattern
            # directly (``fast``), and a lookahead at the anchor costs one look per line.
            opening = _OPENING.match(pattern.pattern)
            if opening is None:
                raise p._fail(key, "anchored with '^' when 'skip_fragments' is set")
            source = pattern.pattern
            pattern = regex.compile(
                source[:opening.end()] + FRAGMENT_GUARD + source[opening.end():]
            )
        if self.metadata and "value" not in pattern.groupindex:
            raise p._fail(key, "a pattern with a (?P<value>...) group when 'metadata' is set")
        return pattern

    def units(self) -> Sequence[LineMatcher]:
        return self.parts or (self,)

    def match(self, block: Block) -> Hit | None:
        if self.parts:  # the engine runs the parts themselves; this is for direct callers
            text = block.text
            for part in self.parts:
                if len(text) <= part.max_length and (hit := part.match(block)) is not None:
                    return hit
            return None
        assert self.pattern is not None
        return _pattern_hit(self, self.pattern, block)


class PatternPart(LineMatcher):
    """One part of a ``line`` rule with ``parts``: the rule's reason, zone and budget."""

    kind = "line"

    def __init__(self, owner: PatternKind, number: int, table: dict[str, object]) -> None:
        rule = owner.rule
        prefix = f"parts[{number}]."
        unknown = set(table) - PatternKind.part_keys
        if unknown:
            raise RuleError(f"{rule.where}: rule {rule.code}: unknown key(s) for {prefix[:-1]}: "
                            + ", ".join(sorted(unknown)) + " (keys written below a "
                            "[[rule.parts]] header belong to that part: put the rule's own "
                            "keys above the first part)")
        flat = replace(rule, params={prefix + key: value for key, value in table.items()})
        # Not ``Matcher.__init__``: the part shares its rule's zone and budget, and claims and
        # removals name the rule itself; only errors name the part's keys.
        self.rule, self.zone, self.timeout = rule, owner.zone, owner.timeout
        self.params = p = Params(flat, frozenset(flat.params))
        if prefix + "pattern" not in flat.params:
            raise p._fail(prefix + "pattern", "given in every part")
        self.pattern = owner.compile(p, prefix + "pattern")
        self.triggers = p.get_triggers(prefix + "triggers")
        self.max_length = p.get_int(prefix + "max_length", owner.max_length)
        self.metadata, self.reason, self.hit = owner.metadata, owner.reason, owner.hit
        self.fast = owner.fast_for(self.pattern)

    def match(self, block: Block) -> Hit | None:
        return _pattern_hit(self, self.pattern, block)


def _pattern_hit(
    matcher: PatternKind | PatternPart, pattern: regex.Pattern[str], block: Block
) -> Hit | None:
    """What a ``line`` rule's pattern makes of a block: its reason, and its value if any."""
    found = matcher.search(pattern, block.text, block)
    if found is None:
        return None
    value = found.group("value") if matcher.metadata else None
    return Hit(matcher.reason, value.strip() if value else None)


# A dateline: a city in capitals, then its state or country ("PALM DESERT, California").
_DATELINE = regex.compile(r"^\p{Lu}[\p{Lu}.'’ -]+,\s*\p{L}[\p{L}.'’ -]{1,40}[\s,–—-]*$")


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

    def match(self, block: Block) -> Hit | None:
        text = block.text
        found = self.search(self.credit, text, block, max(0, len(text) - self.credit_window))
        if found is None:
            return None
        caption = (block.text[: found.start()] + block.text[found.end() :]).strip()
        # A wire story's dateline broken onto its own line ("KUALA LUMPUR, Malaysia (AP)")
        # names a place, not a picture: the agency in brackets is the story's own.
        if len(caption) < self.min_caption or _DATELINE.match(caption) is not None:
            return None
        # A numbered entry names the item of a list ("2. Epipremnum aureum (Golden Pothos /
        # Devil's Ivy)"): its bracketed pair is the item's other names, not a credit.
        if NUMBERED.match(caption) is not None:
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

    def match(self, block: Block) -> Hit | None:
        text = block.text
        # A long line opening in lower case is the piece of a hard-wrapped paragraph ("become
        # members of the Club. A junior member is ..."): a promo's button or pitch opens its
        # own line, and only a short one ("subscribe now") is written in lower case.
        if len(text) >= WRAPPED_CHARS and text.lstrip("*_>#-•· ")[:1].islower():
            return None
        if self._cannot_match(text):
            return None
        tokens = phrase_tokens(text)
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
