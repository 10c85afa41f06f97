"""What a rule is once read from its pack: plain data, no behaviour.

Keeping rules as data (and the behaviour in ``kinds``) is what lets users read, select and add
rules without writing Python, and lets one parametrized test run every rule's own examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ZoneName = Literal["head", "tail", "anywhere"]

DEFAULT_ZONE_SIZE: dict[str, int] = {"head": 8, "tail": 12, "anywhere": 0}


@dataclass(frozen=True, slots=True)
class Zone:
    """Where in a document a rule may fire, counted in blocks from the start or the end.

    Position is the cheapest evidence there is: "Source link" means one thing in the last lines
    of a repost and nothing at all in the middle of a paragraph-long quote.
    """

    name: ZoneName = "anywhere"
    size: int = 0

    def bounds(self, count: int) -> tuple[int, int]:
        """The [start, end) positions of the zone in a document of ``count`` blocks."""
        if self.name == "head":
            return 0, min(self.size, count)
        if self.name == "tail":
            return max(0, count - self.size), count
        return 0, count

    def contains(self, index: int, count: int) -> bool:
        """Tell whether block ``index`` of a document of ``count`` blocks lies in the zone."""
        if self.name == "head":
            return index < self.size
        if self.name == "tail":
            return index >= count - self.size
        return True


@dataclass(frozen=True, slots=True)
class Example:
    """One example document and the 1-based lines the rule must remove from it (none for keep)."""

    text: str
    lines: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule as written in ``rules/*.toml``; ``params`` holds what its kind needs."""

    code: str
    name: str
    category: str
    description: str
    kind: str
    params: Mapping[str, Any]
    source: str
    line: int
    why: str = ""
    aliases: tuple[str, ...] = ()
    remove: tuple[Example, ...] = ()
    keep: tuple[Example, ...] = ()
    # Rules selected beside this one when its examples run: a kind that judges what other
    # rules removed (a run set apart by a removed menu) cannot show itself alone.
    example_with: tuple[str, ...] = ()
    trusted: bool = True
    zone: Zone = field(default_factory=Zone)

    @property
    def where(self) -> str:
        """Point at the rule's ``[[rule]]`` header, for error messages and ``explain``."""
        return f"{self.source}:{self.line}"
