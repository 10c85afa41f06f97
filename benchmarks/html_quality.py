"""Score clean_html against peers on an extraction benchmark, in one run on one machine.

Usage: python benchmarks/html_quality.py DATA_DIR [--kind zyte|cleaneval|l3s|dragnet|articles|wcxb]
       [--repeat 1] [--only NAME ...] [--worst 10] [--limit N] [--skip-in FOLDER]

DATA_DIR is the Zyte benchmark folder or one of CleanEval, L3S-GN1 (page-signal) or Dragnet
(``input/`` + ``GoldStandard/``), the newspaper4k article extraction dataset (``articles.json``
+ ``html/``) or a split folder of WCXB (``ground-truth/`` + ``html/``), see extraction_sets.py;
the kind is guessed from its layout. For WCXB the table is followed by mean page F1 per page
type (article, forum, product ...).
Prints one Markdown table: F1 / precision / recall (the Zyte shingle metric, see zyte.py),
documents and MB of HTML per second, the slowest page, pages that raised, and "collapses":
pages where trafilatura returns over 500 characters and the tool under 10 % of that (the
failure a pipeline notices as a missing article), counted three ways: the tool's article text
against trafilatura's default output (which includes the comment thread), the article text plus
the comments the tool returns apart (clean_html's ``CleanResult.comments``; other tools return
no separate comments) against the same, the article text against trafilatura without
comments, and the article text against the gold itself (gold over 500 characters, the tool
under 10 % of it: the count that needs no peer, and the one that says whether a collapse
against trafilatura's default call is only the comment thread that call keeps and the gold
does not). Then, for cleaner, the worst pages by F1
with what trafilatura got on them. Peers are benchmark-only extras (pip install trafilatura
justext resiliparse readability-lxml); a missing one is skipped and named. The title is left
out of cleaner's text because no gold here counts the headline as body.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import extraction_sets
import html_phases
import zyte

from cleaner.engine import default_cleaner

# An extractor returns its article text, or (article text, comments returned apart).
Extractor = Callable[[zyte.Page], str | tuple[str, str]]


def cleaner_tool() -> Extractor:
    from cleaner import clean_html

    def run(page: zyte.Page) -> tuple[str, str]:
        result = clean_html(page.html, url=page.url)
        return result.body, result.comments

    return run


def trafilatura_tool() -> Extractor:
    import trafilatura

    def run(page: zyte.Page) -> str:
        return trafilatura.extract(page.html, url=page.url) or ""

    return run


def trafilatura_no_comments_tool() -> Extractor:
    """trafilatura without comments: no gold here counts comments as article text, and
    ``extract`` keeps them by default, so this is the stronger peer on comment-heavy sets."""
    import trafilatura

    def run(page: zyte.Page) -> str:
        return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""

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
    "trafilatura (no comments)": trafilatura_no_comments_tool,
    "jusText": justext_tool,
    "resiliparse": resiliparse_tool,
    "readability-lxml": readability_tool,
}


@dataclass
class Run:
    """One tool's outputs on every page, with the time each took."""

    outputs: list[str]
    seconds: list[float]
    errors: int
    comments: list[str]


def measure(extract: Extractor, pages: list[zyte.Page], repeat: int) -> Run:
    best: Run | None = None
    if pages:  # one untimed call: compiling rules or loading models is not per-page cost
        with contextlib.suppress(Exception):
            extract(pages[0])
    for _ in range(repeat):
        # clean_html's cleaner keeps line verdicts across documents: each round starts cold,
        # not on what the warm-up call or the round before cached.
        default_cleaner().cache_clear()
        outputs, seconds, errors, comments = [], [], 0, []
        for page in pages:
            start = time.perf_counter()
            try:
                out = extract(page)
            except Exception:  # a peer's crash is a result to count, not a reason to stop
                out, errors = "", errors + 1
            seconds.append(time.perf_counter() - start)
            body, aside = out if isinstance(out, tuple) else (out, "")
            outputs.append(body)
            comments.append(aside)
        if best is None or sum(seconds) < sum(best.seconds):
            best = Run(outputs, seconds, errors, comments)
    assert best is not None
    return best


def cached_measure(name: str, extract: Extractor, pages: list[zyte.Page], repeat: int,
                   cache: Path | None) -> Run:
    """``measure``, reusing a peer's outputs and timings stored under ``cache`` by an earlier
    run on the same pages (same keys, same HTML, same peer version).

    Peers take most of a run's time and do not change while clean_html is worked on; their
    timings in a cached file are from the run that wrote it, so the speed ratio of a cached
    run compares clean_html now with the peer then (run without ``--cache`` for a table whose
    timings are all from one run). clean_html itself is never cached.
    """
    if cache is None or name == "cleaner.clean_html":
        return measure(extract, pages, repeat)
    digest = hashlib.sha1()
    digest.update(name.encode())
    digest.update(_peer_version(name).encode())
    for page in pages:
        digest.update(page.key.encode())
        digest.update(hashlib.sha1(page.html).digest())
    path = cache / f"{digest.hexdigest()}.json"
    if path.exists():
        stored = json.loads(path.read_text("utf-8"))
        return Run(stored["outputs"], stored["seconds"], stored["errors"], stored["comments"])
    run = measure(extract, pages, repeat)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(run.__dict__), "utf-8")
    return run


def _peer_version(name: str) -> str:
    module = {"trafilatura": "trafilatura", "trafilatura (no comments)": "trafilatura",
              "jusText": "justext", "resiliparse": "resiliparse",
              "readability-lxml": "readability-lxml"}.get(name, name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "?"


def collapses(run: Run, reference: Run, with_comments: bool = False) -> int:
    """Pages where the reference found an article (> 500 chars) and the run under 10 % of it.

    ``with_comments`` adds the comments the tool returned apart to its article text.
    """
    return sum(
        1 for out, aside, ref in zip(run.outputs, run.comments, reference.outputs, strict=True)
        if len(ref) > 500 and len(out) + (len(aside) if with_comments else 0) < 0.1 * len(ref)
    )


def gold_collapses(run: Run, pages: list[zyte.Page]) -> int:
    """Pages whose gold is over 500 characters and the tool's article text under 10 % of it."""
    return sum(1 for out, page in zip(run.outputs, pages, strict=True)
               if len(page.gold) > 500 and len(out) < 0.1 * len(page.gold))


def page_f1(gold: str, out: str) -> float:
    tp, fp, fn = zyte.page_counts(gold, out)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def by_type(pages: list[zyte.Page], runs: dict[str, Run], types: dict[str, str]) -> None:
    """Mean page F1 of each tool per page type, for a set that names its pages' types."""
    if not types or not runs:
        return
    groups: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        groups.setdefault(types.get(page.key, "?"), []).append(i)
    names = list(runs)
    print("\nMean page F1 by page type:\n")
    print("| type | pages | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for kind, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        means = [sum(page_f1(pages[i].gold, runs[n].outputs[i]) for i in members) / len(members)
                 for n in names]
        print(f"| {kind} | {len(members)} | " + " | ".join(f"{m:.3f}" for m in means) + " |")


def worst(pages: list[zyte.Page], runs: dict[str, Run], count: int) -> None:
    ours, theirs = runs.get("cleaner.clean_html"), runs.get("trafilatura")
    if ours is None or count <= 0:
        return
    rows = []
    for i, page in enumerate(pages):
        f1 = page_f1(page.gold, ours.outputs[i])
        ref = page_f1(page.gold, theirs.outputs[i]) if theirs else float("nan")
        rows.append((f1 - (ref if theirs else 0.0), f1, ref, i))
    rows.sort()
    print(f"\nWorst {count} pages for cleaner (by F1 minus trafilatura's F1):\n")
    print("| page | cleaner F1 | trafilatura F1 | gold chars | cleaner chars | "
          "trafilatura chars | cleaner s |")
    print("|---|---|---|---|---|---|---|")
    for _, f1, ref, i in rows[:count]:
        ref_chars = len(theirs.outputs[i]) if theirs else 0
        print(f"| {pages[i].key} | {f1:.3f} | {ref:.3f} | {len(pages[i].gold)} | "
              f"{len(ours.outputs[i])} | {ref_chars} | {ours.seconds[i]:.3f} |")


def collapsed_pages(pages: list[zyte.Page], runs: dict[str, Run]) -> None:
    """Every page where clean_html's article text collapsed by any count (against default
    trafilatura, against trafilatura without comments, against the gold), which counts it
    collapsed by, and whether the comments it returned apart make up the difference."""
    ours, theirs = runs.get("cleaner.clean_html"), runs.get("trafilatura")
    if ours is None:
        return
    bare = runs.get("trafilatura (no comments)")

    def under(reference: str, i: int) -> bool:
        return len(reference) > 500 and len(ours.outputs[i]) < 0.1 * len(reference)

    rows = []
    for i, page in enumerate(pages):
        by = [tag for tag, ref in (("a", theirs), ("c", bare)) if ref and under(ref.outputs[i], i)]
        if under(page.gold, i):
            by.append("gold")
        if by:
            rows.append((i, by))
    if not rows:
        return
    print(f"\nPages where clean_html's article text collapsed by any count ({len(rows)}; "
          "a: vs trafilatura, c: vs trafilatura without comments, gold: vs the gold):\n")
    print("| page | by | gold chars | cleaner body chars | cleaner comments chars | "
          "trafilatura chars | no-comments chars | cleaner F1 | trafilatura F1 | "
          "collapsed (a) with comments |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for i, by in rows:
        body, aside = ours.outputs[i], ours.comments[i]
        ref = theirs.outputs[i] if theirs else ""
        still = len(ref) > 500 and len(body) + len(aside) < 0.1 * len(ref)
        ref_f1 = f"{page_f1(pages[i].gold, ref):.3f}" if theirs else "-"
        bare_chars = len(bare.outputs[i]) if bare else "-"
        print(f"| {pages[i].key} | {','.join(by)} | {len(pages[i].gold)} | {len(body)} | "
              f"{len(aside)} | {len(ref)} | {bare_chars} | {page_f1(pages[i].gold, body):.3f} | "
              f"{ref_f1} | {'yes' if still else 'no'} |")


def warned(pages: list[zyte.Page], run: Run) -> None:
    """How many pages clean_html flagged (widened choice, text fallback, empty result)."""
    from cleaner import clean_html

    counts: dict[str, int] = {}
    for page in pages:
        for warning in clean_html(page.html).warnings:
            if warning.startswith("html-"):
                kind = warning.split(":")[0]
                counts[kind] = counts.get(kind, 0) + 1
    shown = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "none"
    print(f"\nclean_html warnings over {len(pages)} pages: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--kind",
                        choices=("zyte", "cleaneval", "l3s", "dragnet", "articles", "wcxb"))
    parser.add_argument("--repeat", type=int, default=1, help="timing runs; the best is kept")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--worst", type=int, default=10, help="worst pages to list")
    parser.add_argument("--limit", type=int, default=0, help="score the first N pages only")
    parser.add_argument("--skip-in", type=Path, default=None, metavar="FOLDER",
                        help="leave out pages whose key is also a page of FOLDER (a set's "
                        "test split that overlaps its dev split)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder (outside the repository) for peers' outputs and timings, "
                             "reused while the pages and the peer's version are the same")
    parser.add_argument("--phases", action="store_true",
                        help="also time clean_html's phases (decode, parse, blocks, choice, rules)")
    args = parser.parse_args()
    kind = args.kind or extraction_sets.detect(args.data_dir)
    pages = extraction_sets.load(args.data_dir, kind)
    if args.skip_in is not None:
        pages = extraction_sets.outside(pages, args.skip_in)
    if args.limit:
        pages = pages[: args.limit]
    megabytes = sum(len(p.html) for p in pages) / 1e6
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {kind}: {len(pages)} pages, {megabytes:.1f} MB of HTML")
    print("| tool | F1 | precision | recall | docs/s | MB/s | slowest page s | errors | "
          "collapses: body vs trafilatura / body+comments vs trafilatura / "
          "body vs trafilatura (no comments) / body vs gold |")
    print("|---|---|---|---|---|---|---|---|---|")
    runs: dict[str, Run] = {}
    names = [n for n in TOOLS if not args.only or n in args.only]
    # trafilatura first: the collapse counts of every other tool are taken against it.
    names.sort(key=lambda n: (n != "trafilatura", n != "trafilatura (no comments)"))
    for name in names:
        try:
            extract = TOOLS[name]()
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | | | | | |")
            continue
        run = runs[name] = cached_measure(name, extract, pages, args.repeat, args.cache)
        result = zyte.score(zyte.page_counts(p.gold, out)
                            for p, out in zip(pages, run.outputs, strict=True))
        total = sum(run.seconds)
        counts = [
            collapses(run, runs[ref], with_comments)
            for ref, with_comments in (("trafilatura", False), ("trafilatura", True),
                                       ("trafilatura (no comments)", False))
            if ref in runs and not name.startswith("trafilatura")
        ]
        counts.append(gold_collapses(run, pages))
        collapsed = " / ".join(f"{n} ({n / len(pages):.1%})" for n in counts)
        print(f"| {name} | {result.f1:.3f} | {result.precision:.3f} | {result.recall:.3f} | "
              f"{len(pages) / total:.1f} | {megabytes / total:.2f} | {max(run.seconds):.3f} | "
              f"{run.errors} | {collapsed} |", flush=True)
    by_type(pages, runs, extraction_sets.page_types(args.data_dir))
    worst(pages, runs, args.worst)
    collapsed_pages(pages, runs)
    if "cleaner.clean_html" in runs:
        warned(pages, runs["cleaner.clean_html"])
    if args.phases:
        html_phases.report(pages)


if __name__ == "__main__":
    main()
