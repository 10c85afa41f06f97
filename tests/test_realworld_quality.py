# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The labelled real-world corpus: its format holds, and clean() stays above its floors.

``corpus/realworld/docs.jsonl`` is labelled line by line as ``LABELLING.md`` says (see
``corpus/realworld/README.md``); ``benchmarks/realworld_quality.py`` is the full report. This
is the ratchet: a change that loses body text or cruft recall on real documents fails here.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "realworld"
sys.path.insert(0, str(ROOT / "benchmarks"))
import realworld_quality  # type: ignore[import-not-found]  # noqa: E402  (the harness itself)

TAGS = {"AF", "SRC", "AGG", "BY", "DATE", "META", "HL", "RT", "SUB", "NL", "SH", "REL", "CTA",
        "ADV", "CAP", "CPY", "CK", "COM", "HT", "NAV", "VID", "EMB", "DUP", "BIO"}
SOURCE = re.compile(r"^github\.com/[^/\s]+/[^/\s]+/blob/[0-9a-f]{40}/\S")


def records(name: str = "docs.jsonl"):
    return [json.loads(line) for line in (CORPUS / name).read_text("utf-8").splitlines()]


def test_corpus_format_follows_the_labelling_guide():
    docs = records()
    assert len(docs) >= 600
    assert len({d["id"] for d in docs}) == len(docs)
    assert len({"/".join(d["source"].split("/")[1:3]) for d in docs}) >= 12
    assert len({d["publisher"] for d in docs}) >= 150
    check_format(docs)


def test_heldout_set_follows_the_guide_and_stays_out_of_the_corpus():
    heldout, corpus = records("heldout.jsonl"), records()
    assert heldout and len({d["id"] for d in heldout}) == len(heldout)
    assert not {d["id"] for d in heldout} & {d["id"] for d in corpus}
    # no rule work saw the held-out batch's repositories
    repository = lambda d: "/".join(d["source"].split("/")[1:3])  # noqa: E731
    assert not {repository(d) for d in heldout} & {repository(d) for d in corpus}
    check_format(heldout)


def check_format(docs):
    for d in docs:
        assert SOURCE.match(d["source"]), d["id"]
        assert d["licence"] and d["publisher"], d["id"]
        lines = d["text"].split("\n")
        for key, tag in d["cruft"].items():
            assert tag in TAGS, (d["id"], key, tag)
            assert lines[int(key)].strip(), (d["id"], key)
        for index in [*d["unsure"], *d["mixed"]]:
            assert lines[index].strip(), (d["id"], index)


def test_relabelled_sample_is_a_tenth_of_the_corpus():
    ids = {d["id"] for d in records()}
    again = [json.loads(line)
             for line in (CORPUS / "relabel.jsonl").read_text("utf-8").splitlines()]
    assert {r["id"] for r in again} <= ids
    assert len(again) >= 0.1 * len(ids) - 1


def test_clean_stays_above_the_floors():
    floors = tomllib.loads((CORPUS / "floors.toml").read_text("utf-8"))
    cleaner = Cleaner()
    docs = realworld_quality.load(CORPUS / "docs.jsonl")
    total = realworld_quality.total(
        docs, {d.id: realworld_quality.cleaner_removals(cleaner, d) for d in docs}
    )
    reached = f"precision {total.precision:.4f}, recall {total.recall:.4f}, loss {total.loss:.4%}"
    assert total.precision >= floors["min_precision"], reached
    assert total.recall >= floors["min_recall"], reached
    assert total.loss <= floors["max_body_loss"], reached
