"""Lint diagnostics: one finding a line in the format asked for, counts, and the baseline.

Formats follow ruff: ``text`` (``path:line:col: CODE [name] message``), ``concise`` (without
the name), ``json`` (a list, streamed), ``github`` (workflow annotations). Findings are printed
as they arrive, so a linter over a large corpus shows progress and holds no list in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from .errors import CleanerError
from .result import Removal

FORMATS = ("text", "concise", "json", "github")
MESSAGE_TEXT = 60


@dataclass(frozen=True, slots=True)
class Finding:
    """A removal located in a file: ``line`` is the file's line (the record's, for JSONL)."""

    path: str
    line: int
    col: int
    removal: Removal
    in_record: bool = False

    @property
    def message(self) -> str:
        text = self.removal.text
        if len(text) > MESSAGE_TEXT:
            text = text[: MESSAGE_TEXT - 3] + "..."
        where = f" (text line {self.removal.line})" if self.in_record else ""
        return f"{self.removal.reason}: {text!r}{where}"

    def fingerprint(self) -> tuple[str, str, str]:
        """What the baseline remembers: file, rule, and a hash of the removed line."""
        digest = hashlib.sha1(self.removal.text.encode("utf-8", "surrogatepass")).hexdigest()
        return (self.path, self.removal.rule, digest[:16])


class Reporter:
    """Prints findings in one format and keeps only counts."""

    def __init__(self, out: TextIO, fmt: str, statistics: bool) -> None:
        self.out = out
        self.fmt = fmt
        self.statistics = statistics
        self.counts: Counter[str] = Counter()
        self.names: dict[str, str] = {}
        self.files: set[str] = set()
        self._first_json = True
        if fmt == "json":
            out.write("[")

    def add(self, finding: Finding) -> None:
        removal = finding.removal
        self.counts[removal.rule] += 1
        self.names[removal.rule] = removal.name
        self.files.add(finding.path)
        if self.statistics:
            return
        where = f"{finding.path}:{finding.line}:{finding.col}"
        if self.fmt == "text":
            self.out.write(f"{where}: {removal.rule} [{removal.name}] {finding.message}\n")
        elif self.fmt == "concise":
            self.out.write(f"{where}: {removal.rule} {finding.message}\n")
        elif self.fmt == "github":
            message = finding.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            self.out.write(
                f"::error title=cleaner ({removal.rule}),file={finding.path},"
                f"line={finding.line},col={finding.col}::{removal.rule} {message}\n"
            )
        else:
            record = {"path": finding.path, "line": finding.line, "col": finding.col,
                      **removal.as_dict()}
            self.out.write(("\n  " if self._first_json else ",\n  ") + json.dumps(record))
            self._first_json = False

    def close(self, fixed: int = 0) -> None:
        """Finish the stream: close the JSON list, or print statistics and the closing count."""
        total = sum(self.counts.values())
        if self.fmt == "json":
            self.out.write("\n]\n" if not self._first_json else "]\n")
            return
        if self.statistics:
            for code, count in self.counts.most_common():
                self.out.write(f"{count:>7}  {code}  {self.names[code]}\n")
        if self.fmt == "github":
            return
        if total:
            files = len(self.files)
            self.out.write(
                f"Found {total} finding{'s' if total != 1 else ''} in {files} "
                f"file{'s' if files != 1 else ''}"
                + (f" ({fixed} fixed)" if fixed else "")
                + ".\n"
            )
        elif not fixed:
            self.out.write("All clean.\n")


class Baseline:
    """Findings recorded once and tolerated afterwards.

    This lets a linter be adopted on a corpus that already has thousands of findings and still
    fail on every new one. Counted per (file, rule, line hash): if a file had two identical
    "Advertisement" lines, a third one is new.
    """

    VERSION = 1

    def __init__(self, counts: Counter[tuple[str, str, str]] | None = None) -> None:
        self.counts: Counter[tuple[str, str, str]] = counts or Counter()

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            entries = data["findings"]
            counts: Counter[tuple[str, str, str]] = Counter()
            for entry in entries:
                counts[(entry["path"], entry["rule"], entry["hash"])] += int(entry["count"])
        except OSError as exc:
            raise CleanerError(f"{path}: cannot read baseline: {exc.strerror or exc}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CleanerError(f"{path}: not a cleaner baseline file ({exc})") from exc
        return cls(counts)

    def admits(self, finding: Finding) -> bool:
        """Whether the finding is covered by the baseline (and use up one count of it)."""
        key = finding.fingerprint()
        if self.counts[key] > 0:
            self.counts[key] -= 1
            return True
        return False

    @staticmethod
    def write(path: str, findings: Iterable[tuple[str, str, str]]) -> int:
        counts = Counter(findings)
        entries = [
            {"path": p, "rule": r, "hash": h, "count": n} for (p, r, h), n in sorted(counts.items())
        ]
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"version": Baseline.VERSION, "findings": entries}, handle, indent=1)
            handle.write("\n")
        return sum(counts.values())
