"""Throughput of the hot loop, against the str.split floor and the peers, in one run.

Usage: python benchmarks/throughput.py ../shared/bench/zyte [--mb 50] [--skip-cli] [--skip-html]
       python benchmarks/throughput.py - --adversarial-only   (text and HTML, needs no data)

Corpus: for each of the Zyte benchmark's 181 pages, the text trafilatura extracts and the
page's full visible text, plus the seed article, repeated to --mb megabytes. Each repeat
starts with the cleaner's cross-document line cache cleared (the CLI runs with
``CLEANER_LINE_CACHE=0``), so that no copy is timed on verdicts an earlier copy cached; within
a repeat, the pages' shared lines are found in it as in any stream. Reports, on this machine
in this run:

- Cleaner.clean in one process: MB/s, documents/s, and the ratio of its time to one
  str.split() pass over the same texts (the floor), with the compiled line table and with
  the pure-Python one (``cleaner.accel``), and the C4 line rules as FineWeb sets them
  (datatrove, a benchmark-only extra) in alternating runs; then the same for each view;
- the CLI over the same corpus as JSONL with -j 1 and -j 2, and the speed-up;
- per-byte cost on 10 KB, 100 KB, 1 MB and 10 MB documents;
- adversarial inputs, text and HTML (an attribute flood, 10 MB of paragraphs, 200,000 nested
  <div>s), in seconds per MB;
- clean_html against trafilatura and resiliparse on the 181 pages (documents/s).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import zyte

import cleaner as cleaner_module
from cleaner import Cleaner, accel
from cleaner.engine import default_cleaner
from cleaner.html import parse_html
from cleaner.htmlblocks import blocks
from corpus import SEED


def visible_text(html: bytes) -> str:
    """Every visible text block of a page, one per line: what a naive scraper keeps."""
    root = parse_html(html)
    return "\n".join(b.text for b in blocks(root)) if root is not None else ""


def views(pages: Sequence[zyte.Page]) -> dict[str, list[str]]:
    """Each page's two texts, by view; the seed goes with the extracted texts."""
    import trafilatura

    extracted = [SEED.read_text("utf-8")]
    visible = []
    for page in pages:
        extracted.append(trafilatura.extract(page.html, url=page.url) or "")
        visible.append(visible_text(page.html))
    return {
        "extracted text (trafilatura)": [t for t in extracted if t.strip()],
        "full visible text": [t for t in visible if t.strip()],
    }


def interleave(parts: dict[str, list[str]]) -> list[str]:
    """The views' texts taken in turn, so any prefix of a repetition mixes them evenly."""
    columns = itertools.zip_longest(*parts.values())
    return [text for row in columns for text in row if text is not None]


def repeat_to(texts: Sequence[str], megabytes: float) -> list[str]:
    out: list[str] = []
    size = 0
    for text in itertools.cycle(texts):
        out.append(text)
        size += len(text.encode("utf-8"))
        if size >= megabytes * 1e6:
            return out
    return out


def clean_rounds(cleaner: Cleaner, corpus: list[str], period: int) -> None:
    """Clean the corpus, forgetting the cleaner's cross-document line cache at each repeat.

    The corpus is ``period`` distinct texts repeated: without the reset, every repeat after
    the first would be timed on the verdicts the first one cached.
    """
    clean = cleaner.clean
    for number, text in enumerate(corpus):
        if number % period == 0:
            cleaner.cache_clear()
        clean(text)


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Best CPU time of ``runs`` runs: on a shared machine, wall time measures the neighbours
    (single-process work only; the CLI's worker processes are timed by the wall clock)."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def pure_cleaner() -> Cleaner:
    """A Cleaner built on the pure-Python line table (what ``CLEANER_PURE=1`` runs)."""
    with accel.using(accel.reference()):
        return Cleaner()


def c4_filter() -> Callable[[str], object] | None:
    """The C4 line rules as FineWeb sets them (datatrove's ``C4QualityFilter`` with
    ``filter_no_terminal_punct=False``), with the checks that drop a whole document off, so
    that it does what a line cleaner does; None when datatrove is not installed (a
    benchmark-only extra). The same settings as ``realworld_quality.py``'s peer."""
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError:
        return None
    c4 = C4QualityFilter(filter_no_terminal_punct=False, min_num_sentences=-1,
                         filter_lorem_ipsum=False, filter_curly_bracket=False)

    def run(text: str) -> object:
        return c4.filter(Document(text=text, id="0"))

    return run


def timed_in_turn(
    cleaner: Cleaner, pure: Cleaner, corpus: list[str], runs: int, period: int
) -> tuple[float, float, float, float | None]:
    """Best CPU seconds of the floor, the loaded line table, the pure one and the C4 line
    rules (None without datatrove), alternating; ``period`` distinct texts repeat."""
    floor = seconds = reference = float("inf")
    peer = c4_filter()
    c4 = float("inf") if peer is not None else None

    def clean_pure() -> None:
        with accel.using(accel.reference()):
            clean_rounds(pure, corpus, period)

    for _ in range(runs):
        floor = min(floor, best_of(1, lambda: [t.split() for t in corpus]))
        seconds = min(seconds, best_of(1, lambda: clean_rounds(cleaner, corpus, period)))
        reference = min(reference, best_of(1, clean_pure))
        if peer is not None and c4 is not None:
            c4 = min(c4, best_of(1, lambda: [peer(t) for t in corpus]))
    return floor, seconds, reference, c4


def in_process(cleaner: Cleaner, corpus: list[str], runs: int, period: int) -> None:
    megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
    floor, seconds, reference, c4 = timed_in_turn(cleaner, pure_cleaner(), corpus, runs,
                                                  period)
    print("\n## Text path, one process\n")
    print(f"corpus: {megabytes:.1f} MB, {len(corpus)} documents (best of {runs} runs, the "
          "floor, the two paths and the C4 line rules alternating)\n")
    print("| what | seconds | MB/s | docs/s | time / floor |")
    print("|---|---|---|---|---|")
    rows = [("str.split() floor", floor),
            (f"Cleaner.clean (accelerated={cleaner_module.accelerated})", seconds),
            ("Cleaner.clean (pure-Python line table)", reference)]
    if c4 is not None:
        rows.append(("C4 line rules (datatrove C4QualityFilter, FineWeb's settings)", c4))
    for name, took in rows:
        print(f"| {name} | {took:.2f} | {megabytes / took:.1f} | {len(corpus) / took:.0f} | "
              f"{took / floor:.2f} |")
    print(f"\npure / accelerated time: {reference / seconds:.2f}x", flush=True)
    if c4 is not None:
        print(f"accelerated MB/s / C4 line rules MB/s: {c4 / seconds:.2f}", flush=True)
    else:
        print("(datatrove not installed: no C4 line rules row)", flush=True)


def by_view(cleaner: Cleaner, parts: dict[str, list[str]], runs: int) -> None:
    """The same measure on each view alone: the two differ by a factor of three or more."""
    print("\n### By view (each view's distinct texts, repeated to 10 MB)\n")
    print("| view | MB | lines | MB/s | time / floor | µs per line | pure MB/s | C4 line rules "
          "MB/s | MB/s / C4's |")
    print("|---|---|---|---|---|---|---|---|---|")
    pure = pure_cleaner()
    for name, texts in parts.items():
        corpus = repeat_to(texts, 10)
        megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
        lines = sum(t.count("\n") + 1 for t in corpus)
        floor, seconds, reference, c4 = timed_in_turn(cleaner, pure, corpus, runs, len(texts))
        peer = (f"{megabytes / c4:.1f} | {c4 / seconds:.2f}" if c4 is not None
                else "- | -")
        print(f"| {name} | {megabytes:.1f} | {lines} | {megabytes / seconds:.1f} | "
              f"{seconds / floor:.2f} | {seconds / lines * 1e6:.1f} | "
              f"{megabytes / reference:.1f} | {peer} |", flush=True)


def cli(corpus: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for number, text in enumerate(corpus):
                handle.write(json.dumps({"id": number, "text": text}) + "\n")
        megabytes = path.stat().st_size / 1e6
        print("\n## CLI over the corpus as JSONL\n")
        print(f"input: {megabytes:.1f} MB JSONL, {len(corpus)} records\n")
        print("| command | seconds | MB/s | speed-up |")
        print("|---|---|---|---|")
        first = 0.0
        for jobs in (1, 2):
            command = [sys.executable, "-m", "cleaner", "--format", "jsonl", "-j", str(jobs),
                       str(path)]
            start = time.perf_counter()
            # The corpus repeats its texts: the CLI keeps one document's line verdicts at a
            # time, so that no repeat is timed on what an earlier copy cached.
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True,
                           env={**os.environ, "CLEANER_LINE_CACHE": "0"})
            seconds = time.perf_counter() - start
            first = first or seconds
            print(f"| clean --format jsonl -j {jobs} | {seconds:.1f} | {megabytes / seconds:.1f} "
                  f"| {first / seconds:.2f}x |", flush=True)


def scaling(cleaner: Cleaner, texts: Sequence[str]) -> None:
    print("\n## Per-byte cost by document size\n")
    print("| document | seconds | µs per KB | vs 10 KB |")
    print("|---|---|---|---|")
    pool = "\n\n".join(texts)
    base = 0.0
    for size in (10_000, 100_000, 1_000_000, 10_000_000):
        text = (pool * (size // len(pool) + 1))[:size]
        count = max(1, 2_000_000 // size)
        def cold(text: str = text, count: int = count) -> None:
            for _ in range(count):  # each time as new text: no verdicts from the last
                cleaner.cache_clear()
                cleaner.clean(text)

        seconds = best_of(3, cold) / count
        per_kb = seconds / (size / 1000) * 1e6
        base = base or per_kb
        print(f"| {size // 1000:,} KB | {seconds:.4f} | {per_kb:.1f} | {per_kb / base:.2f} |",
              flush=True)


def adversarial() -> list[tuple[str, str]]:
    tags = " ".join(f"#Tag{i}" for i in range(10_000))
    near = "\n".join(f"Photo: Getty Images {i % 7} – Handout/AFP" for i in range(100_000))
    # Lines shaped to make each kind of rule work hardest: credit-like tails that fail late,
    # long runs of trigger literals, near-miss promo phrases, unclosed parentheses.
    evil_lines = [
        "– " + "Ab/" * 130,
        "(" * 390,
        "Photo: " + "A" * 380 + ":",
        "Try " + "The Free Subscribe Trial Access " * 11,
        "by " * 26,
        " ".join(["share", "follow", "comment", "related", "read more", "cookie"] * 10),
        "#" * 200 + " " + "#a " * 60,
        "a/" * 195,
    ]
    evil = "\n\n".join(itertools.islice(itertools.cycle(evil_lines), 20_000))
    # Issue 16: line-count-heavy input, where the per-line cost decides (every line goes).
    one_char = "\n".join(itertools.islice(itertools.cycle("abcdefghij"), 2_000_000))
    labels = ["Home", "News", "Sport", "World", "Business", "Menu", "Search", "Contact us",
              "About", "Login"]
    menu = "\n".join(itertools.islice(itertools.cycle(labels), 900_000))
    links = "\n".join(f"[{label}](/{label.lower().replace(' ', '-')})"
                      for label in itertools.islice(itertools.cycle(labels), 900_000))
    return [
        ("2,000,000 one-character lines", one_char),
        ("900,000 menu-like lines (labels)", menu),
        ("900,000 menu-like lines (Markdown links)", links),
        ("10 MB single line", "word " * 2_000_000),
        ("100,000 short near-identical lines", near),
        ("10,000 hashtags on one line", tags),
        ("1 MB of one repeated character", "a" * 1_000_000),
        ("1 MB of one repeated slash", "/" * 1_000_000),
        ("backtracking bait for every rule", evil),
    ]


def adversarial_html() -> list[tuple[str, str]]:
    """Pages that used to cost clean_html seconds per MB or come back empty (issue 16)."""
    paragraph = ("<p>The council voted on Tuesday to close the old bridge for repairs, after "
                 "engineers found cracks in two of its piers.</p>\n")
    flood = " ".join(f'a{i}="v{i}"' for i in range(100_000))
    depth = 200_000
    return [
        ("HTML: one <p> with 100,000 attributes",
         f"<html><body><p {flood}>{paragraph}</p></body></html>"),
        ("HTML: 10 MB of simple paragraphs",
         "<html><body><article>" + paragraph * (10_000_000 // len(paragraph))
         + "</article></body></html>"),
        ("HTML: text 200,000 <div>s deep",
         "<html><body>" + "<div>" * depth + paragraph + "</div>" * depth + "</body></html>"),
    ]


def adversarial_table(cleaner: Cleaner) -> None:
    from cleaner import clean_html

    print("\n## Adversarial inputs\n")
    print("| input | MB | seconds | s per MB | characters kept | warnings |")
    print("|---|---|---|---|---|---|")
    for name, text in adversarial():
        megabytes = len(text.encode("utf-8")) / 1e6
        cleaner.cache_clear()
        seconds = best_of(1, lambda text=text: cleaner.clean(text))
        print(f"| {name} | {megabytes:.1f} | {seconds:.2f} | {seconds / megabytes:.2f} | | |",
              flush=True)
    for name, html in adversarial_html():
        megabytes = len(html.encode("utf-8")) / 1e6
        start = time.process_time()
        result = clean_html(html, cleaner=cleaner)
        seconds = time.process_time() - start
        warned = ", ".join(w.split(":")[0] for w in result.warnings) or "none"
        print(f"| {name} | {megabytes:.1f} | {seconds:.2f} | {seconds / megabytes:.2f} | "
              f"{len(result.text)} | {warned} |", flush=True)


def html(pages: Sequence[zyte.Page], runs: int) -> None:
    import html_quality

    megabytes = sum(len(p.html) for p in pages) / 1e6
    print(f"\n## HTML path, {len(pages)} pages, {megabytes:.1f} MB (best of {runs})\n")
    print("| tool | seconds | docs/s | MB/s | vs trafilatura |")
    print("|---|---|---|---|---|")
    results = {}
    for name in ("cleaner.clean_html", "trafilatura", "resiliparse"):
        try:
            extract = html_quality.TOOLS[name]()
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | |")
            continue
        def each(extract: html_quality.Extractor = extract) -> None:
            default_cleaner().cache_clear()  # each run cold: not on the last run's verdicts
            for page in pages:
                extract(page)

        results[name] = best_of(runs, each)
    reference = results.get("trafilatura")
    for name, seconds in results.items():
        ratio = f"{reference / seconds:.2f}x" if reference else "n/a"
        print(f"| {name} | {seconds:.2f} | {len(pages) / seconds:.1f} | "
              f"{megabytes / seconds:.2f} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-html", action="store_true")
    parser.add_argument("--adversarial-only", action="store_true",
                        help="only the adversarial inputs, text and HTML (needs no data)")
    args = parser.parse_args()
    if args.adversarial_only:
        adversarial_table(Cleaner())
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    pages = zyte.load(args.data_dir)
    parts = views(pages)
    texts = interleave(parts)
    corpus = repeat_to(texts, args.mb)
    cleaner = Cleaner()
    in_process(cleaner, corpus, args.runs, len(texts))
    by_view(cleaner, parts, args.runs)
    if not args.skip_cli:
        cli(corpus)
    scaling(cleaner, texts)
    adversarial_table(cleaner)
    if not args.skip_html:
        html(pages, args.runs)


if __name__ == "__main__":
    main()
