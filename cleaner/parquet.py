"""Parquet shards: one row group in at a time, the same schema out, only the text column changed.

``pip install "cleaner[parquet]"`` installs pyarrow; this module imports it only when a Parquet
file is opened, so the rest of cleaner works without it and the CLI can say how to get it.

The main process opens the file, checks the columns, and reads one row group at a time. The text
column of a row group is cut into units of rows (``RowsUnit``: plain Python strings, so a
worker process gets only the texts, never the Arrow table) which go through the same worker pool
and ordered window as JSONL batches. The row group itself stays in the main process (the
``RowGroupEnd`` unit that follows its rows carries it, and never crosses a process boundary):
when the last of its rows comes back, ``ParquetSink`` swaps in the cleaned column and writes the
row group out. Memory is bounded by the row groups in that window, whatever the file's size.

Every other column goes out as the same Arrow arrays that were read: same types, values, nulls
and row order; a null text stays null and is counted. Rows are never dropped.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .budget import Budget, BudgetExceeded
from .engine import Cleaner
from .errors import CleanerError
from .result import Removal
from .textio import AtomicWriter, InputError, file_digest

INSTALL_HINT = 'pip install "cleaner[parquet]"'
# The removals' record: what JSONL ``--annotate`` writes and ``cleaner.hf`` returns.
ANNOTATION_KEYS = ("rule", "name", "line", "text", "reason")
_WRITER_VERSIONS = ("1.0", "2.4", "2.6")
_WRITER_CODECS = ("snappy", "gzip", "brotli", "lz4", "zstd")
READ_BUFFER = 1 << 20


def require_pyarrow(path: str) -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)``, or an error naming the file and the extra to install."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise CleanerError(
            f"{path}: reading Parquet needs pyarrow, which is not installed: {INSTALL_HINT}"
        ) from exc
    return pyarrow, pyarrow.parquet


def annotation_type() -> Any:
    """The removals column's Arrow type: a list of ``{rule, name, line, text, reason}``."""
    pa, _ = require_pyarrow("annotation")
    return pa.list_(pa.struct([
        ("rule", pa.string()), ("name", pa.string()), ("line", pa.int64()),
        ("text", pa.string()), ("reason", pa.string()),
    ]))


@dataclass(frozen=True)
class Layout:
    """What opening a file settled, before any row is read (kept in the main process)."""

    path: str
    schema: Any  # the output schema: the input's, plus or with the annotation column
    text_index: int
    text_name: str
    source_index: int | None
    annotate_index: int | None  # where the annotation goes in the output; None: no --annotate
    annotate_replaces: bool  # the input has that column already (a second --annotate run)
    row_groups: int
    rows: int
    compression: str
    version: str | None
    digest: bytes | None  # --fix: the file's content digest when opened


@dataclass(frozen=True)
class ParquetBegin:
    """A Parquet file opened and checked: its sink can open the output. Never sent to a worker."""

    path: str
    layout: Layout


@dataclass(frozen=True)
class RowsUnit:
    """Consecutive rows of one row group's text column: what a worker cleans."""

    path: str
    first_row: int  # 0-based, in the file
    texts: tuple[str | None, ...]
    sources: tuple[str | None, ...] | None


@dataclass
class RowGroupEnd:
    """All of a row group's rows have been sent; ``table`` is the group as read (stays local).

    The sink ``take``s the table, so it is freed once written, not when this unit is dropped
    (which is after the next row group has been read).
    """

    path: str
    index: int
    table: Any
    size: int  # compressed bytes on disk, for the progress bar

    def take(self) -> Any:
        table, self.table = self.table, None
        return table


@dataclass(frozen=True)
class ParquetEnd:
    """The last row group of a file has been sent."""

    path: str


@dataclass
class RowsResult:
    """A ``RowsUnit`` cleaned: the new values in order, and what the main process reports."""

    path: str
    first_row: int
    cleaned: list[str | None]
    notes: list[list[dict[str, Any]] | None] | None = None  # --annotate
    removed: list[tuple[int, Removal]] = field(default_factory=list)  # --check: (row, removal)
    old: list[tuple[int, str, str]] = field(default_factory=list)  # --diff: changed rows
    warnings: list[tuple[int, str]] = field(default_factory=list)
    over_budget: list[tuple[int, str]] = field(default_factory=list)
    changed: int = 0
    nulls: int = 0


def column_name(path: Sequence[str]) -> str:
    """A ``--field`` path as a Parquet column name: top-level columns only (dots included)."""
    return ".".join(path)


def _string_column(pa: Any, schema: Any, path: str, name: str, option: str) -> int:
    """The index of column ``name``, which must exist once and hold strings."""
    indices = [i for i, f in enumerate(schema) if f.name == name]
    if not indices:
        columns = ", ".join(repr(f.name) for f in schema)
        raise InputError(f"{path}: no column {name!r} ({option}); the columns are {columns}")
    if len(indices) > 1:
        raise InputError(f"{path}: column {name!r} ({option}) appears {len(indices)} times")
    kind = schema.field(indices[0]).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
            or pa.types.is_string_view(kind)):
        raise InputError(f"{path}: column {name!r} ({option}) is {kind}, not a string column")
    return indices[0]


def open_file(
    path: str, field_path: Sequence[str], source_field: Sequence[str] | None,
    annotate: Sequence[str] | None, fix: bool = False,
) -> tuple[Any, Layout]:
    """Open and check a Parquet file: ``(ParquetFile, Layout)`` or an ``InputError``."""
    pa, pq = require_pyarrow(path)
    if path == "-":
        raise InputError("-: Parquet is read from a file (its footer is at the end); "
                         "pass the file's path, not standard input")
    digest = file_digest(path) if fix else None
    try:
        # Column chunks streamed through a small buffer, not pre-read whole and cached: the
        # cache held a second copy of each row group (measured: 2x the group's bytes in Arrow).
        handle = pq.ParquetFile(path, pre_buffer=False, buffer_size=READ_BUFFER)
        schema = handle.schema_arrow
    except (OSError, pa.ArrowException, ValueError) as exc:
        if isinstance(exc, FileNotFoundError | IsADirectoryError):
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        raise InputError(f"{path}: not a Parquet file, or a corrupt one ({exc})") from exc
    text_name = column_name(field_path)
    text_index = _string_column(pa, schema, path, text_name, "--field")
    source_index = None
    if source_field is not None:
        source_index = _string_column(pa, schema, path, column_name(source_field),
                                      "--source-field")
    out_schema = schema
    annotate_index: int | None = None
    replaces = False
    if annotate is not None:
        name = column_name(annotate)
        if name == text_name or (source_index is not None and name == schema[source_index].name):
            raise InputError(f"{path}: --annotate-field {name!r} would overwrite the column "
                             "it is computed from")
        column = pa.field(name, annotation_type())
        existing = schema.get_all_field_indices(name)
        if len(existing) > 1:
            raise InputError(f"{path}: column {name!r} (--annotate-field) appears "
                             f"{len(existing)} times")
        if existing:
            annotate_index, replaces = existing[0], True
            out_schema = schema.set(annotate_index, column)
        else:
            annotate_index = len(schema)
            out_schema = schema.append(column)
    metadata = handle.metadata
    return handle, Layout(
        path=path, schema=out_schema, text_index=text_index, text_name=text_name,
        source_index=source_index, annotate_index=annotate_index, annotate_replaces=replaces,
        row_groups=metadata.num_row_groups, rows=metadata.num_rows,
        compression=_compression(metadata), version=_version(metadata), digest=digest,
    )


def _compression(metadata: Any) -> str:
    """The codec most of the input's first row group uses, so the output is stored alike."""
    if metadata.num_row_groups == 0:
        return "snappy"
    group = metadata.row_group(0)
    codecs = Counter(group.column(i).compression for i in range(group.num_columns))
    codec = str(codecs.most_common(1)[0][0]).lower() if codecs else "snappy"
    if codec == "uncompressed":
        return "none"
    return codec if codec in _WRITER_CODECS else "snappy"  # (one pyarrow reads, cannot write)


def _version(metadata: Any) -> str | None:
    version = str(metadata.format_version)
    return version if version in _WRITER_VERSIONS else None


def iter_units(
    path: str, field_path: Sequence[str], source_field: Sequence[str] | None,
    annotate: Sequence[str] | None, fix: bool, max_rows: int, max_bytes: int,
) -> Iterator[ParquetBegin | RowsUnit | RowGroupEnd | ParquetEnd]:
    """A file's units, read lazily one row group at a time; raises ``InputError`` on bad input.

    Rows are cut into units of at most ``max_rows`` rows and (but for a single larger text)
    ``max_bytes`` bytes of text, like JSONL batches.
    """
    pa, _ = require_pyarrow(path)
    handle, layout = open_file(path, field_path, source_field, annotate, fix)
    yield ParquetBegin(path, layout)
    first = 0
    for index in range(layout.row_groups):
        try:
            table = handle.read_row_group(index)
        except (OSError, pa.ArrowException, ValueError) as exc:
            raise _unreadable(pa, handle, path, index, exc) from exc
        yield from _row_units(path, table, layout, first, max_rows, max_bytes)
        group = handle.metadata.row_group(index)
        size = sum(group.column(i).total_compressed_size for i in range(group.num_columns))
        rows = table.num_rows
        yield RowGroupEnd(path, index, table, size)
        del table  # (not held while the next group is read)
        first += rows
    yield ParquetEnd(path)


def _unreadable(pa: Any, handle: Any, path: str, index: int, exc: Exception) -> InputError:
    """The error for a row group that cannot be read, naming the first column that fails."""
    for name in handle.schema_arrow.names:
        try:
            handle.read_row_group(index, columns=[name])
        except (OSError, pa.ArrowException, ValueError) as column_exc:
            exc, where = column_exc, f"column {name!r}"
            break
    else:
        where = "its columns together"
    reason = " ".join(str(exc).split())
    return InputError(f"{path}: row group {index}, {where}: corrupt, cannot be read ({reason})")


def _row_units(
    path: str, table: Any, layout: Layout, first: int, max_rows: int, max_bytes: int,
) -> Iterator[RowsUnit]:
    import pyarrow.compute as pc

    texts = table.column(layout.text_index)
    sources = table.column(layout.source_index) if layout.source_index is not None else None
    lengths = pc.fill_null(pc.binary_length(texts), 0).to_pylist() if len(texts) else []
    start = 0
    while start < len(lengths):
        stop, size = start, 0
        while stop < len(lengths) and stop - start < max_rows and (
            stop == start or size + lengths[stop] <= max_bytes
        ):
            size += lengths[stop]
            stop += 1
        yield RowsUnit(
            path, first + start, tuple(texts.slice(start, stop - start).to_pylist()),
            tuple(sources.slice(start, stop - start).to_pylist()) if sources is not None
            else None,
        )
        start = stop


def clean_rows(
    unit: RowsUnit, cleaner: Cleaner, mode: str, annotate: bool, no_title: bool, budget: Budget,
) -> RowsResult:
    """Clean a unit's texts (in a worker); a null stays null, a text over budget unchanged.

    Only what the mode reports travels back: the removals for ``--check``, the old texts of
    changed rows for ``--diff``, the annotation records for ``--annotate``.
    """
    result = RowsResult(unit.path, unit.first_row, [], [] if annotate else None)
    sources = unit.sources or (None,) * len(unit.texts)
    for offset, (text, source) in enumerate(zip(unit.texts, sources, strict=True)):
        row = unit.first_row + offset + 1  # 1-based, as lines are in messages
        if text is None:
            result.cleaned.append(None)
            result.nulls += 1
            if result.notes is not None:
                result.notes.append(None)
            continue
        try:
            if budget.max_bytes and len(text) * 4 > budget.max_bytes:  # else it cannot be over
                budget.check_size(len(text.encode("utf-8", "surrogatepass")))
            cleaning = budget.run(partial(cleaner.clean, text, source))
        except BudgetExceeded as exc:
            result.over_budget.append((row, exc.reason))
            result.cleaned.append(text)
            if result.notes is not None:
                result.notes.append([])
            continue
        cleaned = cleaning.body if no_title else cleaning.text
        result.cleaned.append(cleaned)
        result.warnings.extend((row, warning) for warning in cleaning.warnings)
        if cleaned != text:
            result.changed += 1
            if mode == "diff":
                result.old.append((row, text, cleaned))
        if mode == "check":
            result.removed.extend((row, removal) for removal in cleaning.removed)
        if result.notes is not None:
            result.notes.append([
                {"rule": r.rule, "name": r.name, "line": r.line, "text": r.text,
                 "reason": r.reason}
                for r in cleaning.removed
            ])
    return result


class ParquetSink:
    """The main-process end of one file: gathers cleaned rows, writes each row group whole.

    ``target`` is where the cleaned file goes: the ``-o`` path (written beside it under a
    temporary name, renamed over it at the end), the input itself (``--fix``, through
    ``AtomicWriter``: same rename, same refusal of read-only, hard-linked or changed files),
    or None (``--check``, ``--diff``: nothing written, rows only counted).
    """

    def __init__(self, layout: Layout, target: str | None, fix: bool) -> None:
        self.layout = layout
        self.fix = fix
        self.rows = 0
        self.nulls = 0
        self.changed = 0
        self.groups = 0
        # The current row group's cleaned values, as Arrow chunks (one per unit): Python
        # strings live only as long as one unit's.
        self._cleaned: list[Any] = []
        self._notes: list[Any] = []
        self._pending = 0
        self._atomic: AtomicWriter | None = None
        self._tmp: str | None = None
        self._target = target
        self._writer: Any = None
        if target is None:
            return
        _, pq = require_pyarrow(layout.path)
        options: dict[str, Any] = {"compression": layout.compression}
        if layout.version is not None:
            options["version"] = layout.version
        if fix:
            self._atomic = AtomicWriter(target, layout.digest)
            sink: Any = self._atomic.handle
        else:
            sink = self._tmp = _temporary_beside(target)
        try:
            self._writer = pq.ParquetWriter(sink, layout.schema, **options)
        except (OSError, ValueError) as exc:
            self.abort()
            raise InputError(f"{target}: cannot write output: {exc}") from exc

    def add(self, rows: RowsResult) -> None:
        self._pending += len(rows.cleaned)
        if self._writer is not None:
            pa, _ = require_pyarrow(self.layout.path)
            schema = self.layout.schema
            self._cleaned.append(pa.array(rows.cleaned,
                                          type=schema.field(self.layout.text_index).type))
            if self.layout.annotate_index is not None:
                self._notes.append(pa.array(rows.notes,
                                            type=schema.field(self.layout.annotate_index).type))
        self.nulls += rows.nulls
        self.changed += rows.changed

    def write_group(self, table: Any) -> None:
        """Swap the cleaned column (and the annotation) into the row group as read; write it."""
        layout = self.layout
        if self._pending != table.num_rows:  # a unit lost on the way: a bug, say so
            raise CleanerError(f"{layout.path}: row group {self.groups}: {self._pending} "
                               f"cleaned values for {table.num_rows} rows")
        self.rows += table.num_rows
        self.groups += 1
        if self._writer is not None:
            pa, _ = require_pyarrow(layout.path)
            try:
                self._writer.write_table(self._replaced(pa, table),
                                         row_group_size=max(table.num_rows, 1))
            except (OSError, ValueError, pa.ArrowException) as exc:
                raise InputError(f"{self._target}: cannot write output: {exc}") from exc
        self._cleaned, self._notes, self._pending = [], [], 0

    def _replaced(self, pa: Any, table: Any) -> Any:
        """The row group with the cleaned column, and the annotation, in their places."""
        layout, schema = self.layout, self.layout.schema
        text_field = schema.field(layout.text_index)
        table = table.set_column(layout.text_index, text_field,
                                 pa.chunked_array(self._cleaned, type=text_field.type))
        if layout.annotate_index is None:
            return table
        column = schema.field(layout.annotate_index)
        notes = pa.chunked_array(self._notes, type=column.type)
        if layout.annotate_replaces:
            return table.set_column(layout.annotate_index, column, notes)
        return table.append_column(column, notes)

    @property
    def modified(self) -> bool:
        """Whether the output differs from the input (a fix with no change writes nothing)."""
        return self.changed > 0 or self.layout.annotate_index is not None

    def commit(self) -> bool:
        """Finish the output; return whether a file was written (False: nothing to write)."""
        if self._writer is None:
            return False
        pa, _ = require_pyarrow(self.layout.path)
        try:
            self._writer.close()
        except (OSError, ValueError, pa.ArrowException) as exc:
            self.abort()
            raise InputError(f"{self._target}: cannot write output: {exc}") from exc
        self._writer = None
        if self._atomic is not None:
            if not self.modified:
                self._atomic.abort()  # nothing changed: leave the file (and its mtime) alone
                return False
            self._atomic.commit()
            return True
        assert self._tmp is not None and self._target is not None
        try:
            os.replace(self._tmp, self._target)
        except OSError as exc:
            self.abort()
            raise InputError(f"{self._target}: cannot write output: "
                             f"{exc.strerror or exc}") from exc
        self._tmp = None
        return True

    def abort(self) -> None:
        """Drop the partial output; the input and any existing ``-o`` file stay as they were."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        if self._atomic is not None:
            self._atomic.abort()
        if self._tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)
            self._tmp = None

    def summary(self) -> str:
        return (f"{self.layout.path}: {self.rows:,} row(s) in {self.groups} row group(s), "
                f"{self.changed:,} changed, {self.nulls:,} null {self.layout.text_name!r} "
                "value(s) passed through")


def _temporary_beside(target: str) -> str:
    """A new file next to ``target``, with the permissions a plain ``open`` would give it."""
    where = Path(target).resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{Path(target).name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{target}: cannot write output: {exc.strerror or exc}") from exc
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return tmp


def iter_texts(
    path: str, field_path: Sequence[str], source_field: Sequence[str] | None,
) -> Iterator[tuple[str | None, str | None]]:
    """``(text, source)`` per row, one row group at a time: what ``clean learn`` reads."""
    pa, _ = require_pyarrow(path)
    handle, layout = open_file(path, field_path, source_field, None)
    for index in range(layout.row_groups):
        columns = [layout.text_index]
        if layout.source_index is not None:
            columns.append(layout.source_index)
        try:
            table = handle.read_row_group(index, columns=[layout.schema[i].name for i in columns])
        except (OSError, pa.ArrowException, ValueError) as exc:
            raise _unreadable(pa, handle, path, index, exc) from exc
        texts = table.column(0).to_pylist()
        sources = table.column(1).to_pylist() if len(columns) > 1 else [None] * len(texts)
        yield from zip(texts, sources, strict=True)
