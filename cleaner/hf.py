"""Cleaning a Hugging Face ``datasets.Dataset`` column with ``Dataset.map(..., batched=True)``.

``pip install "cleaner[hf]"`` installs ``datasets``; this module never imports it, so it costs
nothing where datasets is absent and works with any caller that hands it a dict of columns.

``clean_batch(...)`` returns a ``BatchCleaner``: a callable that takes a batch (column name ->
list of values) and returns only the columns it changed, which ``map`` merges back, so every
other column passes through untouched. It holds a ``Cleaner``, which pickles as its settings:
``map(num_proc=N)`` ships the settings to each worker, and datasets' cache fingerprint (a hash
of the pickled function) is stable across runs with the same options.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .engine import DEFAULT_REGEX_TIMEOUT, Cleaner
from .errors import CleanerError
from .learn import Profile

__all__ = ["BatchCleaner", "RowError", "clean_batch"]


class RowError(CleanerError):
    """A row whose text cannot be cleaned; the message names the row."""


class BatchCleaner:
    """Clean one column of a batch; see ``clean_batch``."""

    def __init__(
        self, cleaner: Cleaner, column: str, *, removals: bool, removals_column: str,
        source_column: str | None, id_column: str | None, no_title: bool,
    ) -> None:
        self.cleaner = cleaner
        self.column = column
        self.removals = removals
        self.removals_column = removals_column
        self.source_column = source_column
        self.id_column = id_column
        self.no_title = no_title

    def __call__(
        self, batch: Mapping[str, Sequence[Any]], indices: Sequence[int] | None = None
    ) -> dict[str, list[Any]]:
        """The cleaned column (and the removals column) for one batch.

        ``indices`` is what ``map(..., with_indices=True)`` passes: with it, an error names
        the row's index in the dataset rather than its position in the batch.
        """
        texts = self._column(batch, self.column)
        sources = (
            self._column(batch, self.source_column) if self.source_column
            else [None] * len(texts)
        )
        cleaned: list[str | None] = []
        notes: list[list[dict[str, Any]] | None] = []
        for position, (text, source) in enumerate(zip(texts, sources, strict=True)):
            if text is None:  # a missing value stays missing: there is nothing to clean
                cleaned.append(None)
                notes.append(None)
                continue
            if not isinstance(text, str):
                raise self._error(batch, position, indices,
                                  f"{self.column!r} is {type(text).__name__}, not a string")
            if source is not None and not isinstance(source, str):
                raise self._error(batch, position, indices, f"{self.source_column!r} is "
                                  f"{type(source).__name__}, not a string")
            result = self.cleaner.clean(text, source)
            cleaned.append(result.body if self.no_title else result.text)
            notes.append([
                {"rule": r.rule, "name": r.name, "line": r.line, "text": r.text,
                 "reason": r.reason}
                for r in result.removed
            ])
        out: dict[str, list[Any]] = {self.column: cleaned}
        if self.removals:
            out[self.removals_column] = notes
        return out

    def output_features(self, features: Any) -> Any:
        """``features`` (the dataset's ``datasets.Features``) plus the removals column's type.

        Pass the result as ``map(..., features=...)`` when ``removals=True``: datasets infers
        a column's type from the first batch, and a first batch in which nothing was removed
        holds only empty lists, typed as nulls, which the next batch's records cannot join.
        This method imports datasets; the batch function does not.
        """
        from datasets import Value

        out = features.copy()
        if self.removals:
            out[self.removals_column] = [{
                "rule": Value("string"), "name": Value("string"), "line": Value("int64"),
                "text": Value("string"), "reason": Value("string"),
            }]
        return out

    @staticmethod
    def _column(batch: Mapping[str, Sequence[Any]], name: str) -> Sequence[Any]:
        if name not in batch:
            raise CleanerError(f"batch has no column {name!r} (columns: {sorted(batch)})")
        return batch[name]

    def _error(
        self, batch: Mapping[str, Sequence[Any]], position: int, indices: Sequence[int] | None,
        message: str,
    ) -> RowError:
        if self.id_column and self.id_column in batch:
            where = f"row {self.id_column}={batch[self.id_column][position]!r}"
        elif indices is not None:
            where = f"row {indices[position]}"
        else:
            where = f"row {position} of the batch (map with with_indices=True to get its index)"
        return RowError(f"{where}: {message}")


def clean_batch(
    column: str = "text",
    *,
    removals: bool = False,
    removals_column: str = "cleaner_removed",
    source_column: str | None = None,
    id_column: str | None = None,
    no_title: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    rule_files: Iterable[Path | str] = (),
    keep_captions: bool = False,
    profile: str | Path | Profile | None = None,
    regex_timeout: float = DEFAULT_REGEX_TIMEOUT,
) -> BatchCleaner:
    """A function for ``dataset.map(fn, batched=True)`` that cleans ``column``.

    The rule options are ``Cleaner``'s and are checked here, before any row is read (a
    selector that matches no rule is an error now, not in a worker). ``removals=True`` adds
    ``removals_column``: per row, a list of ``{"rule", "name", "line", "text", "reason"}``
    (the CLI's ``--annotate`` records), which Arrow stores as a list of structs; give ``map``
    ``features=fn.output_features(dataset.features)`` so that type is fixed from the start.
    ``source_column`` picks a learned profile's lines per row; ``no_title`` stores the text
    without its title line. A ``None`` text stays ``None`` (its removals are ``None`` too,
    so missing rows stay countable); any other non-string is an error naming the row, by
    ``id_column`` if given, else by index when mapped ``with_indices=True``.
    """
    cleaner = Cleaner(
        select=select, ignore=ignore, rule_files=rule_files, keep_captions=keep_captions,
        profile=profile, regex_timeout=regex_timeout,
    )
    return BatchCleaner(
        cleaner, column, removals=removals, removals_column=removals_column,
        source_column=source_column, id_column=id_column, no_title=no_title,
    )
