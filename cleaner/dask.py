"""Cleaning and learning on Dask: the same results as one process, spread over a cluster.

``pip install "cleaner[dask]"``. Each worker builds its ``Cleaner`` once per settings and
reuses it across partitions (a Cleaner pickles as its settings, not its compiled patterns).
Learning is a map-reduce of exact counts (``learn.Counts``): partitions count, a tree
reduction sums, and the thresholds apply once at the end, so the profile equals the one
``clean learn`` writes for the same documents, whatever the partitioning.

Memory note: the reduction holds every distinct (source, line) pair of the corpus in the
merged counts; the single-process ``Learner`` spills to disk instead. For corpora whose
distinct lines do not fit one worker, learn per source or on a sample of each source.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from .engine import Cleaner
from .learn import DEFAULT_MIN_DOCS, DEFAULT_MIN_SHARE, Counts, Learner, Profile
from .records import get_text, parse_field, set_value

if TYPE_CHECKING:  # dask is an optional extra: imported only where it is used
    import dask.bag
    import dask.dataframe


def _field(path: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if path is None:
        return None
    return parse_field(path) if isinstance(path, str) else tuple(path)


_CLEANERS: dict[bytes, Cleaner] = {}


def _cleaner(settings: tuple[tuple[str, Any], ...]) -> Cleaner:
    """One Cleaner per worker process and settings, whatever the number of partitions.

    Keyed by a digest of the pickled settings: a ``Profile`` (dicts inside) is not hashable,
    and every task receives its own unpickled copy anyway.
    """
    key = hashlib.sha1(pickle.dumps(settings)).digest()
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        if len(_CLEANERS) >= 8:
            _CLEANERS.clear()
        cleaner = _CLEANERS[key] = Cleaner(**dict(settings))
    return cleaner


def _settings(options: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    frozen = []
    for key, value in sorted(options.items()):
        frozen.append((key, tuple(value) if isinstance(value, list) else value))
    return tuple(frozen)


def _count_partition(
    records: Iterable[Mapping[str, Any]], field: tuple[str, ...], source: tuple[str, ...] | None
) -> Counts:
    counts = Counts()
    for record in records:
        counts.add(get_text(record, field), get_text(record, source) if source else "")
    return counts


def _merge_counts(parts: Iterable[Counts]) -> Counts:
    total = Counts()
    for part in parts:
        total = total.merge(part)
    return total


def learn_bag(
    bag: dask.bag.Bag, *, field: str | Sequence[str] = "text",
    source_field: str | Sequence[str] | None = None, min_docs: int = DEFAULT_MIN_DOCS,
    min_share: float = DEFAULT_MIN_SHARE, split_every: int = 8,
) -> Profile:
    """Learn a profile from a bag of JSON-like records (dicts), as ``clean learn`` does."""
    text_path, source_path = _field(field), _field(source_field)
    assert text_path is not None
    counts = bag.reduction(
        lambda part: _count_partition(part, text_path, source_path),
        _merge_counts,
        split_every=split_every,
    ).compute()
    learner = Learner(min_docs=min_docs, min_share=min_share, max_entries=2**62)
    learner.merge(counts)
    return learner.finish()


def _clean_records(
    records: Iterable[dict[str, Any]], field: tuple[str, ...], source: tuple[str, ...] | None,
    annotate: tuple[str, ...] | None, settings: tuple[tuple[str, Any], ...],
) -> list[dict[str, Any]]:
    cleaner = _cleaner(settings)
    out = []
    for record in records:
        result = cleaner.clean(get_text(record, field),
                               get_text(record, source) if source else None)
        cleaned = dict(record)
        set_value(cleaned, field, result.text)
        if annotate is not None:
            set_value(cleaned, annotate, [
                {"rule": r.rule, "name": r.name, "line": r.line, "text": r.text,
                 "reason": r.reason} for r in result.removed
            ])
        out.append(cleaned)
    return out


def clean_bag(
    bag: dask.bag.Bag, *, field: str | Sequence[str] = "text",
    source_field: str | Sequence[str] | None = None,
    annotate: str | Sequence[str] | None = None, **cleaner_options: Any,
) -> dask.bag.Bag:
    """Clean the text field of every record; other fields pass through (records are copied).

    ``cleaner_options`` are ``Cleaner``'s (select, ignore, rule_files, keep_captions,
    profile...); pass a profile as a path or a ``Profile``.
    """
    text_path, source_path = _field(field), _field(source_field)
    assert text_path is not None
    settings = _settings(cleaner_options)
    return cast("dask.bag.Bag", bag.map_partitions(
        _clean_records, text_path, source_path, _field(annotate), settings
    ))


def clean_column(
    frame: dask.dataframe.DataFrame, column: str, *, source_column: str | None = None,
    **cleaner_options: Any,
) -> dask.dataframe.Series:
    """The cleaned text of ``frame[column]`` as a new Series (assign it where you want it)."""
    settings = _settings(cleaner_options)

    def clean_partition(part: Any) -> Any:
        cleaner = _cleaner(settings)
        sources = part[source_column] if source_column else [None] * len(part)
        cleaned = [cleaner.clean(text, source).text
                   for text, source in zip(part[column], sources, strict=True)]
        return part[column].__class__(cleaned, index=part.index, name=column, dtype=object)

    return cast("dask.dataframe.Series",
                frame.map_partitions(clean_partition, meta=(column, "object")))
