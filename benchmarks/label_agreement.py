"""Agreement between the corpus labels and an independent relabelling of a sample.

Usage: python benchmarks/label_agreement.py corpus/realworld/docs.jsonl \
           corpus/realworld/relabel.jsonl

The relabelling file holds, for a random sample of documents, a second reader's ``cruft``,
``unsure`` and ``mixed`` (``LABELLING.md`` format, same ids), made without seeing the first
labels. Compared over the non-blank lines neither reader marked unsure: body/cruft agreement
and Cohen's kappa, and, on the lines both call cruft, how often the tags agree.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("relabel", type=Path)
    args = parser.parse_args()
    first = {r["id"]: r for r in map(json.loads, args.corpus.read_text("utf-8").splitlines())}
    lines = both = agree = tag_agree = 0
    confusion: Counter[tuple[bool, bool]] = Counter()
    disagreements: Counter[tuple[str, str]] = Counter()
    docs = 0
    for raw in args.relabel.read_text("utf-8").splitlines():
        second = json.loads(raw)
        one = first[second["id"]]
        docs += 1
        skip = set(one.get("unsure", [])) | set(second.get("unsure", []))
        for i, line in enumerate(one["text"].split("\n")):
            if not line.strip() or i in skip:
                continue
            a, b = one["cruft"].get(str(i)), second["cruft"].get(str(i))
            lines += 1
            confusion[(a is not None, b is not None)] += 1
            agree += (a is None) == (b is None)
            if a is not None and b is not None:
                both += 1
                tag_agree += a == b
                if a != b:
                    disagreements[(a, b)] += 1
            elif (a is None) != (b is None):
                disagreements[(a or "body", b or "body")] += 1
    observed = agree / lines
    p_first = (confusion[(True, True)] + confusion[(True, False)]) / lines
    p_second = (confusion[(True, True)] + confusion[(False, True)]) / lines
    expected = p_first * p_second + (1 - p_first) * (1 - p_second)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    print(f"{docs} documents, {lines} lines compared (unsure in either left out)")
    print(f"body/cruft agreement {observed:.3f}, Cohen's kappa {kappa:.3f}")
    print(f"both cruft: {both} lines, same tag on {tag_agree} ({tag_agree / max(both, 1):.3f})")
    print("most frequent disagreements (first, second):",
          ", ".join(f"{a}/{b} {n}" for (a, b), n in disagreements.most_common(10)))


if __name__ == "__main__":
    main()
