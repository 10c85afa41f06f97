"""Corpus-level learning: lines that recur across one source's documents are its boilerplate.

One document cannot tell "Try The Telegraph free for 1 month" from a sentence; a thousand
documents of the same source can. ``Learner`` streams documents, normalises each line (case,
quotes, spacing, digits, month and weekday names) and counts in how many documents of each
source a normalised line occurs. Lines recurring in at least ``min_docs`` documents *and*
``min_share`` of their source's documents become the source's learned boilerplate; near
variants left below the bar are merged with rapidfuzz and may pass together.

Memory: counts are exact, never sketched, because the Dask map-reduce must give the same
profile as one process and because a count-min sketch over-counts, which would learn lines
seen once. The in-memory table holds at most ``max_entries`` (source, line) pairs; when it
fills, it is spilled to a sorted run on disk and cleared, and the runs are merged in one
streaming pass at the end (an external merge sort), so memory is bounded whatever the corpus.
"""

from __future__ import annotations

import heapq
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from rapidfuzz import fuzz

from .normalise import fold

# A line recurring in 8 documents of a source and in 4 % of them. Measured (README, "Learning
# boilerplate"): on the Zyte pages' visible text pooled as one source, 5 documents / 2 % also
# learned a section heading the gold keeps ("STAFF"); 8 / 4 % learned none, and still raised
# the recall of removed cruft in both labelled views without lowering precision.
DEFAULT_MIN_DOCS = 8
DEFAULT_MIN_SHARE = 0.04
DEFAULT_MAX_ENTRIES = 100_000  # about 45 MB of table (keys, examples, counts) in CPython
# Lines outside this length range are not learned: too short to mean anything alone, or long
# enough to be body text that a syndicated story repeats.
MIN_CHARS = 3
MAX_CHARS = 600
# Near variants: rapidfuzz ratio of normalised lines, compared within one source and bucket.
VARIANT_SCORE = 92.0
PROFILE_VERSION = 1

_DIGITS = regex.compile(r"\p{Nd}+")
_CALENDAR = regex.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|"
    r"wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b"
)


def line_key(line: str) -> str:
    """The normal form two copies of a boilerplate line share.

    "Updated Nov 19, 2019 10:04" and "Updated Dec 3, 2019 09:15" both read
    "updated <d> 0, 0 0:0".
    """
    folded = fold(line)
    return _DIGITS.sub("0", _CALENDAR.sub("<d>", folded))


def learnable_key(line: str) -> str | None:
    """The key a stripped line is counted (and looked up) under, or None if it is not learned.

    Shared by counting and by cleaning with a profile, so the two can never disagree on which
    lines a profile speaks about.
    """
    if not MIN_CHARS <= len(line) <= MAX_CHARS:
        return None
    return line_key(line) or None


def _keep_smallest(examples: dict[tuple[str, str], str], pair: tuple[str, str],
                   example: str) -> None:
    """The smallest spelling is a pair's example: the same whatever order documents come in."""
    known = examples.get(pair)
    if known is None or example < known:
        examples[pair] = example


@dataclass
class Counts:
    """Exact per-source counts: documents seen, and documents containing each line.

    ``merge`` is how partitions combine (Dask's reduce); two ``Counts`` built over any split of
    the same documents merge to the counts of one pass over all of them.
    """

    documents: Counter[str] = field(default_factory=Counter)
    lines: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, text: str, source: str = "") -> None:
        self.documents[source] += 1
        seen: set[str] = set()
        for line in text.splitlines():
            stripped = line.strip()
            key = learnable_key(stripped)
            if key is None or key in seen:
                continue
            seen.add(key)
            pair = (source, key)
            self.lines[pair] += 1
            _keep_smallest(self.examples, pair, stripped)

    def merge(self, other: Counts) -> Counts:
        examples = dict(self.examples)
        for pair, example in other.examples.items():
            _keep_smallest(examples, pair, example)
        return Counts(self.documents + other.documents, self.lines + other.lines, examples)


@dataclass(frozen=True)
class Profile:
    """Learned boilerplate per source: normalised line -> (documents containing it, example)."""

    sources: Mapping[str, Mapping[str, tuple[int, str]]]
    documents: Mapping[str, int]
    min_docs: int = DEFAULT_MIN_DOCS
    min_share: float = DEFAULT_MIN_SHARE

    def lookup(self, key: str, source: str | None) -> tuple[str, int, int] | None:
        """(source, count, documents) if ``key`` is learned for ``source`` (any source if None)."""
        names = (source,) if source is not None else self.sources
        for name in names:
            found = self.sources.get(name, {}).get(key)
            if found is not None:
                return name, found[0], self.documents.get(name, 0)
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": PROFILE_VERSION,
            "min_docs": self.min_docs,
            "min_share": self.min_share,
            "sources": {
                name: {
                    "documents": self.documents.get(name, 0),
                    "lines": [{"key": key, "count": count, "example": example}
                              for key, (count, example) in sorted(
                                  self.sources.get(name, {}).items())],
                }
                for name in sorted({*self.documents, *self.sources})
            },
        }

    def save(self, path: str | Path) -> None:
        data = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        Path(path).write_text(data + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        from .errors import CleanerError

        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("version") != PROFILE_VERSION:
                raise ValueError(f"unknown profile version {data.get('version')!r}")
            sources = {
                name: {e["key"]: (int(e["count"]), str(e["example"])) for e in body["lines"]}
                for name, body in data["sources"].items() if body["lines"]
            }
            documents = {name: int(body["documents"]) for name, body in data["sources"].items()}
            return cls(sources, documents, int(data["min_docs"]), float(data["min_share"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CleanerError(f"{path}: not a cleaner profile: {exc}") from exc


class Learner:
    """Stream documents in, get a ``Profile`` out, in bounded memory (see the module docstring)."""

    def __init__(
        self, *, min_docs: int = DEFAULT_MIN_DOCS, min_share: float = DEFAULT_MIN_SHARE,
        max_entries: int = DEFAULT_MAX_ENTRIES, spill_dir: str | None = None,
    ) -> None:
        self.min_docs = min_docs
        self.min_share = min_share
        self.max_entries = max_entries
        self.counts = Counts()
        self._runs: list[str] = []
        self._spill_dir = spill_dir

    def add(self, text: str, source: str = "") -> None:
        self.counts.add(text, source)
        if len(self.counts.lines) >= self.max_entries:
            self._spill()

    def merge(self, counts: Counts) -> None:
        """Fold in counts made elsewhere (a Dask partition)."""
        self.counts = self.counts.merge(counts)
        if len(self.counts.lines) >= self.max_entries:
            self._spill()

    def _spill(self) -> None:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed below, removed in finish)
            "w", encoding="utf-8", suffix=".run", dir=self._spill_dir, delete=False
        )
        with handle:
            for pair in sorted(self.counts.lines):
                example = self.counts.examples.get(pair, "")
                handle.write(json.dumps([pair[0], pair[1], self.counts.lines[pair], example],
                                        ensure_ascii=False) + "\n")
        self._runs.append(handle.name)
        self.counts = Counts(documents=self.counts.documents)

    def _merged(self) -> Iterator[tuple[str, str, int, str]]:
        """All (source, key, count, example), summed across runs, in sorted order."""
        if not self._runs:
            for pair in sorted(self.counts.lines):
                yield pair[0], pair[1], self.counts.lines[pair], self.counts.examples.get(pair, "")
            return
        self._spill()
        files = [open(run, encoding="utf-8") for run in self._runs]  # noqa: SIM115
        try:
            streams = [(tuple(json.loads(line)) for line in f) for f in files]
            current: list[Any] | None = None
            for source, key, count, example in heapq.merge(*streams):
                if current is not None and (current[0], current[1]) == (source, key):
                    current[2] += count
                    current[3] = min(current[3], example)
                    continue
                if current is not None:
                    yield current[0], current[1], current[2], current[3]
                current = [source, key, count, example]
            if current is not None:
                yield current[0], current[1], current[2], current[3]
        finally:
            for f in files:
                f.close()
            for run in self._runs:
                os.unlink(run)
            self._runs = []

    def finish(self) -> Profile:
        """Apply the thresholds (after merging near variants) and return the profile.

        The merged counts arrive sorted by source, so each source is finished and dropped
        before the next: memory holds one source's repeated lines, never the corpus's.
        """
        documents = dict(self.counts.documents)
        learned: dict[str, dict[str, tuple[int, str]]] = {}
        for source, lines in self._by_source():
            total = documents.get(source, 0)
            for keys, count in _variant_groups(lines):
                if count >= self.min_docs and total and count / total >= self.min_share:
                    for key in keys:
                        learned.setdefault(source, {})[key] = (count, lines[key][1])
        return Profile(learned, documents, self.min_docs, self.min_share)

    def _by_source(self) -> Iterator[tuple[str, dict[str, tuple[int, str]]]]:
        """Per source, its lines seen in two documents or more.

        A line seen once is never boilerplate, nor part of a variant group.
        """
        current: str | None = None
        lines: dict[str, tuple[int, str]] = {}
        for source, key, count, example in self._merged():
            if source != current:
                if current is not None and lines:
                    yield current, lines
                current, lines = source, {}
            if count >= 2:
                lines[key] = (count, example)
        if current is not None and lines:
            yield current, lines


def _variant_groups(lines: Mapping[str, tuple[int, str]]) -> Iterable[tuple[list[str], int]]:
    """Group near variants (same first word, rapidfuzz ratio >= VARIANT_SCORE); sum counts.

    Comparing within buckets of the first word keeps this far from all-pairs on real
    profiles; a group's count is the sum of its members' document counts (an upper bound
    when two variants share a document, which a source's template rarely does).
    """
    buckets: dict[str, list[str]] = {}
    for key in sorted(lines):
        buckets.setdefault(key.split(" ", 1)[0], []).append(key)
    for keys in buckets.values():
        groups: list[list[str]] = []
        for key in keys:
            for group in groups:
                if fuzz.ratio(key, group[0], score_cutoff=VARIANT_SCORE):
                    group.append(key)
                    break
            else:
                groups.append([key])
        for group in groups:
            yield group, sum(lines[k][0] for k in group)


def learn(documents: Iterable[tuple[str, str]], **options: Any) -> Profile:
    """Learn a profile from (text, source) pairs in one process."""
    learner = Learner(**options)
    for text, source in documents:
        learner.add(text, source)
    return learner.finish()
