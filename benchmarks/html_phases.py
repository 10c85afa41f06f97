"""Where clean_html's time goes on a set of pages: decode, prepare, parse, blocks, choice, rules.

Used by ``html_quality.py --phases``. Each phase is timed on its own over all pages (CPU time),
replaying clean_html's steps in order, so the shares add up to roughly its total; the last
phase ("choice and text rules") is clean_html's total minus the earlier ones.
"""

from __future__ import annotations

import time

import zyte

from cleaner import clean_html
from cleaner.html import Layout
from cleaner.htmlblocks import blocks
from cleaner.htmlparse import decode_html, parse, prepare


def report(pages: list[zyte.Page]) -> None:
    def timed(fn: object, items: list[object]) -> tuple[float, list[object]]:
        start = time.process_time()
        out = [fn(item) for item in items]  # type: ignore[operator]
        return time.process_time() - start, out

    total, _ = timed(lambda p: clean_html(p.html), list(pages))
    t_decode, texts = timed(lambda p: decode_html(p.html), list(pages))
    t_prepare, prepared = timed(prepare, texts)
    t_parse, parsed = timed(lambda t: parse(t)[0], prepared)
    t_blocks, found = timed(lambda r: blocks(r) if r is not None else [], parsed)
    t_layout, _ = timed(lambda f: Layout(f).main_content(), found)
    slowest = max(pages, key=lambda p: _one(p))
    rest = total - t_decode - t_prepare - t_parse - t_blocks - t_layout
    print(f"\nclean_html phases over {len(pages)} pages, CPU seconds (share of {total:.2f} s):\n")
    print("| decode | prepare (attribute floods, XML declaration, title, early </html>) | "
          "parse (lxml) | blocks | main-content choice | text rules and the rest |")
    print("|---|---|---|---|---|---|")
    print("| " + " | ".join(f"{t:.2f} ({t / total:.0%})" for t in
                            (t_decode, t_prepare, t_parse, t_blocks, t_layout, rest)) + " |")
    print(f"\nslowest page to decode: {slowest.key} ({_one(slowest) * 1000:.1f} ms)")


def _one(page: zyte.Page) -> float:
    start = time.process_time()
    decode_html(page.html)
    return time.process_time() - start
