"""Fuzzing harness: hostile input through the library and every CLI format, -j 1 and -j 2.

Usage (from the repository root):

    python benchmarks/fuzz.py --inputs 100000 --seed 1             # the long run
    python benchmarks/fuzz.py --inputs 400 --seed 7 --batch 100    # short (tests/test_fuzz.py)

Inputs are real texts and pages (``corpus/realworld/docs.jsonl``, the seed article, the Zyte
gold bodies, the Zyte pages in ``tests/fixtures`` and ``../shared/bench/zyte/html`` when
present) cut to a random window and mutated: truncated, bytes flipped, NULs and control
characters inserted, a stretch re-encoded (Latin-1, UTF-16, Shift-JIS, CP1252), a wrong BOM,
mixed newlines, a huge line, hundreds of thousands of short or menu-like lines, deep nesting,
a giant attribute, a broken gzip; JSONL records get the text field with the wrong type
(number, null, list, object), no field, a non-object, invalid JSON, invalid UTF-8, lone
surrogates, repeated keys and deeply nested arrays. (Parquet: the CLI reads no Parquet yet,
so there is nothing to fuzz there.)

Every input goes through the library (``clean_within`` for text, ``clean_html`` for pages,
``process_line`` for records) and, in batches, through the ``clean`` command in a subprocess,
alternating ``-j 1`` and ``-j 2``. What must hold, else the input is a failure (saved to
``--failures``):

- no exception escapes the library except a ``CleanerError`` (the documented refusals: input
  that cannot be decoded, a budget exceeded); the CLI exits 0, 1 or 2 and prints no traceback;
- each input takes at most 2 s/MB of CPU (0.5 s at least), or is stopped by the budget with
  a report (the CLI runs with ``--doc-timeout``);
- a non-blank text that loses every line carries a warning;
- output order is kept: the command's output equals the library's outputs in input order,
  for ``-j 1`` and ``-j 2``; ``--fix`` leaves each file as the library says or untouched;
- nothing is dropped without a report: every file or record missing from the output is named
  in an error or warning on stderr (``path`` or ``path:line``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner import Budget, BudgetExceeded, Cleaner, CleanerError, clean_html, clean_within
from cleaner.records import process_line
from cleaner.textio import decode, encode

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
SECONDS_PER_MB = 2.0
MIN_SECONDS = 0.5
# The command's --doc-timeout: generous, since the machine is shared and the CPU-time test
# above is the real bound; it catches what would otherwise stall a batch.
CLI_TIMEOUT = 20.0
RECORD_FIELDS = ("text",)


# -- seeds ---------------------------------------------------------------------------------

@dataclass
class Seeds:
    texts: list[bytes]
    pages: list[bytes]


def load_seeds() -> Seeds:
    """Real texts and pages: what the mutations start from."""
    texts: list[bytes] = []
    for line in (REPO / "corpus" / "realworld" / "docs.jsonl").read_text("utf-8").splitlines():
        texts.append(json.loads(line)["text"].encode("utf-8", "surrogatepass"))
    texts += [p.read_bytes() for p in sorted((REPO / "corpus" / "seed").glob("*.txt"))]
    sample = REPO / "corpus" / "zyte-articlebody" / "sample.jsonl"
    if sample.exists():
        for line in sample.read_text("utf-8").splitlines():
            record = json.loads(line)
            body = record.get("articleBody") or record.get("text")
            if isinstance(body, str):
                texts.append(body.encode("utf-8"))
    pages = [gzip.decompress(p.read_bytes())
             for p in sorted((REPO / "tests" / "fixtures" / "zyte-html").glob("*.html.gz"))]
    shared = SHARED / "bench" / "zyte" / "html"
    if shared.is_dir():
        pages += [gzip.decompress(p.read_bytes()) for p in sorted(shared.glob("*.html.gz"))]
    return Seeds(texts, pages)


# -- mutations -----------------------------------------------------------------------------

Mutation = Callable[[random.Random, bytes], bytes]
LABELS = [b"Home", b"News", b"Sport", b"Menu", b"Search", b"Login", b"Contact us", b"More",
          b"[About](/about)", b"* Weather", b"Share", b"#tag"]


def window(rng: random.Random, data: bytes) -> bytes:
    """A slice of 100 B to 8 KB (mid-character cuts included)."""
    size = min(len(data), int(rng.expovariate(1 / 2500)) + 100, 8000)
    start = rng.randrange(max(1, len(data) - size + 1))
    return data[start : start + size]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def insert(rng: random.Random, data: bytes, pieces: list[bytes], count: int = 20) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, count)):
        out[rng.randrange(len(out) + 1) : 0] = rng.choice(pieces)
    return bytes(out)


def nuls(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, [b"\x00", b"\x00" * 8])


def controls(rng: random.Random, data: bytes) -> bytes:
    pieces = ["\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b",
              "\r", "\x7f", "\U0001f600", "\u0301", "\ud800"]
    return insert(rng, data, [p.encode("utf-8", "surrogatepass") for p in pieces])


def mixed_encoding(rng: random.Random, data: bytes) -> bytes:
    """A stretch of the text re-encoded in another codec, the rest left as it was."""
    text = data.decode("utf-8", "replace")
    if not text:
        return data
    start = rng.randrange(len(text))
    end = min(len(text), start + rng.randint(1, 2000))
    codec = rng.choice(["latin-1", "utf-16-le", "utf-16-be", "shift_jis", "cp1252", "koi8-r"])
    middle = text[start:end].encode(codec, "replace")
    return text[:start].encode("utf-8") + middle + text[end:].encode("utf-8")


def boms(rng: random.Random, data: bytes) -> bytes:
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf" * 2]) + data


def newlines(rng: random.Random, data: bytes) -> bytes:
    style = rng.choice([b"\r\n", b"\r", b"\n\n\n", b"\r\r\n"])
    parts = data.split(b"\n")
    return b"".join(p + (style if rng.random() < 0.7 else b"\n") for p in parts)


def huge_line(rng: random.Random, data: bytes) -> bytes:
    """One line of 100 KB to 3 MB: a JSON dump or a minified script in a text field."""
    unit = data[:200].replace(b"\n", b" ") or b"word "
    return unit * (rng.randint(100_000, 3_000_000) // len(unit) + 1)


def many_lines(rng: random.Random, data: bytes) -> bytes:
    """Hundreds of thousands of one-character or menu-like lines."""
    count = rng.randint(10_000, 400_000)
    items = [bytes([c]) for c in b"abcdefghij"] if rng.random() < 0.5 else LABELS
    return b"\n".join(rng.choice(items) for _ in range(count)) + b"\n" + data[:500]


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.randint(100, 100_000)
    tag = rng.choice([b"div", b"span", b"b", b"li", b"table"])
    return (b"<" + tag + b">") * depth + data + (b"</" + tag + b">") * depth


def giant_attribute(rng: random.Random, data: bytes) -> bytes:
    size = rng.randint(10_000, 3_000_000)
    attribute = b'<a href="' + b"x" * size + b'" class="' + b"y " * (size // 20) + b'">link</a>'
    cut = rng.randrange(len(data) + 1)
    return data[:cut] + attribute + data[cut:]


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    cut = rng.randrange(len(data) + 1)
    return data[:cut] + window(rng, other) + data[cut:]


CHEAP: list[Mutation] = [truncate, flip, nuls, controls, mixed_encoding, boms, newlines]
# Costly ones (megabytes each) are rare, so a long run stays long in inputs, not in hours.
COSTLY: list[Mutation] = [huge_line, many_lines, deep_nesting, giant_attribute]


def mutate(rng: random.Random, data: bytes, seeds: list[bytes], costly_share: float) -> bytes:
    data = window(rng, data)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        data = rng.choice(CHEAP)(rng, data) if rng.random() > 0.1 else splice(
            rng, data, rng.choice(seeds))
    if rng.random() < costly_share:
        data = rng.choice(COSTLY)(rng, data)
    return data


def record_line(rng: random.Random, number: int, text: bytes) -> bytes:
    """One JSONL line: mostly a good record, sometimes one with something wrong."""
    value = text.decode("utf-8", "surrogateescape" if rng.random() < 0.5 else "replace")
    try:
        good = json.dumps({"id": number, "text": value, "meta": {"n": number}},
                          ensure_ascii=rng.random() < 0.3)
    except UnicodeEncodeError:  # pragma: no cover - json escapes surrogates
        good = json.dumps({"id": number, "text": ""})
    roll = rng.random()
    if roll < 0.80:
        return good.encode("utf-8", "surrogatepass")
    bad: list[str] = [
        json.dumps({"id": number, "text": rng.choice([5, None, [value[:50]], {"a": 1}, True,
                                                       1.5e300])}),
        json.dumps({"id": number, "body": value[:100]}),
        json.dumps(rng.choice([[1, 2], "text", 3, None])),
        good[: rng.randrange(1, max(2, len(good)))],
        f'{{"id": {number}, "text": "\\ud800 lone \\udfff"}}',
        f'{{"id": {number}, "text": "a", "text": "Source link"}}',
        "[" * rng.randint(1000, 200_000) + "]" * rng.randint(0, 10),
        f'{{"id": {number}, "text": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "",
        "   ",
    ]
    line = rng.choice(bad)
    data = line.encode("utf-8", "surrogatepass")
    if rng.random() < 0.2:
        data = flip(rng, data)
    return data.replace(b"\n", b" ").replace(b"\r", b" ")


# -- inputs --------------------------------------------------------------------------------

@dataclass
class Input:
    kind: str  # text | html | record
    data: bytes
    name: str = ""
    gz: str = ""  # "" | "good" | "broken"


def inputs(rng: random.Random, seeds: Seeds, count: int, costly_share: float) -> Iterator[Input]:
    """``count`` inputs: 60 % JSONL records, 27 % text files, 13 % HTML pages."""
    everything = seeds.texts + seeds.pages
    for number in range(count):
        roll = rng.random()
        if roll < 0.60:
            text = mutate(rng, rng.choice(seeds.texts), everything, costly_share / 4)
            yield Input("record", record_line(rng, number, text))
        elif roll < 0.87:
            data = mutate(rng, rng.choice(seeds.texts), everything, costly_share)
            if rng.random() < 0.5:  # half stay decodable, so they reach the cleaner
                data = data.decode("utf-8", "replace").replace("\x00", "").encode("utf-8")
            gz = rng.choice(["", "", "", "good", "broken"])
            yield Input("text", data, gz=gz)
        else:
            yield Input("html", mutate(rng, rng.choice(seeds.pages), everything, costly_share))


# -- the library ---------------------------------------------------------------------------

@dataclass
class Outcome:
    """What the library made of one input: the CLI's expected output, or a refusal."""

    output: bytes | None = None  # None: refused (an error the CLI must name)
    over_budget: bool = False
    warned: bool = False


@dataclass
class Tally:
    inputs: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    stopped: Counter[str] = field(default_factory=Counter)
    warned: Counter[str] = field(default_factory=Counter)
    cli_runs: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")


def limit_for(size: int) -> float:
    return max(MIN_SECONDS, SECONDS_PER_MB * size / 1e6)


class Harness:
    def __init__(self, failures: Path, tally: Tally) -> None:
        self.cleaner = Cleaner()
        self.failures = failures
        self.tally = tally

    def fail(self, what: str, data: bytes | None = None, suffix: str = ".bin") -> None:
        number = len(self.tally.failures)
        self.tally.failures.append(what)
        self.failures.mkdir(parents=True, exist_ok=True)
        if data is not None:
            (self.failures / f"{number:05d}{suffix}").write_bytes(data)
        (self.failures / f"{number:05d}.txt").write_text(what, "utf-8")
        print(f"FAILURE {number}: {what.splitlines()[0][:300]}", file=sys.stderr, flush=True)

    def library(self, item: Input, number: int) -> Outcome:
        """Run one input through the library, check it, return what the CLI must produce."""
        tally = self.tally
        tally.inputs[item.kind] += 1
        data = item.data
        limit = limit_for(len(data))
        # Text and records must stay under ``limit`` (CPU time, checked below); the command's
        # interruption only catches a runaway. A page is held to ``limit`` by the budget
        # itself: the HTML extractor's cost is another module's, so here a slow page must be
        # stopped and reported, which is what ``stopped by budget`` counts.
        budget = Budget(max_bytes=0, timeout=limit if item.kind == "html" else CLI_TIMEOUT)
        start = time.process_time()
        try:
            outcome = self._library(item, budget)
        except BaseException as exc:  # the point: catch anything
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.fail(f"library {item.kind} #{number}: {type(exc).__name__}: {exc}\n"
                      + traceback.format_exc(), data)
            return Outcome(None)
        seconds = time.process_time() - start
        if outcome.over_budget and item.kind == "html":
            seconds = limit  # the rest was the unbudgeted run for the command's expectation
        if seconds > tally.slowest[0]:
            tally.slowest = (seconds, f"{item.kind} #{number}, {len(data):,} bytes")
        if outcome.over_budget:
            tally.stopped[item.kind] += 1
            self.failures.mkdir(parents=True, exist_ok=True)  # kept for whoever owns the cost
            (self.failures / f"stopped-{number:06d}.{item.kind}").write_bytes(data)
        elif seconds > limit:
            self.fail(f"library {item.kind} #{number}: {seconds:.2f} s CPU for {len(data):,} "
                      f"bytes, over {limit:.2f} s", data)
        if outcome.output is None:
            tally.refused[item.kind] += 1
        if outcome.warned:
            tally.warned[item.kind] += 1
        return outcome

    def _library(self, item: Input, budget: Budget) -> Outcome:
        if item.kind == "record":
            record = process_line(item.data + b"\n", 1, self.cleaner, RECORD_FIELDS, None,
                                  budget=budget)
            if record.over_budget is not None:
                return Outcome(item.data + b"\n", over_budget=True)
            if record.error is not None:
                return Outcome(None)
            return Outcome(record.output, warned=bool(record.warnings))
        if item.kind == "html":
            stopped = False
            try:
                page = budget.run(lambda: clean_html(item.data, cleaner=self.cleaner))
            except BudgetExceeded:
                # Stopped and reported. The command (with a longer --doc-timeout) may well
                # finish it, so its output is what the command must print, or, if it is
                # over that too, the page passed through.
                stopped = True
                try:
                    page = Budget(max_bytes=0, timeout=CLI_TIMEOUT).run(
                        lambda: clean_html(item.data, cleaner=self.cleaner))
                except BudgetExceeded:
                    return Outcome(item.data, over_budget=True)
            text = page.text + "\n" if page.text else ""
            return Outcome(text.encode("utf-8"), over_budget=stopped,
                           warned=not text and bool(item.data.strip()))
        try:
            text, encoding = decode(item.data, "<input>")
        except CleanerError:
            return Outcome(None)
        try:
            result = clean_within(self.cleaner, text, budget)
        except BudgetExceeded:
            return Outcome(item.data, over_budget=True)
        # A leading U+FEFF is a byte-order mark to the library, not text: a file of two BOMs
        # decodes to one and cleans to nothing, which loses nothing.
        if not result.text.strip() and text.removeprefix("\ufeff").strip() and not result.warnings:
            raise AssertionError("text emptied without a warning")
        if not result.removed:
            return Outcome(item.data, warned=bool(result.warnings))
        try:
            return Outcome(encode(result.text, encoding, "<input>"), warned=bool(result.warnings))
        except CleanerError:
            return Outcome(None)


# -- the command ---------------------------------------------------------------------------

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\w+Error: ", re.MULTILINE)


def clean_command(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=cwd,
                          capture_output=True, check=False, timeout=3600)


def named(stderr: str, name: str) -> str | None:
    """The first error or warning line naming ``name`` (a file or ``file:line``), or None."""
    for line in stderr.splitlines():
        if line.startswith(("clean: error: ", "clean: warning: ")):
            rest = line.split(": ", 2)[2]
            if rest.startswith(name + ":") or rest.startswith(name + " "):
                return line
    return None


class CommandChecks:
    """One batch of inputs of one format through ``clean``, checked against the library."""

    def __init__(self, harness: Harness, directory: Path, batch: int) -> None:
        self.harness = harness
        self.dir = directory
        self.batch = batch
        self.jobs = "1" if batch % 2 == 0 else "2"

    def run(self, what: str, args: list[str]) -> subprocess.CompletedProcess[bytes] | None:
        done = clean_command(["-j", self.jobs, "--doc-timeout", str(CLI_TIMEOUT), *args],
                             self.dir)
        self.harness.tally.cli_runs[what] += 1
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode not in (0, 1, 2) or TRACEBACK.search(stderr):
            self.harness.fail(f"clean {' '.join(args)} (-j {self.jobs}, batch {self.batch}, "
                              f"{what}): exit {done.returncode}\n{stderr[-5000:]}")
            return None
        return done

    def texts(self, items: list[Input], outcomes: list[Outcome]) -> None:
        names, files = [], []
        for index, item in enumerate(items):
            name = f"t{index:05d}.txt" + (".gz" if item.gz else "")
            data = gzip.compress(item.data, mtime=0) if item.gz else item.data
            if item.gz == "broken":
                data = data[: max(1, len(data) // 2)]
            (self.dir / name).write_bytes(data)
            names.append(name)
            files.append(data)
        done = self.run("text output", ["--on-error", "keep", *names])
        if done is not None:
            self._compare_stream("text", done, names, items, outcomes)
        done = self.run("text fix", ["--fix", *names])
        if done is None:
            return
        stderr = done.stderr.decode("utf-8", "replace")
        for name, item, outcome, written in zip(names, items, outcomes, files, strict=True):
            raw = (self.dir / name).read_bytes()
            report = named(stderr, name)
            if item.gz == "broken" or outcome.output is None:
                if report is None:
                    self.harness.fail(f"fix {name}: refused by the library, not reported by "
                                      f"--fix\n{stderr[-3000:]}", item.data)
                elif raw != written:
                    self.harness.fail(f"fix {name}: refused, yet rewritten", item.data)
                continue
            now = gzip.decompress(raw) if item.gz == "good" else raw
            if report is not None and "--doc-timeout" in report:
                if raw != written:
                    self.harness.fail(f"fix {name}: over budget, yet rewritten", item.data)
                continue
            if now != outcome.output:
                self.harness.fail(f"fix {name}: file differs from the library's output"
                                  f" ({report or 'no report'})", item.data)

    def pages(self, items: list[Input], outcomes: list[Outcome]) -> None:
        names = []
        for index, item in enumerate(items):
            name = f"p{index:05d}.html"
            (self.dir / name).write_bytes(item.data)
            names.append(name)
        done = self.run("html output", names)
        if done is not None:
            self._compare_stream("html", done, names, items, outcomes)
        if self.batch % 3 == 0:
            self.run("html check", ["--check", *names])

    def _compare_stream(self, kind: str, done: subprocess.CompletedProcess[bytes],
                        names: list[str], items: list[Input], outcomes: list[Outcome]) -> None:
        """stdout must be the library's outputs in input order; a missing one, reported."""
        stderr = done.stderr.decode("utf-8", "replace")
        expected: list[tuple[str, bytes]] = []
        for name, item, outcome in zip(names, items, outcomes, strict=True):
            report = named(stderr, name)
            binary = kind == "html" and b"\x00" in item.data[:8192] and not item.data.startswith(
                (b"\xff\xfe", b"\xfe\xff"))
            if outcome.output is None or item.gz == "broken" or binary:
                if report is None:
                    self.harness.fail(f"{kind} {name}: refused by the library but not reported"
                                      f"\n{stderr[-3000:]}", item.data)
                continue
            if report is not None and "--doc-timeout" in report:
                expected.append((name, item.data))  # stopped by the budget: passed through
                continue
            if outcome.over_budget and kind != "html":
                self.harness.fail(f"{kind} {name}: over budget in the library only", item.data)
                continue
            expected.append((name, outcome.output))
            if not outcome.output.strip() and item.data.strip() and report is None:
                self.harness.fail(f"{kind} {name}: output empty without a warning", item.data)
        if done.stdout != b"".join(data for _, data in expected):
            position, first = 0, "(the end)"
            for name, data in expected:
                if not done.stdout.startswith(data, position):
                    first = name
                    break
                position += len(data)
            index = names.index(first) if first in names else -1
            self.harness.fail(f"{kind} output (-j {self.jobs}, batch {self.batch}): stdout is "
                              f"not the library's outputs in input order from {first}: "
                              f"{done.stdout[position:position + 300]!r}\n" + stderr[-3000:],
                              items[index].data if index >= 0 else None, f".{kind}")

    def records(self, items: list[Input], outcomes: list[Outcome]) -> None:
        path = self.dir / "records.jsonl"
        lines = [item.data + b"\n" for item in items]
        path.write_bytes(b"".join(lines))
        done = self.run("jsonl keep", ["--on-error", "keep", "records.jsonl"])
        if done is not None:
            stderr = done.stderr.decode("utf-8", "replace")
            got = done.stdout.splitlines(keepends=True)
            expected = [o.output if o.output is not None else line
                        for o, line in zip(outcomes, lines, strict=True)]
            for number, (line, outcome) in enumerate(zip(lines, outcomes, strict=True), 1):
                if outcome.output is None and named(stderr, f"records.jsonl:{number}") is None:
                    self.harness.fail(f"jsonl keep: bad line {number} kept without a report",
                                      line)
            if got != expected:
                timeouts = {int(m) for m in re.findall(r"records\.jsonl:(\d+): cleaning "
                                                       r"interrupted", stderr)}
                patched = [lines[n - 1] if n in timeouts else e
                           for n, e in enumerate(expected, 1)]
                if got != patched:
                    pairs = enumerate(zip(got, patched, strict=False), 1)
                    first = next((n for n, (a, b) in pairs if a != b),
                                 min(len(got), len(patched)) + 1)
                    self.harness.fail(f"jsonl keep (-j {self.jobs}, batch {self.batch}): output "
                                      f"differs from the library from line {first} "
                                      f"({len(got)} lines out, {len(lines)} in)",
                                      b"".join(lines), ".jsonl")
        done = self.run("jsonl skip", ["--on-error", "skip", "records.jsonl"])
        if done is not None:
            stderr = done.stderr.decode("utf-8", "replace")
            skipped = {int(n) for n in re.findall(r"^clean: warning: records\.jsonl:(\d+): .*"
                                                  r"(?:\(skipped\)|; skipped)$", stderr,
                                                  re.MULTILINE)}
            kept = [o.output for n, o in enumerate(outcomes, 1)
                    if n not in skipped and o.output is not None]
            missing = [n for n, o in enumerate(outcomes, 1) if o.output is None
                       and n not in skipped]
            if missing:
                self.harness.fail(f"jsonl skip: bad lines {missing[:10]} neither out nor "
                                  "reported as skipped", b"".join(lines), ".jsonl")
            elif done.stdout != b"".join(o or b"" for o in kept):
                self.harness.fail(f"jsonl skip (-j {self.jobs}, batch {self.batch}): output is "
                                  "not the kept records in order", b"".join(lines), ".jsonl")
        if self.batch % 3 == 0:
            done = self.run("jsonl fix", ["--fix", "--on-error", "keep", "records.jsonl"])
            if done is not None and done.returncode == 0:
                stderr = done.stderr.decode("utf-8", "replace")
                now = path.read_bytes().splitlines(keepends=True)
                timeouts = {int(m) for m in re.findall(r"records\.jsonl:(\d+): cleaning "
                                                       r"interrupted", stderr)}
                expected = [line if (o.output is None or n in timeouts) else o.output
                            for n, (o, line) in enumerate(zip(outcomes, lines, strict=True), 1)]
                if now != expected:
                    self.harness.fail("jsonl fix: file differs from the library's output",
                                      b"".join(lines), ".jsonl")
            self.run("jsonl check", ["--check", "--output-format", "json", "records.jsonl"])


# -- driver --------------------------------------------------------------------------------

def run(count: int, seed: int, batch: int, failures: Path, costly_share: float,
        cli: bool = True, progress: bool = True) -> Tally:
    rng = random.Random(seed)
    seeds = load_seeds()
    tally = Tally()
    harness = Harness(failures, tally)
    stream = inputs(rng, seeds, count, costly_share)
    started = time.monotonic()
    done = 0
    number = 0
    while done < count:
        group: dict[str, list[tuple[Input, Outcome]]] = {"record": [], "text": [], "html": []}
        for item in stream:
            group[item.kind].append((item, harness.library(item, number)))
            number += 1
            done += 1
            if sum(map(len, group.values())) >= batch:
                break
        if cli:
            with tempfile.TemporaryDirectory(prefix="cleaner-fuzz-") as tmp:
                checks = CommandChecks(harness, Path(tmp), done // batch)
                for kind, method in (("record", checks.records), ("text", checks.texts),
                                     ("html", checks.pages)):
                    if group[kind]:
                        items, outcomes = zip(*group[kind], strict=True)
                        method(list(items), list(outcomes))
        if progress:
            elapsed = time.monotonic() - started
            print(f"{done}/{count} inputs, {len(tally.failures)} failures, {elapsed:.0f} s",
                  file=sys.stderr, flush=True)
    return tally


def summary(tally: Tally, count: int, seed: int, seconds: float) -> str:
    kinds = ("record", "text", "html")
    rows = ["| input kind | inputs | refused (reported) | stopped by budget | warned |",
            "|---|---|---|---|---|"]
    for kind in kinds:
        rows.append(f"| {kind} | {tally.inputs[kind]} | {tally.refused[kind]} | "
                    f"{tally.stopped[kind]} | {tally.warned[kind]} |")
    rows.append(f"\n{sum(tally.inputs.values())} inputs (seed {seed}) in {seconds:.0f} s; "
                f"CLI runs: {dict(sorted(tally.cli_runs.items()))}; failures: "
                f"{len(tally.failures)}; slowest library input: {tally.slowest[0]:.2f} s CPU "
                f"({tally.slowest[1]})")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1000,
                        help="inputs per round of CLI runs")
    parser.add_argument("--costly-share", type=float, default=0.004,
                        help="share of inputs given a megabyte-sized mutation")
    parser.add_argument("--failures", type=Path, default=Path(tempfile.gettempdir())
                        / "cleaner-fuzz-failures")
    parser.add_argument("--no-cli", action="store_true", help="the library only")
    args = parser.parse_args()
    if args.failures.exists():
        shutil.rmtree(args.failures)
    start = time.monotonic()
    tally = run(args.inputs, args.seed, args.batch, args.failures, args.costly_share,
                cli=not args.no_cli)
    print(summary(tally, args.inputs, args.seed, time.monotonic() - start))
    if tally.failures:
        print(f"failures saved in {args.failures}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
