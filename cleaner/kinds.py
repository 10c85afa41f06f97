"""Rule kinds: the only code behind the rules, each kind a small matcher built from a rule's data.

Line kinds (``line_kinds``) look at one block at a time and are the hot loop; document kinds
(``document_kinds``) need context. This module is the registry the engine builds from.
"""

from __future__ import annotations

from collections.abc import Callable

from .alt_kind import AltEchoKind
from .author_kind import AuthorBoxKind
from .caps_kind import CapsTeaserKind
from .credit_kind import AboveCreditKind
from .document_kinds import (
    FrontMatterKind,
    HashtagKind,
    LineRunKind,
    MainRegionKind,
    NearDuplicateKind,
    SecondHeadlineKind,
    TitleEchoKind,
)
from .errors import RuleError
from .excerpt_kind import ExcerptKind
from .label_kinds import BoxTitleKind, LabelValueKind, SectionKind
from .line_kinds import CaptionKind, PatternKind, PhraseKind
from .matcher import (
    Claim,
    Context,
    DocumentMatcher,
    Hit,
    LineMatcher,
    Matcher,
    RuleTimeoutError,
)
from .place_kinds import (
    BrokenSentenceKind,
    CardRunKind,
    EdgeLineKind,
    GapKind,
    LabelRunKind,
    TailAfterKind,
    TeaserRunKind,
    ThreadKind,
    UnderHeaderKind,
)
from .rule import Rule
from .split_kind import SplitCopyKind

__all__ = [
    "DOCUMENT_ORDER", "KINDS", "Claim", "Context", "DocumentMatcher", "Hit", "LineMatcher",
    "Matcher", "RuleTimeoutError", "build", "parameters",
]

KINDS: dict[str, Callable[[Rule, float | None], Matcher]] = {
    cls.kind: cls
    for cls in (PatternKind, CaptionKind, PhraseKind, TitleEchoKind, HashtagKind,
                NearDuplicateKind, MainRegionKind, LineRunKind, FrontMatterKind, EdgeLineKind,
                TeaserRunKind, ThreadKind, GapKind, UnderHeaderKind, CardRunKind,
                LabelRunKind, BrokenSentenceKind, TailAfterKind, LabelValueKind,
                SectionKind, ExcerptKind, AuthorBoxKind, AltEchoKind, SecondHeadlineKind,
                BoxTitleKind, SplitCopyKind, CapsTeaserKind, AboveCreditKind)
}


# ``excerpt`` runs last: every other kind has claimed what it will in the pass, so the
# paragraph a pull quote repeats is one that stays.
DOCUMENT_ORDER = ("front-matter", "title-echo", "second-headline", "hashtags", "line-run",
                  "label-value", "near-duplicate", "split-copy", "alt-echo", "main-region",
                  "teaser-run", "label-run", "under-header", "card-run", "caps-teaser",
                  "broken-sentence",
                  "thread", "section", "author-box", "box-title", "tail-after", "gap",
                  "edge-line", "above-credit", "excerpt")


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

