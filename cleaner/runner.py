"""Running a job over files and streams: units of work, worker processes, ordered results.

Input is cut into units (a whole text file, a batch of JSONL lines, or rows of a Parquet row
group) read lazily. Units go to ``-j N`` worker processes, each of which compiles the rules
once, through a bounded window: at most a few units are in flight, so memory stays flat however
many records stream through, and results come back in input order. The main process alone
writes: stdout, fixes, diagnostics. Units that need no cleaning (ends of files, errors, a
Parquet row group as read) never go to a worker: they wait in the window in order, so a row
group's Arrow table is never pickled.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import hashlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO, TextIO

from .budget import Budget, BudgetExceeded
from .errors import CleanerError
from .html import clean_html
from .parquet import (
    ParquetBegin,
    ParquetEnd,
    ParquetSink,
    RowGroupEnd,
    RowsResult,
    RowsUnit,
    clean_rows,
    iter_units,
)
from .records import RecordOutcome, process_line
from .report import Baseline, Finding, Reporter
from .settings import Settings
from .textio import (
    BINARY_SNIFF,
    AtomicWriter,
    InputError,
    content_digest,
    decode,
    detect_format,
    encode,
    iter_lines,
    read_file,
    write_atomic,
)

BATCH_RECORDS = 256
BATCH_BYTES = 4 << 20
WINDOW_PER_WORKER = 4
MODES = ("output", "check", "fix", "diff")
DEFAULT_BUDGET = Budget()
# What became of a document over its budget that was not skipped, by mode.
_KEPT_OVER_BUDGET = {"output": "passed through unchanged", "check": "not checked",
                     "fix": "left unchanged", "diff": "left unchanged"}


@dataclass(frozen=True)
class Job:
    """What one run does, fixed before any input is read (picklable, sent to workers once)."""

    settings: Settings
    mode: str = "output"
    fmt: str | None = None
    field: tuple[str, ...] = ("text",)
    annotate: tuple[str, ...] | None = None
    on_error: str = "fail"
    encoding: str = "utf-8"
    stdin_name: str = "-"
    source_field: tuple[str, ...] | None = None
    no_title: bool = False
    budget: Budget = DEFAULT_BUDGET


@dataclass(frozen=True)
class TextUnit:
    path: str
    data: bytes | None = None


@dataclass(frozen=True)
class BatchUnit:
    path: str
    lines: tuple[tuple[int, bytes], ...]


@dataclass(frozen=True)
class EndUnit:
    """Marks the end of a JSONL file, so its fix can be committed in order.

    With ``--fix``, ``digest`` is the ``content_digest`` of the lines read, so the commit can
    refuse a file that changed meanwhile.
    """

    path: str
    digest: bytes | None = None


@dataclass(frozen=True)
class ErrorUnit:
    path: str
    message: str


Unit = (TextUnit | BatchUnit | EndUnit | ErrorUnit | ParquetBegin | RowsUnit | RowGroupEnd
        | ParquetEnd)
# Units ``work`` returns as they are: handled by the main process alone, in their place.
LOCAL_UNITS = (EndUnit, ErrorUnit, ParquetBegin, RowGroupEnd, ParquetEnd)


@dataclass
class TextResult:
    path: str
    size: int = 0
    error: str | None = None
    old: str = ""
    new: str = ""
    output: bytes = b""
    findings: list[Finding] = field(default_factory=list)
    over_budget: str | None = None  # why the document was passed through uncleaned
    digest: bytes | None = None  # --fix: content_digest of what was read
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class BatchResult:
    """A batch's outcomes; in output mode with no bad line, only the joined output lines."""

    path: str
    size: int
    outcomes: list[RecordOutcome]
    output: bytes | None = None


Result = (TextResult | BatchResult | EndUnit | ErrorUnit | ParquetBegin | RowsResult
          | RowGroupEnd | ParquetEnd)


def work(unit: Unit, job: Job) -> Result:
    """Do the CPU part of one unit; pure function of its inputs (runs in a worker)."""
    if isinstance(unit, TextUnit):
        return _work_text(unit, job)
    if isinstance(unit, RowsUnit):
        return clean_rows(unit, job.settings.cleaner_for(unit.path), job.mode,
                          job.annotate is not None, job.no_title, job.budget)
    if isinstance(unit, BatchUnit):
        cleaner = job.settings.cleaner_for(unit.path)
        outcomes = [
            process_line(raw, number, cleaner, job.field, job.annotate, job.source_field,
                         job.no_title, job.budget)
            for number, raw in unit.lines
        ]
        size = sum(len(raw) for _, raw in unit.lines)
        if job.mode == "output":
            # Plain cleaning needs only the output lines back from a worker, as one string
            # when no line was bad: the input lines, the removals and one object per record
            # would double what crosses the process boundary (and what the main process,
            # which shares the cores with the workers, unpickles) for nothing.
            if all(o.error is None and o.over_budget is None and not o.warnings
                   for o in outcomes):
                return BatchResult(unit.path, size, [],
                                   b"".join([o.output or b"" for o in outcomes]))
            outcomes = [
                o if o.error is not None or o.over_budget is not None
                else replace(o, raw=b"", removed=())
                for o in outcomes
            ]  # (warnings stay: they are reported with the record's line)
        return BatchResult(unit.path, size, outcomes)
    return unit


def _work_text(unit: TextUnit, job: Job) -> TextResult:
    path = unit.path
    try:
        raw = unit.data if unit.data is not None else read_file(path)
        job.budget.check_size(len(raw))
        fmt = detect_format(path, job.fmt)
        if fmt == "html":
            return job.budget.run(lambda: _work_html(path, raw, job))
        text, encoding = decode(raw, path, job.encoding)
        cleaner = job.settings.cleaner_for(path)
        result = job.budget.run(lambda: cleaner.clean(text))
    except BudgetExceeded as exc:
        # Passed through as read (``raw`` is bound: the budget is checked after reading).
        return TextResult(path, len(raw), output=raw, over_budget=exc.reason)
    except CleanerError as exc:
        return TextResult(path, error=str(exc))
    cleaned = result.body if job.no_title else result.text
    # Nothing removed and no title dropped: the input goes out byte for byte (blank-line
    # runs included), so a file with no findings is never rewritten.
    untouched = not result.removed and cleaned == result.text
    output = raw if untouched else encode(cleaned, encoding, path)
    findings = [Finding(path, r.line, r.col, r) for r in result.removed]
    digest = content_digest([raw]) if job.mode == "fix" and not untouched else None
    return TextResult(path, len(raw), None, text, text if untouched else cleaned, output,
                      findings, digest=digest, warnings=result.warnings)


def _work_html(path: str, raw: bytes, job: Job) -> TextResult:
    """An HTML page in, its cleaned article text out (UTF-8); findings point at HTML lines.

    ``--fix`` and ``--diff`` make no sense here (the output is text, not the page), so they
    are refused with an error rather than overwriting a page with its text.
    """
    if job.mode in ("fix", "diff"):
        return TextResult(path, error=f"{path}: --{job.mode} rewrites text files; HTML input "
                                      "can be cleaned to stdout or checked, not fixed in place")
    nul = raw.find(b"\x00", 0, BINARY_SNIFF)
    if nul >= 0 and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return TextResult(path, error=f"{path}: binary file (NUL byte at offset {nul}); "
                                      "not cleaned")
    result = clean_html(raw, cleaner=job.settings.cleaner_for(path))
    findings = [Finding(path, r.line, r.col, r) for r in result.removed]
    body = result.body if job.no_title else result.text
    text = body + "\n" if body else ""
    warnings = result.warnings
    if not text and raw.strip():
        warnings = (*warnings, "no article text found: the output is empty")
    return TextResult(path, len(raw), None, "", text, text.encode("utf-8"), findings,
                      warnings=warnings)


_WORKER_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _work_in_worker(unit: Unit) -> Result:
    assert _WORKER_JOB is not None
    return work(unit, _WORKER_JOB)


def ordered_map(
    units: Iterable[Unit], job: Job, jobs: int
) -> Generator[Result, None, None]:
    """Map ``work`` over units in order, in ``jobs`` processes, with a bounded window.

    ``concurrent.futures`` rather than ``multiprocessing.Pool``: a run that stops early (a bad
    record) left ``Pool.terminate`` joining a task thread blocked on a pipe nobody read any
    more, and the command hung for good (1 run in 30 to 70 in the fuzz harness); and a worker
    killed from outside (out of memory) left ``Pool`` waiting forever, where the executor
    reports a broken pool.
    """
    if jobs <= 1:
        for unit in units:
            yield work(unit, job)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                   initargs=(job,))
    pending: deque[Any] = deque()
    finished = False
    try:
        for unit in units:
            if isinstance(unit, LOCAL_UNITS):
                pending.append(_Done(unit))
            else:
                pending.append(executor.submit(_work_in_worker, unit))
            if len(pending) >= jobs * WINDOW_PER_WORKER:
                yield _outcome(pending.popleft())
        while pending:
            yield _outcome(pending.popleft())
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:
            _stop(executor)


def _outcome(future: Any) -> Result:
    """A unit's result; a worker that died under it is the run's error, not a hang."""
    try:
        result: Result = future.result()
    except BrokenProcessPool as exc:
        raise CleanerError(f"a worker process died ({exc}); rerun with -j 1 to find the "
                           "input that kills it") from exc
    return result


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop a run that ends early: drop the queued units, let the running ones end.

    ``cancel_futures`` drops what no worker has started; the few units already running (at
    most one a worker, and one queued behind them) finish, bounded by ``--doc-timeout``.
    Ending the workers instead left the executor's own thread reading half a message from a
    pipe a killed worker had been writing: a hang at exit, found by the fuzz harness.
    """
    executor.shutdown(wait=True, cancel_futures=True)


class _Done:
    """A local unit's place in the window: ``result`` gives it back as its own result."""

    def __init__(self, result: Result) -> None:
        self._result = result

    def result(self) -> Result:
        return self._result


def units_for(paths: Iterable[str], job: Job, stdin: BinaryIO) -> Iterator[Unit]:
    """Cut the inputs into units, reading lazily (JSONL streams; text files are read by workers)."""
    for path in paths:
        name = job.stdin_name if path == "-" else path
        fmt = detect_format(name, job.fmt)
        if fmt == "parquet":
            yield from _parquet_units(path, name, job)
            continue
        if fmt != "jsonl":
            yield TextUnit(name, stdin.read() if path == "-" else None)
            continue
        opener = (lambda: iter(stdin)) if path == "-" else None
        batch: list[tuple[int, bytes]] = []
        size = 0
        digest = hashlib.blake2b(digest_size=16) if job.mode == "fix" else None
        try:
            for number, raw in enumerate(iter_lines(name, opener), start=1):
                if digest is not None:
                    digest.update(raw)
                batch.append((number, raw))
                size += len(raw)
                if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
                    yield BatchUnit(name, tuple(batch))
                    batch, size = [], 0
        except InputError as exc:
            if batch:
                yield BatchUnit(name, tuple(batch))
            yield ErrorUnit(name, str(exc))
            continue
        if batch:
            yield BatchUnit(name, tuple(batch))
        yield EndUnit(name, digest.digest() if digest is not None else None)


def _parquet_units(path: str, name: str, job: Job) -> Iterator[Unit]:
    """A Parquet file's units; a file that cannot be read ends in an ``ErrorUnit``."""
    if path == "-":
        yield ErrorUnit(name, f"{name}: Parquet is read from a file (its footer is at the "
                              "end), not from standard input; pass the file's path")
        return
    try:
        yield from iter_units(name, job.field, job.source_field, job.annotate,
                              job.mode == "fix", BATCH_RECORDS, BATCH_BYTES)
    except CleanerError as exc:
        yield ErrorUnit(name, str(exc))


class Run:
    """The main-process side: routes results to stdout, fixes, diffs and the reporter."""

    def __init__(
        self, job: Job, out: BinaryIO, err: TextIO, reporter: Reporter | None,
        baseline: Baseline | None, record_fingerprints: bool,
        progress: Callable[[int], None] | None = None, output_path: str | None = None,
    ) -> None:
        self.job = job
        self.output_path = output_path  # -o: where a Parquet input's cleaned file goes
        self.out = out
        self.err = err
        self.reporter = reporter
        self.baseline = baseline
        self.fingerprints: list[tuple[str, str, str]] | None = [] if record_fingerprints else None
        self.progress = progress
        self.errors = 0
        self.skipped = 0
        self.kept_bad = 0
        self.findings = 0
        self.fixed_files = 0
        self.diffs = 0
        self.over_budget_kept = 0
        self.warnings = 0
        self.over_budget_skipped = 0
        self._writers: dict[str, AtomicWriter] = {}
        self._changed: set[str] = set()
        self._targets: dict[str, str] = {}  # --fix: real path -> the first name it was fixed by
        self._failed: set[str] = set()
        self._sinks: dict[str, ParquetSink] = {}
        self.stopped = False

    # -- input errors -------------------------------------------------------------------------
    def error(self, message: str) -> None:
        self.errors += 1
        self.err.write(f"clean: error: {message}\n")

    def record_error(self, path: str, outcome: RecordOutcome) -> None:
        """Apply --on-error to a bad JSONL line; it is always reported, never dropped silently."""
        policy = self.job.on_error
        where = f"{path}:{outcome.line}: {outcome.error}"
        if policy == "fail":
            self.error(where)
            self.stopped = True
            return
        self.err.write(f"clean: warning: {where} ({'skipped' if policy == 'skip' else 'kept'})\n")
        if policy == "skip":
            self.skipped += 1
        else:
            self.kept_bad += 1
            self.emit(path, outcome.raw, changed=False)

    def warn(self, path: str, line: int | None, message: str) -> None:
        """A cleaning warning (an emptied document, a runaway user pattern): the run goes on."""
        self.warnings += 1
        where = path if line is None else f"{path}:{line}"
        self.err.write(f"clean: warning: {where}: {message}\n")

    def over_budget(self, path: str, line: int | None, reason: str, droppable: bool = True) -> bool:
        """Report a document over its budget; whether to write it through unchanged.

        ``--on-error skip`` drops it from plain output; a file being fixed, checked or diffed
        keeps it as it is (a budget never deletes a record from a file), and so does a Parquet
        file (not ``droppable``: its rows line up with other data).
        """
        skip = droppable and self.job.on_error == "skip" and self.job.mode == "output"
        where = path if line is None else f"{path}:{line}"
        action = "skipped" if skip else _KEPT_OVER_BUDGET[self.job.mode]
        self.err.write(f"clean: warning: {where}: {reason}; {action}\n")
        if skip:
            self.over_budget_skipped += 1
        else:
            self.over_budget_kept += 1
        return not skip

    # -- results ------------------------------------------------------------------------------
    def handle(self, result: Result) -> None:
        if isinstance(result, ErrorUnit):
            self._abort(result.path)
            self.error(result.message)
        elif isinstance(result, EndUnit):
            self._finish(result.path, result.digest)
        elif isinstance(result, TextResult):
            self._text(result)
        elif isinstance(result, BatchResult):
            self._batch(result)
        elif isinstance(result, ParquetBegin):
            self._parquet_begin(result)
        elif isinstance(result, RowsResult):
            self._rows(result)
        elif isinstance(result, RowGroupEnd):
            self._row_group(result)
        else:
            self._parquet_end(result)

    def _finding(self, finding: Finding) -> None:
        if self.fingerprints is not None:
            self.fingerprints.append(finding.fingerprint())
        if self.baseline is not None and self.baseline.admits(finding):
            return
        self.findings += 1
        if self.reporter is not None:
            self.reporter.add(finding)

    def _text(self, result: TextResult) -> None:
        if self.progress:
            self.progress(result.size)
        if result.error is not None:
            self.error(result.error)
            return
        if result.over_budget is not None:
            keep = self.over_budget(result.path, None, result.over_budget)
            if keep and self.job.mode == "output":
                self.out.write(result.output)
            return
        for warning in result.warnings:
            self.warn(result.path, None, warning)
        for finding in result.findings:
            self._finding(finding)
        mode = self.job.mode
        if mode == "output":
            self.out.write(result.output)
        elif mode == "fix" and result.changed:
            if result.path == self.job.stdin_name:
                self.error("cannot --fix standard input; use a pipe without --fix")
                return
            if self._same_file_fixed(result.path):
                return
            try:
                write_atomic(result.path, result.output, result.digest)
            except CleanerError as exc:
                self.error(str(exc))
                return
            self.fixed_files += 1
        elif mode == "diff" and result.changed:
            self._diff(result.path, result.old.splitlines(True), result.new.splitlines(True))

    def _batch(self, result: BatchResult) -> None:
        if self.progress:
            self.progress(result.size)
        path = result.path
        if path in self._failed or self.stopped:
            return
        if result.output is not None:
            self.out.write(result.output)
            return
        for outcome in result.outcomes:
            if self.stopped:
                return
            if outcome.error is not None:
                self.record_error(path, outcome)
                if self.stopped:
                    self._abort(path)
                continue
            if outcome.over_budget is not None:
                if self.over_budget(path, outcome.line, outcome.over_budget):
                    self.emit(path, outcome.raw, changed=False)
                continue
            for warning in outcome.warnings:
                self.warn(path, outcome.line, warning)
            for removal in outcome.removed:
                self._finding(Finding(path, outcome.line, 1, removal, in_record=True))
            assert outcome.output is not None
            self.emit(path, outcome.output, changed=outcome.output != outcome.raw, raw=outcome.raw)

    def emit(self, path: str, data: bytes, changed: bool, raw: bytes | None = None) -> None:
        """Route one JSONL line's output: stdout, the file's fix, or the diff."""
        mode = self.job.mode
        if mode == "output":
            self.out.write(data)
        elif mode == "fix":
            if path == self.job.stdin_name:
                if changed and path not in self._failed:
                    self._failed.add(path)
                    self.error("cannot --fix standard input; use a pipe without --fix")
                return
            writer = self._writers.get(path)
            if writer is None and path not in self._failed:
                if self._same_file_fixed(path):
                    self._failed.add(path)
                    return
                try:
                    writer = self._writers[path] = AtomicWriter(path)
                except CleanerError as exc:
                    self._failed.add(path)
                    self.error(str(exc))
                    return
            if writer is not None:
                writer.write(data)
            if changed:
                self._changed.add(path)
        elif mode == "diff" and changed and raw is not None:
            self._diff(path, [raw.decode("utf-8", "replace")], [data.decode("utf-8", "replace")])

    # -- Parquet --------------------------------------------------------------------------------
    def _parquet_begin(self, begin: ParquetBegin) -> None:
        path, mode = begin.path, self.job.mode
        target: str | None = None
        if mode == "output":
            target = self.output_path
            if target is None:
                self._failed.add(path)
                self.error(f"{path}: Parquet is cleaned into a Parquet file: pass "
                           "-o OUT.parquet (or --fix to rewrite it in place)")
                return
        elif mode == "fix":
            if self._same_file_fixed(path):
                self._failed.add(path)
                return
            target = path
        try:
            self._sinks[path] = ParquetSink(begin.layout, target, fix=mode == "fix")
        except CleanerError as exc:
            self._failed.add(path)
            self.error(str(exc))

    def _rows(self, rows: RowsResult) -> None:
        path = rows.path
        sink = self._sinks.get(path)
        if sink is None:
            return
        for row, reason in rows.over_budget:
            self.over_budget(path, row, reason, droppable=False)
        for row, warning in rows.warnings:
            self.warn(path, row, warning)
        for row, removal in rows.removed:
            self._finding(Finding(path, row, 1, removal, in_record=True))
        for row, old, new in rows.old:
            self._diff(f"{path}:{row}", old.splitlines(True), new.splitlines(True))
        sink.add(rows)

    def _row_group(self, end: RowGroupEnd) -> None:
        if self.progress:
            self.progress(end.size)
        sink = self._sinks.get(end.path)
        if sink is None:
            return
        try:
            sink.write_group(end.take())
        except CleanerError as exc:
            self._abort(end.path)
            self.error(str(exc))

    def _parquet_end(self, end: ParquetEnd) -> None:
        sink = self._sinks.pop(end.path, None)
        if sink is None:
            return
        try:
            written = sink.commit()
        except CleanerError as exc:
            self._failed.add(end.path)
            self.error(str(exc))
            return
        self.err.write(f"clean: {sink.summary()}\n")
        if written and self.job.mode == "fix":
            self.fixed_files += 1

    def _same_file_fixed(self, path: str) -> bool:
        """Whether this file (under this name or another: a symbolic link) was fixed already.

        Its content was read before or while the other name's fix went in; writing it too
        would be a second fix of old text, which the changed-file check refuses anyway.
        """
        target = os.path.realpath(path)
        first = self._targets.get(target)
        if first is None:
            self._targets[target] = path
            return False
        self.err.write(f"clean: warning: {path}: same file as {first}, fixed once already in "
                       "this run; skipped\n")
        return True

    def _finish(self, path: str, digest: bytes | None = None) -> None:
        writer = self._writers.pop(path, None)
        if writer is None:
            return
        writer.expected = digest
        if path in self._changed:
            try:
                writer.commit()
                self.fixed_files += 1
            except CleanerError as exc:
                self.error(str(exc))
        else:
            writer.abort()  # nothing changed: leave the file (and its mtime) alone

    def _abort(self, path: str) -> None:
        writer = self._writers.pop(path, None)
        if writer is not None:
            writer.abort()
        sink = self._sinks.pop(path, None)
        if sink is not None:
            sink.abort()
        self._failed.add(path)

    def _diff(self, path: str, old: list[str], new: list[str]) -> None:
        self.diffs += 1
        lines = difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}")
        for line in lines:
            self.out.write(line.encode("utf-8", "surrogateescape"))
            if not line.endswith("\n"):
                self.out.write(b"\n\\ No newline at end of file\n")

    def close(self) -> None:
        for path in [*self._writers, *self._sinks]:
            self._abort(path)
        if self.skipped or self.kept_bad:
            self.err.write(
                f"clean: {self.skipped} bad record(s) skipped, {self.kept_bad} kept unchanged\n"
            )
        if self.warnings:
            self.err.write(f"clean: {self.warnings} warning(s)\n")
        if self.over_budget_kept or self.over_budget_skipped:
            self.err.write(
                f"clean: {self.over_budget_kept + self.over_budget_skipped} document(s) over "
                f"budget: {self.over_budget_kept} {_KEPT_OVER_BUDGET[self.job.mode]}, "
                f"{self.over_budget_skipped} skipped\n"
            )


def total_size(paths: Iterable[str]) -> int:
    """Bytes to read, for the progress bar (0 when unknown, as for stdin)."""
    total = 0
    for path in paths:
        if path != "-":
            with contextlib.suppress(OSError):
                total += os.path.getsize(path)
    return total
