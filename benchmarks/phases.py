"""Where the text path's time goes: per-phase CPU time and per-rule pattern tries.

Usage: python benchmarks/phases.py ../shared/bench/zyte [--view extracted|visible|both] [--runs 7]

Cleans the distinct texts of the throughput corpus (each Zyte page's trafilatura text and full
visible text, plus the seed) with the engine's methods wrapped in timers: parse, the trigger
scan, the line stage, each document rule, the title and the result. Best of ``--runs`` per
phase; the wrappers add a few per cent. Then counts, per line rule, the blocks its pattern was
tried on, which is what the triggers exist to keep small.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import throughput
import zyte

from cleaner import Cleaner, engine

VIEWS = {"extracted": "extracted text (trafilatura)", "visible": "full visible text"}


def timed(totals: Counter[str], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += time.process_time() - start
    return wrapper


def document_rule(totals: Counter[str], code: str, find: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(ctx: Any) -> list[Any]:
        start = time.process_time()
        found = list(find(ctx))
        totals[code] += time.process_time() - start
        return found
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--view", choices=["extracted", "visible", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    parts = throughput.views(zyte.load(args.data_dir))
    texts = (throughput.interleave(parts) if args.view == "both" else parts[VIEWS[args.view]])
    cleaner = Cleaner()
    floor = min(throughput.best_of(1, lambda: [t.split() for t in texts])
                for _ in range(args.runs))
    totals: Counter[str] = Counter()
    engine.parse = timed(totals, "parse", engine.parse)  # type: ignore[assignment]
    cleaner._triggers.scan = timed(totals, "trigger scan", cleaner._triggers.scan)  # type: ignore[method-assign]
    cleaner._line_stage = timed(totals, "line stage", cleaner._line_stage)  # type: ignore[method-assign]
    cleaner._result = timed(totals, "result", cleaner._result)  # type: ignore[method-assign]
    engine.find_title = timed(totals, "title", engine.find_title)
    for matcher in cleaner._document:
        matcher.find = document_rule(totals, matcher.rule.code, matcher.find)  # type: ignore[method-assign]
    best: dict[str, float] = {}
    total = float("inf")
    for _ in range(args.runs):
        totals.clear()
        cleaner.cache_clear()  # each run cold: not on the line verdicts the last one kept
        start = time.process_time()
        for text in texts:
            cleaner.clean(text)
        total = min(total, time.process_time() - start)
        for name, seconds in totals.items():
            best[name] = min(best.get(name, float("inf")), seconds)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    lines = sum(t.count("\n") + 1 for t in texts)
    print(f"{len(texts)} texts, {megabytes:.2f} MB, {lines} lines ({args.view}); "
          f"str.split floor {floor * 1e3:.1f} ms; clean {total * 1e3:.0f} ms with timers\n")
    print("| phase | ms (best of runs) |")
    print("|---|---|")
    for name, seconds in sorted(best.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds * 1e3:.1f} |")
    counts: Counter[str] = Counter()
    cleaner = Cleaner()
    for matcher in cleaner._line:
        def counting(block: Any, fn: Callable[..., Any] = matcher.match,
                     code: str = matcher.rule.code) -> Any:
            counts[code] += 1
            return fn(block)
        matcher.match = counting  # type: ignore[method-assign]
    for text in texts:
        cleaner.clean(text)
    print(f"\n(block, rule) pairs tried: {sum(counts.values())}\n")
    print("| rule | tries |")
    print("|---|---|")
    for code, count in counts.most_common():
        print(f"| {code} | {count} |")


if __name__ == "__main__":
    main()
