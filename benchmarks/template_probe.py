"""Recall and loss on hand-written template lines: how much of a probe's furniture clean() removes.

Usage: python benchmarks/template_probe.py CRUFT.tsv BODY.txt [--misses]

CRUFT.tsv holds ``TAG<TAB>line`` (or ``where<TAB>line``, as in tests/fixtures/template-probe);
BODY.txt one article sentence a line. Each line is put between the second and third of three
paragraphs and after the last one (two placements), and counted removed or kept; per tag,
then in all. Body lines count as lost when removed in a placement. Used on the held-out half
of the probe (tests/fixtures/template-probe/heldout-*), which no rule was tuned on.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from cleaner import Cleaner

PARAGRAPHS = (
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "schools and roads by nearly ten percent, officials said.",
    "Opponents argued that the plan would require higher property taxes, while supporters "
    "said the investment was long overdue for the growing region.",
    "The mayor is expected to sign the measure later this week, and the new spending will "
    "take effect at the start of the next fiscal year in July.",
)


TITLE = "Council approves budget"


def placed(line: str, where: str) -> str:
    """``line`` in a short article: between its second and third paragraphs ("mid"), after
    the last ("tail"), or under its headline ("head", where bylines and datelines stand)."""
    first, second, third = PARAGRAPHS
    if where == "head":
        return "\n\n".join([TITLE, line, first, second, third])
    parts = [first, second, line, third] if where == "mid" else [first, second, third, line]
    return "\n\n".join(parts)


def placements(line: str) -> list[str]:
    return [placed(line, "mid"), placed(line, "tail")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cruft", type=Path)
    parser.add_argument("body", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the lines kept or lost")
    args = parser.parse_args(argv)
    cleaner = Cleaner()
    rows = [row.split("\t", 1) for row in args.cruft.read_text("utf-8").splitlines() if row]
    seen: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    misses = []
    for tag, line in rows:
        for text in placements(line):
            seen[tag] += 1
            if line not in {r.text for r in cleaner.clean(text).removed}:
                kept[tag] += 1
                misses.append((tag, line))
    lost = []
    body = [line for line in args.body.read_text("utf-8").splitlines() if line.strip()]
    for line in body:
        for text in placements(line):
            taken = [r.rule for r in cleaner.clean(text).removed if r.text == line]
            if taken:
                lost.append((taken[0], line))
    total, missed = sum(seen.values()), sum(kept.values())
    print("| tag | placements | removed |\n|---|---|---|")
    for tag in sorted(seen):
        share = 1 - kept[tag] / seen[tag]
        print(f"| {tag} | {seen[tag]} | {seen[tag] - kept[tag]} ({share:.0%}) |")
    print(f"| **all** | {total} | {total - missed} ({1 - missed / total:.1%}) |")
    print(f"\nArticle sentences lost: {len(lost)} of {2 * len(body)} placements.")
    if args.misses:
        for tag, line in misses:
            print(f"- kept {tag}: {line}")
        for code, line in lost:
            print(f"- lost ({code}): {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
