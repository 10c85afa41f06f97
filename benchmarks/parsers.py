"""HTML parser speed on the Zyte pages: why clean_html parses with lxml, not a bs4 tree.

Usage: python benchmarks/parsers.py ../shared/bench/zyte
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import lxml.html
import zyte
from bs4 import BeautifulSoup

from cleaner.html import decode_html


def main() -> None:
    pages = zyte.load(Path(sys.argv[1]))
    texts = [decode_html(p.html) for p in pages]
    megabytes = sum(len(p.html) for p in pages) / 1e6
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {len(pages)} pages, {megabytes:.1f} MB\n")
    print("| parser | seconds | MB/s |")
    print("|---|---|---|")
    cases = [
        ("lxml.html.document_fromstring", lambda t: lxml.html.document_fromstring(t)),
        ("BeautifulSoup(text, 'lxml')", lambda t: BeautifulSoup(t, "lxml")),
        ("BeautifulSoup(text, 'html.parser')", lambda t: BeautifulSoup(t, "html.parser")),
    ]
    for name, parse in cases:
        start = time.process_time()
        for text in texts:
            parse(text)
        seconds = time.process_time() - start
        print(f"| {name} | {seconds:.2f} | {megabytes / seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
