"""Score clean_html against peers on the Zyte article benchmark, in one run on one machine.

Usage: python benchmarks/html_quality.py ../shared/bench/zyte [--repeat 1] [--only NAME ...]

Prints one Markdown table: F1 / precision / recall (the benchmark's shingle metric, see
zyte.py) and documents and MB of HTML per second per tool. Peers are benchmark-only extras
(pip install trafilatura justext resiliparse readability-lxml); a missing one is skipped and
named. The title is left out of cleaner's text because the benchmark's gold has none.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import zyte

Extractor = Callable[[zyte.Page], str]


def cleaner_tool() -> Extractor:
    from cleaner import clean_html

    def run(page: zyte.Page) -> str:
        return clean_html(page.html, url=page.url).body

    return run


def trafilatura_tool() -> Extractor:
    import trafilatura

    def run(page: zyte.Page) -> str:
        return trafilatura.extract(page.html, url=page.url) or ""

    return run


def justext_tool() -> Extractor:
    import justext

    stoplist = justext.get_stoplist("English")

    def run(page: zyte.Page) -> str:
        paragraphs = justext.justext(page.html, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def resiliparse_tool() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    def run(page: zyte.Page) -> str:
        html = bytes_to_str(page.html, detect_encoding(page.html))
        return extract_plain_text(html, main_content=True)

    return run


def readability_tool() -> Extractor:
    import lxml.html
    from readability import Document

    def run(page: zyte.Page) -> str:
        summary = Document(page.html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

    return run


TOOLS: dict[str, Callable[[], Extractor]] = {
    "cleaner.clean_html": cleaner_tool,
    "trafilatura": trafilatura_tool,
    "jusText": justext_tool,
    "resiliparse": resiliparse_tool,
    "readability-lxml": readability_tool,
}


def measure(extract: Extractor, pages: list[zyte.Page], repeat: int) -> tuple[zyte.Score, float]:
    best = float("inf")
    outputs: list[str] = []
    for _ in range(repeat):
        start = time.perf_counter()
        outputs = [extract(page) for page in pages]
        best = min(best, time.perf_counter() - start)
    counts = [zyte.page_counts(p.gold, out) for p, out in zip(pages, outputs, strict=True)]
    return zyte.score(counts), best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="timing runs; the best is kept")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    pages = zyte.load(args.data_dir)
    megabytes = sum(len(p.html) for p in pages) / 1e6
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {len(pages)} pages, {megabytes:.1f} MB of HTML")
    print("| tool | F1 | precision | recall | docs/s | MB/s |")
    print("|---|---|---|---|---|---|")
    for name, factory in TOOLS.items():
        if args.only and name not in args.only:
            continue
        try:
            extract = factory()
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | | |")
            continue
        result, seconds = measure(extract, pages, args.repeat)
        print(f"| {name} | {result.f1:.3f} | {result.precision:.3f} | {result.recall:.3f} | "
              f"{len(pages) / seconds:.1f} | {megabytes / seconds:.2f} |", flush=True)


if __name__ == "__main__":
    main()
