"""A datatrove pipeline step that cleans ``doc.text``, and a filter that reads what it recorded.

``pip install "cleaner[datatrove]"``. ``CleanerStep`` gives the same text as
``clean --format jsonl`` on the same records and records in ``doc.metadata`` what went, so the
audit trail travels with the document through the rest of the pipeline.
``RemovedShareFilter`` then drops documents that were mostly cruft, reading that record
rather than cleaning again.

The step holds a compiled ``Cleaner``: building it in the constructor turns a bad selector or
rule file into an error at pipeline definition, not in the middle of a task. A ``Cleaner``
pickles as its settings, so datatrove's process pool (and its per-task deep copy) ships the
settings and each task compiles the rules once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .engine import DEFAULT_REGEX_TIMEOUT, Cleaner
from .errors import CleanerError
from .learn import Profile
from .records import RecordError, get_text, parse_field
from .result import CleanResult

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from loguru import logger  # what datatrove logs with (a dependency of it)
except ImportError as exc:  # an optional extra: say how to get it rather than a bare traceback
    raise ImportError(
        'cleaner.datatrove needs datatrove: pip install "cleaner[datatrove]"'
    ) from exc

__all__ = [
    "DEFAULT_METADATA_KEY", "CleanerStep", "DocumentError", "RemovedShareFilter", "removed_share",
    "summarise",
]

# Where the step writes its record in ``doc.metadata`` (one key: one thing to drop or rename).
DEFAULT_METADATA_KEY = "cleaner"


class DocumentError(CleanerError):
    """A document the step cannot clean; the message names its id."""


def _doc_error(doc: Document, message: str) -> DocumentError:
    return DocumentError(f"document {doc.id!r}: {message}")


def summarise(result: CleanResult, original: str, removals: bool) -> dict[str, Any]:
    """The metadata record of one cleaning: sizes, removed characters, counts per rule.

    ``rules`` is a list of ``{"rule", "count"}`` pairs, not a dict keyed by code: a Parquet or
    Arrow writer fixes its schema from the first batch, and a dict's keys (the codes that
    fired) change from document to document. ``removed_chars`` counts the characters of the
    removed lines and ``line_chars`` those of all lines, line breaks left out of both, so a
    document that was nothing but cruft has a share of exactly 1. ``chars`` is
    ``len(text)`` before cleaning. A title left out with ``no_title`` is not a removal.
    """
    counts = Counter(r.rule for r in result.removed)
    record: dict[str, Any] = {
        "chars": len(original),
        "line_chars": len(original) - original.count("\n") - original.count("\r"),
        "removed_chars": sum(len(r.text) for r in result.removed),
        "removed_lines": len(result.removed),
        "rules": [{"rule": code, "count": n} for code, n in sorted(counts.items())],
    }
    if removals:
        record["removals"] = [
            {"rule": r.rule, "name": r.name, "line": r.line, "text": r.text, "reason": r.reason}
            for r in result.removed
        ]
    return record


class CleanerStep(PipelineStep):  # type: ignore[misc]  # datatrove is untyped
    """Clean ``doc.text`` in place and record the removals under ``doc.metadata[metadata_key]``.

    ``select``, ``ignore``, ``rule_files``, ``keep_captions``, ``profile`` and
    ``regex_timeout`` are ``Cleaner``'s. ``source_key`` is a dotted path into ``doc.metadata``
    (``JsonlReader`` puts a record's other fields there, so ``meta.domain`` names the same
    value as the CLI's ``--source-field meta.domain``); it picks the profile's lines.
    ``no_title`` keeps the text without its title line, as ``--no-title``. ``removals=True``
    also stores every removed line with its rule and reason (large; off by default).

    A text that is not a string, or a missing source, is an error naming the document id:
    the task stops rather than passing on a document it did not clean.
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        rule_files: Iterable[Path | str] = (),
        keep_captions: bool = False,
        profile: str | Path | Profile | None = None,
        regex_timeout: float = DEFAULT_REGEX_TIMEOUT,
        source_key: str | None = None,
        no_title: bool = False,
        metadata_key: str = DEFAULT_METADATA_KEY,
        removals: bool = False,
    ) -> None:
        super().__init__()
        self.cleaner = Cleaner(
            select=select, ignore=ignore, rule_files=rule_files, keep_captions=keep_captions,
            profile=profile, regex_timeout=regex_timeout,
        )
        # Plain copies for datatrove's executor.json, which prints the step's attributes.
        self.settings = {k: v for k, v in self.cleaner.settings.items() if k != "profile"}
        self.source_key: tuple[str, ...] | None = (
            parse_field(source_key) if source_key else None
        )
        self.no_title = no_title
        self.metadata_key = metadata_key
        self.removals = removals

    def clean(self, doc: Document) -> None:
        """Clean one document in place: its text, and its metadata record."""
        if not isinstance(doc.text, str):
            raise _doc_error(doc, f"text is {type(doc.text).__name__}, not a string")
        source = None
        if self.source_key is not None:
            try:
                source = get_text(doc.metadata, self.source_key)
            except RecordError as exc:
                raise _doc_error(doc, f"metadata: {exc}") from exc
        original = doc.text
        result = self.cleaner.clean(original, source)
        doc.text = result.body if self.no_title else result.text
        record = summarise(result, original, self.removals)
        doc.metadata[self.metadata_key] = record
        if result.removed:
            self.stat_update("changed")
            self.stat_update("removed_lines", value=record["removed_lines"])
            self.stat_update("removed_chars", value=record["removed_chars"])
            for entry in record["rules"]:
                self.stat_update(f"rule_{entry['rule']}", value=entry["count"])
        for warning in result.warnings:  # a user pattern over its time budget: the line stays
            self.stat_update("warnings")
            logger.warning(f"document {doc.id!r}: {warning}")

    def run(
        self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1
    ) -> DocumentsPipeline:
        """Clean every document and pass it on; none is dropped here (that is the filter's job)."""
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                self.clean(doc)
            yield doc


class RemovedShareFilter(BaseFilter):  # type: ignore[misc]  # datatrove is untyped
    """Drop documents of which cleaning removed more than ``max_share`` of the characters.

    Reads the record ``CleanerStep`` wrote (same ``metadata_key``) instead of cleaning again.
    The threshold has no default: what share of cruft makes a page worthless depends on the
    corpus. A document is dropped when ``removed_chars / line_chars > max_share`` (see
    ``summarise``); an empty document has a share of 0. A document without the record is an
    error naming its id (the step is missing or uses another key), never a silent pass or drop.
    """

    name = "🧹 cleaner removed share"

    def __init__(
        self,
        max_share: float,
        *,
        metadata_key: str = DEFAULT_METADATA_KEY,
        exclusion_writer: DiskWriter | None = None,
    ) -> None:
        if not 0.0 <= max_share <= 1.0:
            raise ValueError(f"max_share must be between 0 and 1, not {max_share!r}")
        super().__init__(exclusion_writer)
        self.max_share = max_share
        self.metadata_key = metadata_key

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        """Keep the document unless its removed share is over the threshold."""
        share = removed_share(doc, self.metadata_key)
        if share > self.max_share:
            return False, "cleaner_removed_share"
        return True


def removed_share(doc: Document, metadata_key: str = DEFAULT_METADATA_KEY) -> float:
    """The share of ``doc``'s original line characters that ``CleanerStep`` removed."""
    record = doc.metadata.get(metadata_key)
    if not isinstance(record, dict) or not {"line_chars", "removed_chars"} <= record.keys():
        raise _doc_error(
            doc, f"no cleaner record under metadata[{metadata_key!r}]: run CleanerStep first"
        )
    chars, removed = record["line_chars"], record["removed_chars"]
    return float(removed) / chars if chars else 0.0
