"""The audit tally behind ``clean report``: counts streamed over a corpus, plus a seeded sample.

Before a cleaner runs over a billion documents someone has to look at what it takes out. The
tally therefore never holds the corpus: every document updates a few counters (per rule, per
category, per source, a histogram of the share removed) and then is dropped, except for the
few a reservoir keeps to be shown line by line. Memory is bounded by the sample size and the
number of distinct rules and sources, not by the number of documents.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .result import CleanResult, Removal

HISTOGRAM_BINS = 20
DEFAULT_SAMPLE = 50
DEFAULT_SEED = 14


@dataclass(slots=True)
class SourceTally:
    """One source's share of the corpus: what a per-source table row shows."""

    documents: int = 0
    chars: int = 0
    chars_removed: int = 0
    lines: int = 0
    lines_removed: int = 0


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a sampled document; ``removal`` is None for a kept line."""

    text: str
    removal: Removal | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """A document kept by the reservoir, already cut into kept and removed lines."""

    name: str
    source: str
    lines: tuple[Line, ...]
    share_removed: float
    note: str = ""

    @property
    def rules(self) -> frozenset[str]:
        return frozenset(line.removal.rule for line in self.lines if line.removal is not None)


def text_lines(original: str, removed: Iterable[Removal]) -> tuple[Line, ...]:
    """Cut a plain-text document into lines, marking removed spans by their offsets.

    The offsets, not the line numbers, are used, so a removal spanning several physical lines
    strikes out every one of them.
    """
    spans = sorted(removed, key=lambda r: r.start)
    out: list[Line] = []
    position = 0
    for removal in spans:
        if removal.start < position:  # overlapping claim: already shown
            continue
        out.extend(Line(t) for t in _physical(original[position:removal.start]))
        out.extend(Line(t, removal) for t in _physical(original[removal.start:removal.end]))
        position = removal.end
    out.extend(Line(t) for t in _physical(original[position:]))
    return tuple(out)


def html_lines(result: CleanResult) -> tuple[Line, ...]:
    """Lines of a cleaned HTML page: the removed blocks (by source line), then the kept text.

    An HTML page's removals are located by HTML source line, which has no place among the
    extracted text's lines, so they are listed before the text rather than interleaved.
    """
    removed = [Line(r.text, r) for r in sorted(result.removed, key=lambda r: r.line)]
    return (*removed, *(Line(t) for t in _physical(result.text)))


def _physical(chunk: str) -> list[str]:
    """The non-blank physical lines of a chunk (blank lines carry nothing to audit)."""
    return [line for line in chunk.splitlines() if line.strip()]


@dataclass
class Tally:
    """Streamed counts over a corpus and a reservoir sample of its documents (Algorithm R)."""

    sample_size: int = DEFAULT_SAMPLE
    seed: int = DEFAULT_SEED
    categories: Mapping[str, str] = field(default_factory=dict)  # rule code -> category
    documents: int = 0
    changed_documents: int = 0
    chars: int = 0
    chars_removed: int = 0
    lines: int = 0
    lines_removed: int = 0
    rule_lines: Counter[str] = field(default_factory=Counter)
    rule_chars: Counter[str] = field(default_factory=Counter)
    rule_names: dict[str, str] = field(default_factory=dict)
    category_lines: Counter[str] = field(default_factory=Counter)
    sources: dict[str, SourceTally] = field(default_factory=dict)
    histogram: list[int] = field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def category(self, code: str) -> str:
        return self.categories.get(code, "other")

    def add(self, name: str, source: str, result: CleanResult, original: str | None) -> None:
        """Count one cleaned document; ``original`` is its text (None for an HTML page)."""
        lines = (text_lines(original, result.removed) if original is not None
                 else html_lines(result))
        chars = sum(len(line.text) for line in lines)
        chars_removed = sum(len(line.text) for line in lines if line.removal is not None)
        lines_removed = sum(1 for line in lines if line.removal is not None)
        share = chars_removed / chars if chars else 0.0
        self.documents += 1
        self.changed_documents += bool(result.removed)
        self.chars += chars
        self.chars_removed += chars_removed
        self.lines += len(lines)
        self.lines_removed += lines_removed
        for line in lines:
            if line.removal is None:
                continue
            code = line.removal.rule
            self.rule_lines[code] += 1
            self.rule_chars[code] += len(line.text)
            self.rule_names.setdefault(code, line.removal.name)
            self.category_lines[self.category(code)] += 1
        row = self.sources.setdefault(source, SourceTally())
        row.documents += 1
        row.chars += chars
        row.chars_removed += chars_removed
        row.lines += len(lines)
        row.lines_removed += lines_removed
        self.histogram[min(int(share * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)] += 1
        note = "; ".join(result.warnings)
        self._offer(lambda: Sample(name, source, lines, share, note))

    def _offer(self, make: Callable[[], Sample]) -> None:
        """Reservoir sampling: after n documents each is in the sample with chance k/n.

        ``make`` is called only for a document that gets in, so the rest cost no copy.
        """
        if len(self.samples) < self.sample_size:
            self.samples.append(make())
            return
        slot = self._random.randrange(self.documents)
        if slot < self.sample_size:
            self.samples[slot] = make()

    @property
    def kept_share(self) -> float:
        return 1 - self.chars_removed / self.chars if self.chars else 1.0
