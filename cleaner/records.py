"""JSONL records: find the text field, clean it, put it back, leave everything else alone.

A record whose text needs no change is passed through byte for byte. For a changed record only
the text value's span in the raw line is replaced (and the annotation inserted before the
closing brace), so every other field keeps its exact bytes: ``1e5`` stays ``1e5``, escapes and
spacing stay as they were, keys keep their order.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from .budget import Budget, BudgetExceeded
from .engine import Cleaner
from .errors import CleanerError
from .parquet import iter_texts
from .result import Removal
from .textio import decode, detect_format, iter_lines, read_file


class RecordError(CleanerError):
    """A JSONL line that is not a usable record; ``str()`` is the message without location."""


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What became of one JSONL line."""

    line: int
    raw: bytes
    output: bytes | None
    removed: tuple[Removal, ...] = ()
    error: str | None = None
    over_budget: str | None = None  # why the record was passed through uncleaned
    warnings: tuple[str, ...] = ()  # the CleanResult's (a runaway user pattern, emptied text)


def parse_field(path: str) -> tuple[str, ...]:
    """Split a dotted field path (``meta.body``); empty parts are a usage error."""
    parts = tuple(path.split("."))
    if not all(parts):
        raise CleanerError(f"--field {path!r}: empty part in dotted path")
    return parts


def get_text(record: Any, field: Sequence[str]) -> str:
    """The string at ``field``, or a ``RecordError`` saying what is there instead."""
    node = record
    for part in field:
        if not isinstance(node, dict) or part not in node:
            raise RecordError(f"record has no field {'.'.join(field)!r}")
        node = node[part]
    if not isinstance(node, str):
        raise RecordError(f"field {'.'.join(field)!r} is {type(node).__name__}, not a string")
    return node


def set_value(record: dict[str, Any], field: Sequence[str], value: Any) -> None:
    """Set ``field`` in place (creating intermediate objects for annotations)."""
    node = record
    for part in field[:-1]:
        node = node.setdefault(part, {})
    node[field[-1]] = value


def read_record(
    body: bytes, field: Sequence[str], source_field: Sequence[str] | None
) -> tuple[dict[str, Any], str, str | None]:
    """(record, text, source) of one JSONL line, or a ``RecordError`` saying what is wrong."""
    try:
        # Decoded here, strictly: ``json.loads`` of bytes lets UTF-8-encoded surrogates
        # (``\xed\xa0\x80``) through, which no UTF-8 writer can then write back.
        record = json.loads(body.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "invalid UTF-8"
        raise RecordError(f"not valid JSON: {reason}") from exc
    except RecursionError as exc:  # [[[[... deeper than the parser's stack
        raise RecordError("JSON nested too deeply to parse") from exc
    if not isinstance(record, dict):
        raise RecordError(f"record is a JSON {type(record).__name__}, not an object")
    text = get_text(record, field)
    source = get_text(record, source_field) if source_field else None
    return record, text, source


def process_line(
    raw: bytes, number: int, cleaner: Cleaner, field: Sequence[str], annotate: Sequence[str] | None,
    source_field: Sequence[str] | None = None, no_title: bool = False,
    budget: Budget | None = None,
) -> RecordOutcome:
    """Clean one JSONL line; errors come back as data so the caller applies ``--on-error``.

    With a ``budget``, a line over its byte cap is not even parsed, and the whole of the
    record's work (parsing, cleaning, splicing) runs under its time limit; either comes back
    as ``over_budget`` with the line unchanged.
    """
    body = raw.rstrip(b"\r\n")
    if not body.strip():
        return RecordOutcome(number, raw, raw)
    if budget is None:
        return _process(raw, body, number, cleaner, field, annotate, source_field, no_title)
    try:
        budget.check_size(len(body))
        return budget.run(lambda: _process(raw, body, number, cleaner, field, annotate,
                                           source_field, no_title))
    except BudgetExceeded as exc:
        return RecordOutcome(number, raw, raw, over_budget=exc.reason)


def _process(
    raw: bytes, body: bytes, number: int, cleaner: Cleaner, field: Sequence[str],
    annotate: Sequence[str] | None, source_field: Sequence[str] | None, no_title: bool,
) -> RecordOutcome:
    ending = raw[len(body) :]
    try:
        record, text, source = read_record(body, field, source_field)
    except RecordError as exc:
        return RecordOutcome(number, raw, None, error=str(exc))
    result = cleaner.clean(text, source)
    cleaned = result.body if no_title else result.text
    if annotate is None and cleaned == text:
        return RecordOutcome(number, raw, raw, warnings=result.warnings)
    notes = None
    if annotate is not None:
        notes = [
            {"rule": r.rule, "name": r.name, "line": r.line, "text": r.text, "reason": r.reason}
            for r in result.removed
        ]
    line = body.decode("utf-8")
    spliced = splice(line, field, _dumps(cleaned), annotate, notes)
    if spliced is None:  # a layout the splicer does not handle: re-serialise the object
        set_value(record, field, cleaned)
        if annotate is not None:
            set_value(record, annotate, notes)
        spliced = _dumps(record)
    return RecordOutcome(number, raw, _encode(spliced) + ending, result.removed,
                         warnings=result.warnings)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _encode(line: str) -> bytes:
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from \ud800 escapes): write them escaped
        return json.dumps(json.loads(line)).encode("ascii")


_DECODER = json.JSONDecoder()
_WS = " \t\r\n"


def _skip(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in _WS:
        pos += 1
    return pos


def _value_span(line: str, start: int, field: Sequence[str]) -> tuple[int, int] | None:
    """Find the span of ``field``'s value in the object at ``start`` (None if absent/repeated)."""
    pos = _skip(line, start)
    if pos >= len(line) or line[pos] != "{":
        return None
    span: tuple[int, int] | None = None
    seen = False
    pos = _skip(line, pos + 1)
    while pos < len(line) and line[pos] == '"':
        key, pos = json.decoder.scanstring(line, pos + 1)  # type: ignore[attr-defined]
        pos = _skip(line, pos)
        if pos >= len(line) or line[pos] != ":":
            return None
        value_start = _skip(line, pos + 1)
        _, value_end = _DECODER.raw_decode(line, value_start)
        if key == field[0]:
            if seen:
                return None  # a repeated key: json.loads took the last one; do not guess
            seen = True
            span = (
                _value_span(line, value_start, field[1:]) if len(field) > 1
                else (value_start, value_end)
            )
        pos = _skip(line, value_end)
        if pos < len(line) and line[pos] == ",":
            pos = _skip(line, pos + 1)
            continue
        break
    return span


def splice(
    line: str, field: Sequence[str], value: str, annotate: Sequence[str] | None,
    notes: object,
) -> str | None:
    """Replace ``field``'s value in the raw line; append a top-level annotation if asked.

    Returns None where splicing would be ambiguous (a repeated key, a nested annotation path),
    and the caller re-serialises instead.
    """
    span = _value_span(line, 0, field)
    if span is None or (annotate is not None and len(annotate) != 1):
        return None
    out = line[: span[0]] + value + line[span[1] :]
    if annotate is None:
        return out
    if f'"{annotate[0]}"' in line:  # the field exists already: replace via re-serialising
        return None
    close = out.rstrip().rfind("}")
    inner = out[:close].rstrip()
    sep = "" if inner.endswith("{") else ", "
    return f"{inner}{sep}{_dumps(annotate[0])}: {_dumps(notes)}{out[close:]}"


def iter_documents(
    path: str, fmt: str | None, field: Sequence[str], source_field: Sequence[str] | None,
    stdin: BinaryIO | None = None,
) -> Iterator[tuple[str, str, str | None, str]]:
    """(text, source, error, where) per document of a file, streamed.

    What ``clean learn`` and ``clean report`` read. A JSONL line that is not a usable record
    yields its ``path:line: message`` as the error (the caller decides to stop or skip); a text
    file is one document of source "". A Parquet file's rows are documents too, but for null
    texts (missing, not malformed, data). ``where`` names the document: the path, with the
    JSONL line or the Parquet row after a colon.
    """
    stream = stdin if stdin is not None else sys.stdin.buffer
    kind = detect_format(path, fmt)
    if kind == "parquet":
        for row, (text, source) in enumerate(iter_texts(path, field, source_field), start=1):
            if text is not None:  # a missing text: nothing to learn from, nothing to report
                yield text, source or "", None, f"{path}:{row}"
        return
    if kind != "jsonl":
        raw = stream.read() if path == "-" else read_file(path)
        text, _ = decode(raw, path)
        yield text, "", None, path
        return
    opener = (lambda: iter(stream)) if path == "-" else None
    for number, raw in enumerate(iter_lines(path, opener), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            _, text, source = read_record(raw, field, source_field)
        except RecordError as exc:
            yield "", "", f"{where}: {exc}", where
            continue
        yield text, source or "", None, where
