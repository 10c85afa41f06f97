# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The quality harness on the committed labelled sample: a ratchet on what the rules reached.

``corpus/labelled/sample.jsonl`` holds both text views of eight real Zyte pages (MIT), each
line labelled body or cruft (benchmarks/views.py, hand-checked). ``floors.toml`` pins the
line-level precision and recall of the lines ``clean`` removes and the share of body
characters it loses, per view, as measured when the rules were last improved. A change that
falls below a floor fails here; raise the floors when the rules get better.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "corpus" / "labelled"
sys.path.insert(0, str(ROOT / "benchmarks"))
import text_quality  # type: ignore[import-not-found]  # noqa: E402  (the harness itself)
import views  # type: ignore[import-not-found]  # noqa: E402

FLOORS = tomllib.loads((LABELLED / "floors.toml").read_text("utf-8"))


def sample():
    docs = []
    for line in (LABELLED / "sample.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        doc = views.LabelledDoc(record["id"], record["url"], record["view"], record["language"],
                                record["text"], record["articleBody"])
        doc.labels = [bool(x) for x in record["labels"]]
        assert len(doc.labels) == len(doc.lines()), record["id"]
        docs.append(doc)
    return docs


@pytest.mark.parametrize("view", ["a", "b"])
def test_quality_does_not_fall_below_the_floors(view):
    cleaner = Cleaner()
    kinds = text_quality.categories(cleaner)
    total = text_quality.Tally()
    for doc in sample():
        if doc.view == view:
            total.add(text_quality.score_doc(doc, cleaner, kinds).tally)
    floor = FLOORS[f"view-{view}"]
    reached = (f"precision {total.precision:.4f}, recall {total.recall:.4f}, "
               f"loss {total.loss:.4%}")
    assert total.precision >= floor["min_precision"], reached
    assert total.recall >= floor["min_recall"], reached
    assert total.loss <= floor["max_body_loss"], reached


def test_labels_match_the_automatic_labeller_and_the_overrides():
    # The committed labels are what views.py gives with the hand-checked overrides: the sample
    # cannot drift from the harness that the full benchmark runs.
    hand = views.overrides()
    for doc in sample():
        relabelled = views.label(views.LabelledDoc(doc.key, doc.url, doc.view, doc.language,
                                                   doc.text, doc.gold), hand)
        assert relabelled.labels == doc.labels, doc.key


def test_a_paragraph_printed_more_often_than_the_gold_holds_it_is_body_that_often():
    # LABELLING.md: the first copy of a repeated paragraph is body, later copies DUP. A page
    # printing its lede as the dek and again as the first paragraph has it once in its gold.
    lede = "The council voted on Tuesday to close the old bridge for repairs."
    doc = views.LabelledDoc("k", "u", "b", "en", f"{lede}\nShare\n{lede}\nIt reopens in May.",
                            f"{lede}\nIt reopens in May.")
    assert views.label(doc).labels == [True, False, False, True]
    twice = views.LabelledDoc("k", "u", "b", "en", f"{lede}\n{lede}", f"{lede}\n{lede}")
    assert views.label(twice).labels == [True, True]
